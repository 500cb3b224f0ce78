"""What a listing covers: which columns a feed read in a crawl would have shown. Pure.

A week is `missed` only if the auditor saw every article the column published in it, so a
listing covers a column only when it would have shown that column's articles:

* the column's own listing (its category, tag, section or feed) covers that column;
* a site-wide listing covers every column: the REST posts endpoint, the site's main feed
  (a feed at the site's root feed path), or a feed whose items fall in several columns
  (a home feed carrying every section).

A feed of unknown scope covers nothing. When in doubt, less coverage: `unknown` is honest,
`missed` must be proven. Each decision is kept, in words, with the coverage it gives.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from urllib.parse import parse_qsl, urlsplit

from auditor.clock import from_iso, iso
from auditor.rules import columns as columns_mod
from auditor.types import Campaign, ColumnOverride, Coverage, CoverageJoin, CoverageSpan, FeedRead
from auditor.urls import canonical_url

REST = "site-wide: the REST posts endpoint"
OWN_FEED = "the column's own feed"
OWN_SECTION = "the column's own section listing"
MAIN_FEED = "site-wide: the site's main feed"
ANNOUNCED = "the column's own feed: announced by its section page alone"

# Paths (below the site's root) where a site keeps its main feed.
MAIN_FEED_PATHS = frozenset(
    {"feed", "rss", "rss.xml", "feed.xml", "atom.xml", "index.xml", "rss2", "feed/atom"}
)


def own_feeds(announced: Sequence[tuple[str, Sequence[str]]], site_url: str) -> list[list[str]]:
    """For each (column id, feeds a section page of that column announces), the feeds that
    are the column's own: not the site's main feed, not a comment feed, and announced for no
    other column (a home feed on every page is none of theirs). Used by the crawl and by
    `discover`, so the two never disagree on a section's feed."""
    owners = Counter(f for _, f in {(column, f) for column, feeds in announced for f in feeds})
    return [
        [
            f
            for f in feeds
            if owners[f] == 1 and not is_main_feed(f, site_url) and "comment" not in f.lower()
        ]
        for _, feeds in announced
    ]


def is_main_feed(url: str, site_url: str) -> bool:
    """The feed at the site's root feed path (or WordPress's ?feed=rss2 on the root)."""
    feed, site = urlsplit(canonical_url(url)), urlsplit(canonical_url(site_url))
    if feed.netloc != site.netloc:
        return False
    root = site.path.rstrip("/") + "/"
    if not (feed.path + "/").startswith(root):
        return False
    rest = feed.path[len(root) :].strip("/")
    query = dict(parse_qsl(feed.query))
    if rest in MAIN_FEED_PATHS and not query:
        return True
    return rest == "" and set(query) == {"feed"}


def item_columns(
    feed: FeedRead,
    known: Mapping[str, frozenset[str]],
    campaign: Campaign,
    overrides: Iterable[ColumnOverride],
) -> list[frozenset[str]]:
    """Per item: the columns other evidence puts it in (the column's own listings, the
    item's own categories or tags, a URL under a column's prefix)."""
    terms = [t for a in feed.items for t in a.terms]
    placed = [o for o in overrides if o.kind in ("category", "tag", "url_prefix")]
    sources = columns_mod.resolve(campaign, placed, terms)
    out = []
    for a in feed.items:
        found = set(known.get(canonical_url(a.url), ()))
        found |= {lk.column_id for lk in columns_mod.link(a, (), sources)}
        out.append(frozenset(found))
    return out


def placed_spans(feed: FeedRead, per_item: list[frozenset[str]]) -> list[tuple[datetime, datetime]]:
    """The stretches of a site-wide feed in which every item's column is known (by its own
    categories or tags, or another listing). An item of unknown column could be any
    column's article, so no week that holds it is proven by this feed."""
    return open_spans(feed.start, feed.end, blind_dates(feed, per_item))


def blind_dates(feed: FeedRead, per_item: list[frozenset[str]]) -> list[datetime | None]:
    """The dates of the items whose column nothing tells."""
    return [
        a.published
        for a, columns in zip(feed.items, per_item, strict=True)
        if not columns and not a.terms
    ]


def open_spans(
    start: datetime, end: datetime, holes: Iterable[datetime | None]
) -> list[tuple[datetime, datetime]]:
    """[start, end) less the instants where an article the listing could not count may
    lie; one with no date (None) may lie anywhere in it, so nothing is left."""
    holes = list(holes)
    if any(h is None for h in holes):
        return []
    spans = []
    for hole in sorted(h.replace(microsecond=0) for h in holes if h <= end):
        if hole > start:
            spans.append((start, hole))
        # a whole second apart: the store keeps instants to the second, and two spans
        # that touch there would be merged back over the hole
        start = max(start, hole + timedelta(seconds=1))
    if start < end:
        spans.append((start, end))
    return spans


