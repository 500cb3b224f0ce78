"""Which records are one article. Pure.

An article is recognised by any of its keys: each URL it was seen under (canonical, and
http/https or www. not telling pages apart), its permanent guid (RSS guid, Atom id, JSON
Feed id) and its WordPress post id. Records that share any key are one article.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from urllib.parse import urlsplit

from auditor.text import name_key
from auditor.types import Article
from auditor.urls import url_key

_NEVER = datetime.min.replace(tzinfo=UTC)
# a guid carried by this many differently titled entries of one feed is a CMS's constant,
# not an identity: trusting it would fold a column's articles into one
SHARED_GUID_TITLES = 3


def guid_key(guid: str) -> str:
    guid = guid.strip()
    return url_key(guid) if guid.lower().startswith(("http://", "https://")) else guid


def _root(guid: str) -> bool:
    parts = urlsplit(guid.strip())
    return bool(parts.netloc) and parts.path in ("", "/") and not parts.query


def keys(a: Article) -> set[str]:
    found = {"url:" + url_key(u) for u in (a.url, *a.aliases) if u}
    if a.guid.strip() and not _root(a.guid):  # a homepage as guid identifies nothing
        found.add("guid:" + guid_key(a.guid))
    if a.wp_id is not None:
        found.add(f"wp:{a.wp_id}")
    return found


def drop_shared_guids(articles: list[Article]) -> list[Article]:
    """Forget guids that one feed gives to several different articles."""
    by_guid: dict[str, list[str]] = {}
    for a in articles:
        if a.guid.strip():
            by_guid.setdefault(guid_key(a.guid), []).append(a.title)
    shared = {  # titles are compared only where a guid comes back (keys cost)
        g
        for g, titles in by_guid.items()
        if len(titles) >= SHARED_GUID_TITLES
        and len({name_key(t) for t in titles}) >= SHARED_GUID_TITLES
    }
    if not shared:
        return articles
    return [replace(a, guid="") if a.guid and guid_key(a.guid) in shared else a for a in articles]


def merge_duplicates(articles: list[Article]) -> tuple[list[Article], int]:
    """One record per article of one listing, in first-seen order, and how many copies were
    folded. The copy modified last wins whole (the first one on a tie), never field by
    field; the other copies' URLs become its aliases."""
    groups = _groups(articles)
    out = []
    for members in groups:
        copies = [articles[i] for i in members]
        winner = max(enumerate(copies), key=lambda p: (_stamp(p[1]), -p[0]))[1]
        urls = {u for c in copies for u in (c.url, *c.aliases)} - {winner.url}
        out.append(
            replace(
                winner,
                aliases=tuple(sorted(urls)),
                guid=winner.guid or next((c.guid for c in copies if c.guid), ""),
                wp_id=winner.wp_id if winner.wp_id is not None else _first_wp(copies),
            )
        )
    return out, len(articles) - len(out)


def _stamp(a: Article) -> datetime:
    return a.modified or a.published or _NEVER


def _first_wp(copies: list[Article]) -> int | None:
    return next((c.wp_id for c in copies if c.wp_id is not None), None)


def _groups(articles: list[Article]) -> list[list[int]]:
    """Indexes of records joined by shared keys (union-find), in first-seen order."""
    parent = list(range(len(articles)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[str, int] = {}
    for i, a in enumerate(articles):
        for k in keys(a):
            if k in owner:
                a_root, b_root = root(owner[k]), root(i)
                parent[max(a_root, b_root)] = min(a_root, b_root)
            else:
                owner[k] = i
    groups: dict[int, list[int]] = {}
    for i in range(len(articles)):
        groups.setdefault(root(i), []).append(i)
    return sorted(groups.values(), key=lambda g: g[0])
