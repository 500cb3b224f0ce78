"""Columns of sites that are not WordPress: read each column's section page, its own feed
when it announces one, otherwise its listing pages (and article pages for dates).

HTTP goes through the outlet's fetch.Client; parsing is parse/listing.py and parse/homepage.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from auditor.crawl import feeds
from auditor.crawl.outlet import OutletCrawl
from auditor.errors import FetchError
from auditor.parse.homepage import decode_html, read_page
from auditor.parse.listing import Item, article_date, read_listing
from auditor.rules.coverage import OWN_SECTION, own_feeds
from auditor.types import BEGINNING, Article, Coverage, FeedSeen, Fetched, Harvest, OutletState
from auditor.urls import canonical_url


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


@dataclass(frozen=True)
class SectionPage:
    """A column's section page as first read: its listing, and the feeds it announces."""

    column_id: str
    url: str
    first: Fetched
    html: str
    feeds: tuple[str, ...]
    started: datetime


def crawl_sections(crawl: OutletCrawl) -> None:
    """Each column not yet fed: its section's own feed if it announces one, else its
    listing pages."""
    h = crawl.h
    fed = {f.column_id for f in h.feeds if f.column_id}
    site_feeds = {canonical_url(f.url) for f in h.feeds if not f.column_id}
    read = (
        _section_page(crawl, column_id, url)
        for column_id, url in column_sections(h, crawl.state)
        if column_id not in fed
    )
    pages = [p for p in read if p is not None]
    owned = own_feeds([(p.column_id, p.feeds) for p in pages], h.outlet.url)
    for page, own in zip(pages, owned, strict=True):
        fresh = [f for f in own if f not in site_feeds]
        if fresh:  # the feed the column's section page announces as its own
            feeds.read_feed(crawl, fresh[0], page.column_id, paging=True)
        elif own:  # read already as a site feed: coverage.py gives it to this column
            h.announced.append((page.column_id, tuple(own)))
        else:
            _section(crawl, page)


def _section_page(crawl: OutletCrawl, column_id: str, url: str) -> SectionPage | None:
    started = crawl.now()
    try:
        first = crawl.client.get(url)
    except FetchError as e:
        crawl.h.errors.append(f"section {url}: {e.message}")
        return None
    html = decode_html(first.body, first.content_type)
    found = tuple(
        dict.fromkeys(
            canonical_url(f)
            for f in read_page(html, first.final_url).feeds
            if "comment" not in f.lower()
        )
    )
    return SectionPage(column_id, url, first, html, found, started)


def _section(crawl: OutletCrawl, page: SectionPage) -> None:
    h, url = crawl.h, page.url
    items, complete = _pages(crawl, page)
    items = _dated(crawl, items)
    for item in items:
        h.articles.append((Article(item.url, item.title, item.published, "html"), url))
    h.feeds.append(FeedSeen(url, page.column_id, "section page"))
    oldest = min((i.published for i in items if i.published), default=None)
    if not items:
        return  # a listing with no item proves nothing (it may be drawn by a script)
    start = BEGINNING if complete or oldest is None else oldest
    h.undated_spans.update({i.url: (start, page.started) for i in items if i.published is None})
    if oldest is None and not complete:
        return
    h.coverage.append(
        Coverage(
            page.column_id,
            BEGINNING if complete else oldest,
            page.started,
            f"feed:{url}",
            OWN_SECTION,
        )
    )


def _pages(crawl: OutletCrawl, section: SectionPage) -> tuple[list[Item], bool]:
    """Listing pages from the newest, until the end, the limit, or what was seen before."""
    url, tz = section.url, crawl.settings.tz
    seen_until = (crawl.state.coverage_end or {}).get(f"feed:{url}")
    listing = read_listing(section.html, section.first.final_url, tz)
    items = list(listing.items)
    for _ in range(crawl.settings.max_section_pages - 1):
        if not listing.next_url:
            return items, True
        dates = [i.published for i in items if i.published]
        if seen_until and dates and min(dates) <= seen_until:
            return items, False
        try:
            with crawl.client.purpose("paging"):
                page = crawl.client.get(listing.next_url)
        except FetchError as e:
            crawl.h.errors.append(f"section {url} next page: {e.message}")
            return items, False
        listing = read_listing(decode_html(page.body, page.content_type), page.final_url, tz)
        items += [i for i in listing.items if i.url not in {x.url for x in items}]
    return items, not listing.next_url


def _dated(crawl: OutletCrawl, items: list[Item]) -> list[Item]:
    """Items without a date in the listing get it from their own page (within the crawl's
    budget for section items); ones already stored with a date keep it."""
    out = []
    for item in items:
        if (
            item.published is None
            and item.url not in crawl.state.dated_urls
            and crawl.section_article_pages.take()  # spent last: only on a page to be read
        ):
            try:
                with crawl.client.purpose("article"):
                    page = crawl.client.get(item.url)
                when = article_date(decode_html(page.body, page.content_type), crawl.settings.tz)
                item = Item(item.url, item.title, when)
            except FetchError as e:
                crawl.h.notes.append(f"article {item.url}: {e.message}")
        out.append(item)
    return out
