"""WordPress category feeds, for a site whose REST API is closed: which to read for each
column, and what they may prove.

Without REST the auditor knows a category by the name its posts carry in the feeds, not by
its slug. The feed is guessed at the slug WordPress would give that name; but two spellings
of one column ("Công đoàn vì lợi ích đoàn viên", "cong doan vi loi ich doan vien") make
one slug, and WordPress gives the category created second "…-2". So a guessed feed covers
its column only when it is shown to be its category's own (every item it showed is filed
under that very name, and no other name of the column could be it), and a column kept in
several categories is covered only where all of their feeds are. Otherwise the weeks those
feeds alone would prove stay `unknown`: when in doubt, less coverage.
"""

from __future__ import annotations

from datetime import datetime
from urllib.parse import parse_qsl, urlsplit

from auditor.crawl import feeds
from auditor.crawl.outlet import OutletCrawl
from auditor.parse import wordpress as wp
from auditor.rules import columns as columns_mod
from auditor.text import nfc, slugify
from auditor.types import Campaign, Coverage, Harvest, Outlet, Term
from auditor.urls import canonical_url, with_params


def read_category_feeds(crawl: OutletCrawl) -> None:
    """Read each column's category feeds (every candidate address of each name), paged;
    a 404 at a guessed address is only noted."""
    h = crawl.h
    for column_id, groups in plan(h, h.outlet, crawl.state.terms, crawl.settings.campaign).items():
        for _, urls in groups:
            for url in urls:
                feeds.read_feed(crawl, url, column_id, paging=True, guessed=True)


def plan(
    h: Harvest, outlet: Outlet, terms: tuple[Term, ...], campaign: Campaign
) -> dict[str, list[tuple[tuple[str, ...], tuple[str, ...]]]]:
    """Per column: (category names, the feed addresses that may be theirs). Names whose slug
    is known (from REST, before it closed) have one address each; names that share a
    guessed slug share the candidates slug, slug-2, … one per name."""
    known = [*(t for a, _ in h.articles for t in a.terms), *terms]
    slugs = {nfc(t.name): t.slug for t in known if t.kind == "category" and t.slug}
    sources = columns_mod.resolve(campaign, outlet.overrides, known)
    base = wp.site_base(outlet.url)
    out = {}
    for column_id, found in sources.items():
        by_slug: dict[str, list[str]] = {}
        for s in found:
            if s.kind == "category":
                name = nfc(s.value)
                slug = slugs.get(name) or slugify(name)
                if name not in by_slug.setdefault(slug, []):
                    by_slug[slug].append(name)
        groups = []
        for slug, names in by_slug.items():
            candidates = [slug] + [f"{slug}-{n}" for n in range(2, len(names) + 1)]
            urls = tuple(with_params(base, feed="rss2", category_name=c) for c in candidates)
            groups.append((tuple(names), urls))
        if groups:
            out[column_id] = groups
    return out


def is_category_feed(url: str) -> bool:
    return any(k == "category_name" for k, _ in parse_qsl(urlsplit(url).query))


def settle(crawl: OutletCrawl) -> None:
    """Keep the coverage of the category feeds read in this crawl only where they prove
    their column (see the module's docstring); withdraw it, and what such a feed proved
    before, where they do not."""
    h, outlet = crawl.h, crawl.h.outlet
    stored = crawl.state.column_feeds  # (url, column id): column feeds found before
    columns = plan(h, outlet, crawl.state.terms, crawl.settings.campaign)
    placed = {canonical_url(o.value) for o in outlet.overrides if o.kind == "feed"}

    def guessed(url: str) -> bool:  # a feed the operator placed is the operator's word
        return is_category_feed(url) and canonical_url(url) not in placed

    for url, column_id in stored:
        if guessed(url) and column_id not in columns:
            columns[column_id] = []
    items = _items_by_feed(h)  # the crawl's articles do not change while columns settle
    for column_id, groups in columns.items():
        urls = {u for _, us in groups for u in us}
        urls |= {u for u, c in stored if c == column_id and guessed(u)}
        urls |= {
            c.source.removeprefix("feed:")
            for c in h.coverage
            if c.column_id == column_id and guessed(c.source.removeprefix("feed:"))
        }
        urls = {u for u in urls if guessed(u)}
        strangers = _unlink_strangers(h, column_id, groups, urls, items)
        why, needed = _doubt(h, groups, {canonical_url(u) for u in urls}, items)
        if strangers:
            why = f"feed {min(strangers)} may be another category's"
        if why:
            _withdraw(h, column_id, urls, why)
        else:
            _intersect(h, column_id, {u for u in needed if u not in placed})


