"""How a harvested article joins what is stored of it, and when a REST listing may mark
stored posts removed. Pure: rows in, rows out, as the store keeps them (instants as ISO
text, lists as JSON text); the crawl reads the rows, calls these rules and hands the
decided rows to the store.

Precedence: a REST copy of a post wins on its dates and title (WordPress says what it
published and when; a feed item may be an older copy); among feed copies, one modified
later than the stored row brings its title. Summaries and texts keep the longer one, URLs
seen for the article become its aliases, and an undated article keeps the span of the
listings that showed it.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import reduce
from typing import Any

from auditor.text import name_key
from auditor.types import Article, Term

Row = Mapping[str, Any]  # an `articles` row: column name → value

# columns whose change makes a stored article count as updated by a crawl
CHANGES = ("title", "published", "modified", "terms", "text", "removed_at", "aliases")


def _iso(when: datetime | None) -> str | None:
    """An instant as the store keeps it (the same text as store.rows.iso, which this pure
    module may not import)."""
    return when.astimezone(UTC).isoformat(timespec="seconds") if when else None


def merge_article(
    existing: Row | None,
    a: Article,
    feed: str,
    *,
    outlet_id: str,
    seen: datetime,
    span: tuple[datetime, datetime] | None = None,
) -> dict:
    """The row for one harvested copy of an article (read from `feed`, "" for REST) joined
    with the stored row it matched, if any; `seen` is when the crawl started, `span` where
    the listing that showed it undated lay."""
    old = existing or {}
    rest = a.source == "rest"
    sources = sorted(set(_list(old, "sources")) | {a.source})
    feeds = sorted(set(_list(old, "feeds")) | ({feed} if feed else set()))
    keep_old_dates = not rest and "rest" in sources and old.get("published")
    newer = bool(a.modified) and (not old.get("modified") or _iso(a.modified) > old["modified"])
    take_title = rest or not old.get("title") or (newer and "rest" not in sources)
    url = old.get("url") or a.url
    published = old["published"] if keep_old_dates else (_iso(a.published) or old.get("published"))
    return {
        "outlet_id": outlet_id,
        "url": url,
        "aliases": aliases(old, a, url),
        "guid": old.get("guid") or a.guid,
        "wp_id": a.wp_id if a.wp_id is not None else old.get("wp_id"),
        "title": a.title if take_title else old["title"],
        "summary": longer(old.get("summary"), a.summary),
        "text": longer(old.get("text"), a.text),
        "published": published,
        "modified": max(filter(None, [old.get("modified"), _iso(a.modified)]), default=None),
        "terms": json.dumps(merge_terms(_list(old, "terms"), a.terms, rest), ensure_ascii=False),
        "sources": json.dumps(sources),
        "feeds": json.dumps(feeds),
        "first_seen": old.get("first_seen") or _iso(seen),
        "last_seen": _iso(seen),
        "removed_at": None,
        **undated_span(old, span, published),
    }


def changed(existing: Row, row: Row) -> bool:
    """Whether the merged row says more than the stored one (the crawl's `updated` count)."""
    return any(row[k] != existing[k] for k in CHANGES)


def aliases(old: Row, a: Article, url: str) -> str:
    """Every URL the article was seen under, but the one it is kept under."""
    known = set(_list(old, "aliases")) | {a.url, *a.aliases}
    return json.dumps(sorted(known - {url}))


def undated_span(old: Row, span: tuple | None, published: str | None) -> dict:
    """Where an undated article may lie: the union of the listings that showed it."""
    if published:
        return {"undated_from": None, "undated_to": None}
    starts = [x for x in (old.get("undated_from"), span and _iso(span[0])) if x]
    ends = [x for x in (old.get("undated_to"), span and _iso(span[1])) if x]
    return {"undated_from": min(starts, default=None), "undated_to": max(ends, default=None)}


def fold(rows: Sequence[Row]) -> dict:
    """Stored rows that one harvested copy shows to be one article, as one row: the oldest
    (first) row's, with what the others add (see combine)."""
    return reduce(combine, rows[1:], dict(rows[0]))


def combine(keep: Row, other: Row) -> dict:
    """Two stored rows of one article as one (keep is the older row; a REST copy's dates
    and title win as in merge_article)."""
    merged = dict(keep)
    for k in ("sources", "feeds"):
        merged[k] = json.dumps(sorted(set(_list(keep, k)) | set(_list(other, k))))
    urls = set(_list(keep, "aliases")) | set(_list(other, "aliases")) | {other["url"]}
    merged["aliases"] = json.dumps(sorted(urls - {keep["url"]}))
    for k in ("guid", "wp_id", "title", "published", "undated_from", "undated_to"):
        if not merged.get(k) and other.get(k):
            merged[k] = other[k]
    if "rest" in _list(other, "sources") and "rest" not in _list(keep, "sources"):
        merged["published"], merged["title"] = other["published"], other["title"]
    merged["summary"] = longer(keep.get("summary"), other.get("summary"))
    merged["text"] = longer(keep.get("text"), other.get("text"))
    merged["modified"] = max(
        filter(None, [keep.get("modified"), other.get("modified")]), default=None
    )
    merged["first_seen"] = min(filter(None, [keep.get("first_seen"), other.get("first_seen")]))
    terms = _list(keep, "terms")
    merged["terms"] = json.dumps(
        terms + [t for t in _list(other, "terms") if t not in terms], ensure_ascii=False
    )
    if merged["published"]:
        merged["undated_from"] = merged["undated_to"] = None
    if keep.get("removed_at") is None or other.get("removed_at") is None:
        merged["removed_at"] = None
    return merged


def longer(a: str | None, b: str | None) -> str:
    return max(a or "", b or "", key=len)


def merge_terms(old: list, new: tuple[Term, ...], authoritative: bool) -> list:
    """REST terms replace what REST said before; feed categories are added by name."""
    kept = [t for t in old if not (authoritative and t.get("origin") == "rest")]
    names = {(t["kind"], name_key(t["name"])) for t in kept if t.get("name")}
    for t in new:
        if t.name and (t.kind, name_key(t.name)) in names:
            continue
        names.add((t.kind, name_key(t.name)))
        kept.append(
            {
                "kind": t.kind,
                "name": t.name,
                "slug": t.slug,
                "term_id": t.term_id,
                "origin": "rest" if authoritative else "rss",
            }
        )
    return kept


def _list(row: Row, key: str) -> list:
    return json.loads(row.get(key) or "[]")


# -- removal -------------------------------------------------------------------------------

# A short listing may drop this many posts whatever the outlet's size ...
REMOVAL_FLOOR = 5
# ... and otherwise at most this share of the posts known live.
REMOVAL_SHARE = 5  # one fifth


@dataclass(frozen=True)
class Removal:
    """What a complete REST listing does to the stored posts: the article ids to mark
    removed, or none and the note that says why not."""

    ids: tuple[int, ...] = ()
    note: str = ""


def removals(known: Mapping[int, int], listed: Collection[int]) -> Removal:
    """A complete REST listing is the truth: posts missing from it were unpublished.
    Unless it would drop more than a fifth of them at once: a caching plugin or a broken
    server answering a short listing must not erase an outlet's history.

    known: stored live REST posts, article id → WordPress id; listed: the listing's ids."""
    gone = tuple(article_id for article_id, wp_id in known.items() if wp_id not in listed)
    if len(gone) > max(REMOVAL_FLOOR, len(known) // REMOVAL_SHARE):
        return Removal(
            note=f"REST listing lacks {len(gone)} of {len(known)} known posts; "
            "not marking them removed"
        )
    return Removal(ids=gone)
