"""Columns of sites that are not WordPress: read each column's section page, its own feed
when it announces one, otherwise its listing pages (and article pages for dates).

HTTP goes through the outlet's fetch.Client; parsing is sections.py and homepage.py.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from auditor.errors import FetchError
from auditor.fetch import Client
from auditor.parse.homepage import decode_html, read_page
from auditor.parse.listing import Item, article_date, read_listing
from auditor.rules.coverage import OWN_SECTION, is_main_feed
from auditor.types import BEGINNING, Article, Config, Coverage, FeedSeen, Harvest, OutletState
from auditor.urls import canonical_url

ReadFeed = Callable[[str, str], bool]  # (feed url, column id) → whole history seen


def column_sections(h: Harvest, state: OutletState) -> list[tuple[str, str]]:
    """(column id, section URL): the operator's first, then menus found now or before."""
    placed = [
        (o.column_id, o.value) for o in h.outlet.overrides if o.kind in ("url_prefix", "section")
    ]
    by_hand = {c for c, _ in placed} | {o.column_id for o in h.outlet.overrides}
    found = [(s.column_id, s.url) for s in h.sections] + list(state.sections)
    out = list(placed)
    for column_id, url in found:
        if column_id not in by_hand and (column_id, url) not in out:
            out.append((column_id, url))
    return out


def crawl_sections(
    h: Harvest,
    client: Client,
    state: OutletState,
    config: Config,
    now: Callable[[], datetime],
    read_feed: ReadFeed,
) -> None:
    fed = {f.column_id for f in h.feeds if f.column_id}
    budget = [config.http.max_article_pages]
    site_feeds = {canonical_url(f.url) for f in h.feeds if not f.column_id}
    pages = []
    for column_id, url in column_sections(h, state):
        if column_id not in fed:
            pages.append(_section_page(h, client, column_id, url, now))
    pages = [p for p in pages if p is not None]
    # a feed that several sections announce (a home feed on every page) is none of theirs
    count = Counter(f for _, f in {(p[0], f) for p in pages for f in p[4]})
    for column_id, url, first, html, feeds, started in pages:
        own = [f for f in feeds if count[f] == 1 and not is_main_feed(f, h.outlet.url)]
        fresh = [f for f in own if f not in site_feeds]
        if fresh:
            read_feed(fresh[0], column_id)
        elif own:  # read already as a site feed: coverage.py gives it to this column
            h.announced.append((column_id, tuple(own)))
        else:
            _section(h, client, state, config, column_id, url, first, html, started, budget)


def _section_page(h, client, column_id, url, now):
    started = now()
    try:
        first = client.get(url)
    except FetchError as e:
        h.errors.append(f"section {url}: {e.message}")
        return None
    html = decode_html(first.body, first.content_type)
    feeds = tuple(
        dict.fromkeys(
            canonical_url(f)
            for f in read_page(html, first.final_url).feeds
            if "comment" not in f.lower()
        )
    )
    return column_id, url, first, html, feeds, started


def _section(h, client, state, config, column_id, url, first, html, started, budget):
    tz = ZoneInfo(config.timezone)
    items, complete = _pages(h, client, url, html, first.final_url, state, config, tz)
    items = _dated(h, client, items, state, tz, budget)
    for item in items:
        h.articles.append((Article(item.url, item.title, item.published, "html"), url))
    h.feeds.append(FeedSeen(url, column_id, "section page"))
    oldest = min((i.published for i in items if i.published), default=None)
    if not items:
        return  # a listing with no item proves nothing (it may be drawn by a script)
    start = BEGINNING if complete or oldest is None else oldest
    h.undated_spans.update({i.url: (start, started) for i in items if i.published is None})
    if oldest is None and not complete:
        return
    h.coverage.append(
        Coverage(column_id, BEGINNING if complete else oldest, started, f"feed:{url}", OWN_SECTION)
    )


def _pages(h, client, url, html, final_url, state, config, tz) -> tuple[list[Item], bool]:
    """Listing pages from the newest, until the end, the limit, or what was seen before."""
    seen_until = (state.coverage_end or {}).get(f"feed:{url}")
    listing = read_listing(html, final_url, tz)
    items = list(listing.items)
    for _ in range(config.http.max_section_pages - 1):
        if not listing.next_url:
            return items, True
        dates = [i.published for i in items if i.published]
        if seen_until and dates and min(dates) <= seen_until:
            return items, False
        try:
            with client.purpose("paging"):
                page = client.get(listing.next_url)
        except FetchError as e:
            h.errors.append(f"section {url} next page: {e.message}")
            return items, False
        listing = read_listing(decode_html(page.body, page.content_type), page.final_url, tz)
        items += [i for i in listing.items if i.url not in {x.url for x in items}]
    return items, not listing.next_url


def _dated(h, client, items: list[Item], state, tz, budget: list[int]) -> list[Item]:
    """Items without a date in the listing get it from their own page (within a budget);
    ones already stored with a date keep it."""
    out = []
    for item in items:
        if item.published is None and item.url not in state.dated_urls and budget[0] > 0:
            budget[0] -= 1
            try:
                with client.purpose("article"):
                    page = client.get(item.url)
                when = article_date(decode_html(page.body, page.content_type), tz)
                item = Item(item.url, item.title, when)
            except FetchError as e:
                h.notes.append(f"article {item.url}: {e.message}")
        out.append(item)
    return out