def _unlink_strangers(h: Harvest, column_id: str, groups, urls: set[str], items) -> set[str]:
    """A guessed feed whose items are not all filed under one of the column's names may be
    another category's: its articles must not be counted for the column as its feed's."""
    names = {n for ns, _ in groups for n in ns}
    strangers = {
        canonical_url(u)
        for u in urls
        if any(not (seen & names) for seen in items.get(canonical_url(u), []))
    }
    if not strangers:
        return strangers
    h.feeds = [
        f for f in h.feeds if not (f.column_id == column_id and canonical_url(f.url) in strangers)
    ]
    h.notes += [
        f"feed {u}: not every item is filed under {column_id}'s category; not its feed"
        for u in sorted(strangers)
    ]
    return strangers


def _doubt(h: Harvest, groups, urls: set[str], items) -> tuple[str, set[str]]:
    """Why the column's category feeds cannot prove it ("" when they can), and the feeds
    that must all reach a week for it to be proven."""
    if not groups:
        return "its category feed belongs to no category of it seen now", set()
    if urls - {canonical_url(u) for _, us in groups for u in us}:
        return "a category feed of it belongs to no category of it seen now", set()
    unchanged = {canonical_url(s.removeprefix("feed:")) for s in h.not_modified}
    fresh = {canonical_url(f.url) for f in h.feeds} - unchanged
    needed = set()
    for names, candidates in groups:
        owners, kept = [], 0
        for url in (canonical_url(u) for u in candidates):
            if url in unchanged:  # as it was when its coverage was last settled here
                needed.add(url)
                kept += 1
                continue
            shown = items.get(url) if url in fresh else None
            if not shown:  # not there, or nothing in it: no name can be shown to be its
                if len(names) > 1 or url in fresh:
                    return f"feed {url} shows no item filed under {names[0]!r}", set()
                continue
            filed = [n for n in names if all(n in seen for seen in shown)]
            if len(filed) != 1:
                which = " or ".join(repr(n) for n in names)
                return f"feed {url} is not shown to be the category {which}'s own", set()
            owners.append(filed[0])
            needed.add(url)
        if len(names) > 1 and (len(set(owners)) != len(owners) or len(owners) + kept != len(names)):
            return f"the categories {', '.join(map(repr, names))} share a slug", set()
    return "", needed


def _items_by_feed(h: Harvest) -> dict[str, list[set[str]]]:
    """Per feed read in this crawl: the category names of each item it showed."""
    out: dict[str, list[set[str]]] = {}
    for article, source in h.articles:
        if source:
            names = {nfc(t.name) for t in article.terms if t.kind == "category"}
            out.setdefault(canonical_url(source), []).append(names)
    return out


def _withdraw(h: Harvest, column_id: str, urls: set[str], why: str) -> None:
    keys = {canonical_url(u) for u in urls}
    mine = [c for c in h.coverage if c.column_id == column_id and _key(c.source) in keys]
    h.coverage = [c for c in h.coverage if c not in mine]
    h.not_modified = [s for s in h.not_modified if _key(s) not in keys]
    sources = {f"feed:{u}" for u in urls} | {c.source for c in mine}
    h.withdrawn += [(column_id, s) for s in sorted(sources)]
    h.notes.append(
        f"column {column_id}: its category feeds prove none of its weeks ({why}); "
        "weeks only they would show stay unknown"
    )


def _intersect(h: Harvest, column_id: str, needed: set[str]) -> None:
    """A column kept in several categories is seen whole only where every one of their
    feeds reaches: this crawl's coverage is cut to that; if one of them gave none now (an
    error, or unchanged while another changed) the others prove nothing new either."""
    if len(needed) <= 1:
        return
    mine = [c for c in h.coverage if c.column_id == column_id and _key(c.source) in needed]
    by_feed: dict[str, list[Coverage]] = {}
    for c in mine:
        by_feed.setdefault(_key(c.source), []).append(c)
    h.coverage = [c for c in h.coverage if c not in mine]
    if not by_feed:
        return  # every one unchanged: what they proved together still stands
    if set(by_feed) != needed:
        h.not_modified = [s for s in h.not_modified if _key(s) not in needed]
        return
    spans = None
    for rows in by_feed.values():
        found = [(c.start, c.end) for c in rows]
        spans = found if spans is None else overlap(spans, found)
    for rows in by_feed.values():
        h.coverage += [Coverage(column_id, s, e, rows[0].source, rows[0].scope) for s, e in spans]


def overlap(
    a: list[tuple[datetime, datetime]], b: list[tuple[datetime, datetime]]
) -> list[tuple[datetime, datetime]]:
    """Where both lists of intervals reach."""
    out = []
    for s1, e1 in a:
        for s2, e2 in b:
            s, e = max(s1, s2), min(e1, e2)
            if s < e:
                out.append((s, e))
    return sorted(out)


def _key(source: str) -> str:
    return canonical_url(source.removeprefix("feed:"))