def dropped_columns(
    feed: FeedRead, campaign: Campaign, overrides: Iterable[ColumnOverride]
) -> list[tuple[datetime | None, frozenset[str] | None]]:
    """Per entry the feed skipped (no usable link): its date, and the columns its own
    categories put it in (None when it has none: it could be any column's)."""
    placed = [o for o in overrides if o.kind in ("category", "tag")]
    terms = [t for a in (*feed.items, *feed.dropped) for t in a.terms]
    sources = columns_mod.resolve(campaign, placed, terms)
    return [
        (
            a.published,
            frozenset(lk.column_id for lk in columns_mod.link(a, (), sources)) if a.terms else None,
        )
        for a in feed.dropped
    ]


def spans_columns(per_item: list[frozenset[str]]) -> tuple[str, ...]:
    """The columns a feed's items fall in, when they fall in several and no one column
    holds them all (a section feed whose items are also filed elsewhere does not span)."""
    placed = [s for s in per_item if s]
    if not placed:
        return ()
    every = frozenset.union(*placed)
    common = frozenset.intersection(*placed)
    return tuple(sorted(every)) if len(every) >= 2 and not common else ()


def scope_feeds(
    feeds: list[FeedRead],
    site_url: str,
    campaign: Campaign,
    overrides: Iterable[ColumnOverride],
    announced: list[tuple[str, tuple[str, ...]]],
    known: dict[str, set[str]],
) -> tuple[list[Coverage], list[tuple[str, str]], list[str]]:
    """Decide what each feed read without a column covers.

    announced: (column id, feeds its section page announces) for section pages whose
    feeds were read as site feeds; known: canonical article URL → columns, from the
    column-specific listings of this crawl and the store. Returns the coverage, the feeds
    found to be one column's own (url, column id), and notes for feeds that cover nothing.
    """
    overrides = list(overrides)
    all_ids = [c.id for c in campaign.columns]
    coverage: list[Coverage] = []
    decided: set[str] = set()

    def site_wide(feed: FeedRead, why: str) -> None:
        blind = blind_dates(feed, item_columns(feed, known, campaign, overrides))
        dropped = dropped_columns(feed, campaign, overrides)
        for c in all_ids:
            holes = blind + [when for when, cs in dropped if cs is None or c in cs]
            for start, end in open_spans(feed.start, feed.end, holes):
                coverage.append(Coverage(c, start, end, f"feed:{feed.url}", why))
        decided.add(feed.url)

    for feed in feeds:
        if is_main_feed(feed.url, site_url):
            site_wide(feed, MAIN_FEED)
    owners = _announced_by_one(announced)
    own: list[tuple[str, str]] = []
    for feed in feeds:
        if feed.url in decided:
            continue
        column_id = owners.get(canonical_url(feed.url))
        spans = spans_columns(item_columns(feed, known, campaign, overrides))
        if column_id and not spans:
            holes = [a.published for a in feed.dropped]  # every entry of it is the column's
            coverage.extend(
                Coverage(column_id, start, end, f"feed:{feed.url}", ANNOUNCED)
                for start, end in open_spans(feed.start, feed.end, holes)
            )
            own.append((feed.url, column_id))
            decided.add(feed.url)
            for a in feed.items:
                known.setdefault(canonical_url(a.url), set()).add(column_id)
    notes = []
    for feed in feeds:
        if feed.url in decided:
            continue
        spans = spans_columns(item_columns(feed, known, campaign, overrides))
        if spans:
            site_wide(
                feed, f"site-wide: its items fall in {len(spans)} columns ({', '.join(spans)})"
            )
        else:
            notes.append(f"feed {feed.url}: scope unknown, so it covers no column")
    return coverage, own, notes


def _announced_by_one(announced: list[tuple[str, tuple[str, ...]]]) -> dict[str, str]:
    """Feeds announced by exactly one column's section page: that column's own feed."""
    pairs = {(column_id, canonical_url(f)) for column_id, feeds in announced for f in feeds}
    count = Counter(f for _, f in pairs)
    out = {}
    for column_id, feeds in announced:
        for f in feeds:
            if count[canonical_url(f)] == 1:
                out[canonical_url(f)] = column_id
    return out


def join_span(c: Coverage, stored: Sequence[CoverageSpan]) -> CoverageJoin:
    """How a newly covered span joins the spans stored for its column and source: every
    stored span it overlaps or touches (end to start, at the store's precision of one
    second) and it become one span from the earliest start to the latest end, kept in the
    first of them with the new span's scope; with none it is a span of its own.

    stored: the column's spans from c.source, in the store's order (the store reads only
    those that may touch c; the ones that do not are left alone here too)."""
    start, end = _second(c.start), _second(c.end)
    joined = [s for s in stored if s.end >= start and s.start <= end]
    if not joined:
        return CoverageJoin(c)
    span = replace(
        c,
        start=min([start, *(s.start for s in joined)]),
        end=max([end, *(s.end for s in joined)]),
    )
    return CoverageJoin(span, keep=joined[0].id, drop=tuple(s.id for s in joined[1:]))


def _second(when: datetime) -> datetime:
    """The instant as the store keeps it (UTC, whole seconds)."""
    return from_iso(iso(when))
