"""The feed side of one outlet's crawl: read a feed and its ?paged=N pages, record the
articles and what they cover, and WordPress category feeds when REST is closed."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, time, timedelta
from urllib.parse import urlsplit

from auditor.crawl.outlet import OutletCrawl, Settings
from auditor.errors import FetchError, NotModified, ParseError
from auditor.parse.feeds import FeedPage, parse_feed
from auditor.parse.homepage import decode_html
from auditor.parse.listing import article_date
from auditor.rules.coverage import OWN_FEED, open_spans
from auditor.types import (
    BEGINNING,
    Article,
    Coverage,
    FeedRead,
    FeedSeen,
    Harvest,
)
from auditor.urls import same_site, with_params, wp_post_id


def read_feed(
    crawl: OutletCrawl, url: str, column_id: str, paging: bool | None, guessed: bool = False
) -> bool:
    """Read one feed, and its ?paged=N pages if paging (None: if the feed says it is
    WordPress); True when its whole history was seen. guessed: a category feed the crawl
    made up, whose 404 is only noted."""
    h, source, started = crawl.h, f"feed:{url}", crawl.now()
    try:
        first = _feed_page(crawl, url, conditional=True)
    except NotModified:
        h.not_modified.append(source)
        h.feeds.append(FeedSeen(url, column_id))
        return False
    except (FetchError, ParseError) as e:
        if guessed and isinstance(e, FetchError) and e.status == 404:
            h.notes.append(f"no category feed at {url}")
        else:
            h.errors.append(f"feed {url}: {getattr(e, 'message', None) or e}")
        return False
    pages, complete = [first], False
    if paging or (paging is None and first.is_wordpress):
        complete = _more_pages(crawl, url, pages)
    pages = [_date_undated(crawl, p) for p in pages]
    _take_feed(h, url, column_id, pages, complete, started)
    return complete


def _feed_page(crawl: OutletCrawl, url: str, conditional: bool = False) -> FeedPage:
    """Relative links resolve against where the feed was read from, after redirects."""
    fetched = crawl.client.get(url, conditional=conditional)
    return parse_feed(
        fetched.body,
        url,
        fetched.content_type,
        base=fetched.final_url or url,
        tz=crawl.settings.tz,
    )


def _date_undated(crawl: OutletCrawl, page: FeedPage) -> FeedPage:
    """Items the feed left undated take the date their own page gives (article:published_time,
    JSON-LD datePublished, <time datetime>): only those, only on the outlet's own site, not
    when the store already has a date, and at most http.max_article_pages per crawl."""
    if not page.undated:
        return page
    articles = tuple(a if a.published else _page_date(crawl, a, page.url) for a in page.articles)
    return replace(page, articles=articles, undated=sum(a.published is None for a in articles))


def _page_date(crawl: OutletCrawl, article: Article, feed_url: str) -> Article:
    h = crawl.h
    own = same_site(article.url, feed_url) or same_site(article.url, h.outlet.url)
    # the budget is spent last: only on a page that would be read
    if not own or article.url in crawl.state.dated_urls or not crawl.feed_article_pages.take():
        return article
    try:
        with crawl.client.purpose("article"):
            fetched = crawl.client.get(article.url)
    except FetchError as e:
        h.notes.append(f"article {article.url}: {e.message}")
        return article
    when = article_date(decode_html(fetched.body, fetched.content_type), crawl.settings.tz)
    return replace(article, published=when) if when else article


def _more_pages(crawl: OutletCrawl, url: str, pages: list[FeedPage]) -> bool:
    """Follow WordPress's ?paged=N until the end, or until it meets what was seen before,
    or reaches back before the campaign (older posts are no week's evidence). A poll pages
    only to meet what was seen before: a feed's history is a full crawl's."""
    seen = {a.url for a in pages[0].articles}
    seen_until = crawl.state.coverage_end.get(f"feed:{url}")
    if crawl.settings.poll and seen_until is None:
        return False
    before = _first_week_start(crawl.settings)
    for n in range(2, crawl.settings.max_feed_pages + 1):
        oldest = min((p.oldest for p in pages if p.oldest), default=None)
        if not pages[-1].articles or (seen_until and oldest and oldest <= seen_until):
            return not pages[-1].articles
        if n > 2 and pages[-1].entries < pages[0].entries:
            return True  # WordPress pages hold posts_per_rss entries: a shorter one is the last
        if oldest and oldest < before:
            return False  # what it shows already spans the campaign; nothing older counts
        try:
            with crawl.client.purpose("paging"):
                page = _feed_page(crawl, with_params(url, paged=n))
        except FetchError as e:
            if e.status == 404:
                return True
            crawl.h.errors.append(f"feed {url} page {n}: {e.message}")
            return False
        except ParseError as e:
            crawl.h.errors.append(f"feed {url} page {n}: {e}")
            return False
        fresh = [a for a in page.articles if a.url not in seen]
        if not fresh:
            return not page.articles  # an empty page is the end; a repeated one is ignored paging
        seen.update(a.url for a in fresh)
        pages.append(page)
    return False


def _first_week_start(settings: Settings) -> datetime:
    """Monday 00:00 (local) of the week the campaign starts in: the earliest instant any
    week the audit judges can need; an item older than it means the pages read cover
    every such week whole."""
    start = settings.campaign.start
    monday = start - timedelta(days=start.weekday())
    return datetime.combine(monday, time(0), settings.tz)


def _take_feed(
    h: Harvest,
    url: str,
    column_id: str,
    pages: list[FeedPage],
    complete: bool,
    started: datetime,
) -> None:
    wordpress = any(p.is_wordpress for p in pages) or bool(h.api_root)
    for page in pages:
        for a in page.articles:
            if wordpress and a.wp_id is None and _post_id(a) is not None:
                a = _with_wp_id(a, _post_id(a))
            h.articles.append((a, url))
    h.feeds.append(FeedSeen(url, column_id, pages[0].title))
    _note_page_facts(h, url, pages, complete, started)
    oldest = min((p.oldest for p in pages if p.oldest), default=None)
    if oldest is None and not complete:
        return
    start = BEGINNING if complete else oldest
    dropped = tuple(a for p in pages for a in p.dropped)
    if column_id:  # an entry it skipped is that column's: no week it may lie in is proven
        holes = [a.published for a in dropped]
        h.coverage += [
            Coverage(column_id, s, e, f"feed:{url}", OWN_FEED)
            for s, e in open_spans(start, started, holes)
        ]
    else:  # what it covers is decided when the whole crawl is seen (coverage.py)
        h.unscoped.append(
            FeedRead(url, start, started, tuple(a for p in pages for a in p.articles), dropped)
        )


def _with_wp_id(article: Article, post_id: int) -> Article:
    return replace(article, wp_id=post_id)


def _post_id(a: Article) -> int | None:
    """WordPress's short link ?p=ID, as guid or as the link to the site's root."""
    if wp_post_id(a.guid) is not None:
        return wp_post_id(a.guid)
    return wp_post_id(a.url) if urlsplit(a.url).path in ("", "/") else None


def _note_page_facts(
    h: Harvest, url: str, pages: list[FeedPage], complete: bool, started: datetime
) -> None:
    """What the feed's pages showed beside articles: entries skipped (with the reason),
    copies folded, and where each item still undated may lie (auditor/rules/undated.py)."""
    oldest = min((p.oldest for p in pages if p.oldest), default=None)
    start = BEGINNING if complete or oldest is None else oldest
    for page in pages:
        for a in page.articles:
            if a.published is None:
                h.undated_spans[a.url] = (start, started)
    _note_skipped(h, url, pages)


def _note_skipped(h: Harvest, url: str, pages: list[FeedPage]) -> None:
    reasons: dict[str, int] = {}
    for page in pages:
        for reason, n in page.skipped:
            reasons[reason] = reasons.get(reason, 0) + n
    merged = sum(p.merged for p in pages)
    if merged:
        h.notes.append(f"feed {url}: {merged} duplicate entries folded")
    if reasons:
        total = sum(reasons.values())
        h.skipped += total
        detail = ", ".join(f"{r}: {n}" for r, n in sorted(reasons.items()))
        h.notes.append(f"feed {url}: {total} entries skipped ({detail})")
