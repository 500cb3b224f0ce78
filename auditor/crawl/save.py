"""Writing one outlet's crawl: the rules decide, the store writes.

For each harvested article the store is asked which stored rows share its keys; merge.py
decides the row they become; the store writes it. merge.py also decides which posts a
complete REST listing marks removed, planning.py the outlet's count of failures in a row,
terms.py which terms are kept and whether the crawl saw a complete listing of the
columns, coverage.py how a covered span joins the stored ones, and columns.py where each
column lives and which articles belong to it. All of it runs in one transaction per
outlet, so a failed or interrupted run writes nothing of that outlet.
"""

from __future__ import annotations

from auditor.ports import CrawlStore
from auditor.rules import columns, coverage, merge, planning, terms
from auditor.rules.identity import keys
from auditor.types import Campaign, ColumnSource, Harvest, NewCrawl, Outlet, OutletUpdate


def save_harvest(store: CrawlStore, h: Harvest, campaign: Campaign, *, poll: bool = False) -> dict:
    """Write one outlet's crawl whole, or not at all. Returns the crawl's counts. poll: only
    the articles the crawl wrote are relinked, while their columns' sources stand."""
    with store.transaction():
        _mark_removed(store, h)  # first: what it notes goes into the crawl row
        crawl_id = _save_crawl(store, h)
        new, updated, written = _save_articles(store, h)
        _save_coverage(store, h, crawl_id)
        relink(store, h.outlet, campaign, only=written if poll else None)
        store.count_articles(crawl_id, new, updated)
    return {"crawl_id": crawl_id, "new": new, "updated": updated, "status": h.status}


def _mark_removed(store: CrawlStore, h: Harvest) -> None:
    if h.rest_ids is None:  # no complete REST listing: nothing is shown to be gone
        return
    removal = merge.removals(store.live_rest_posts(h.outlet.id), h.rest_ids)
    if removal.note:
        h.notes.append(removal.note)
    store.mark_removed(removal.ids, h.started)


def _save_crawl(store: CrawlStore, h: Harvest) -> int:
    """The crawl's own rows (crawl, requests, outlet, validators, terms, sections), in
    that order; returns the crawl's id."""
    crawl_id = store.insert_crawl(
        NewCrawl(
            outlet_id=h.outlet.id,
            started=h.started,
            finished=h.finished,
            status=h.status,
            error="; ".join(h.errors),
            notes="; ".join(h.notes),
            requests=len(h.records),
            requests_by=h.requests_by(),
            bytes=sum(r.bytes for r in h.records),
            retry_after=h.retry_after,
            listing=terms.complete_listing(h.rest_terms_complete, h.menu_links),
        )
    )
    store.save_fetches(crawl_id, h.outlet.id, h.records)
    failures = planning.consecutive_failures(h.status, store.failure_count(h.outlet.id))
    store.save_outlet(_outlet_update(h, failures))
    store.save_validators(h.validators, h.started)
    kept = terms.kept_terms(h.terms, h.articles)
    # a complete REST listing of the terms replaces the REST terms stored before
    store.save_terms(h.outlet.id, kept, h.started, replace_rest=h.rest_terms_complete)
    store.put_sections(h.outlet.id, h.sections, h.started)
    return crawl_id


def _outlet_update(h: Harvest, failures: int) -> OutletUpdate:
    """What the crawl changes on its outlet's row; what it did not learn stays stored."""
    return OutletUpdate(
        outlet=h.outlet,
        crawled_at=h.started,
        status=h.status,
        error="; ".join(h.errors),
        failures=failures,
        api=(h.api_root, h.api_note) if h.api_root or h.api_note else None,
        feeds=tuple(sorted({(f.url, f.column_id) for f in h.feeds})) if h.feeds else None,
        full_listing_at=h.started if h.full_listing else None,
        homepage_at=h.started if h.homepage_read else None,
        rest_cursor=h.rest_cursor,
    )


def _save_coverage(store: CrawlStore, h: Harvest, crawl_id: int) -> None:
    """What the crawl's listings proved, and the outlet's undated count after it."""
    store.withdraw_coverage(h.outlet.id, h.withdrawn)  # what it claimed is not proven
    store.extend_coverage(h.outlet.id, h.not_modified, h.finished or h.started)
    for c in h.coverage:  # one at a time: a span may join one stored just before it
        join = coverage.join_span(c, store.coverage_touching(h.outlet.id, c))
        store.save_coverage_span(h.outlet.id, join)
    store.count_undated(crawl_id, h.outlet.id, h.skipped)


def _save_articles(store: CrawlStore, h: Harvest) -> tuple[int, int, set[int]]:
    """Each record joins the stored article that shares any of its keys (URLs, guid,
    WordPress id); stored articles that one record shows to be one are folded. Read and
    written one record at a time: a record may match one saved just before it. Returns
    the counts of new and updated articles, and the ids of every article written."""
    new = updated = 0
    written: set[int] = set()
    for article, feed in h.articles:
        ks = keys(article)
        found = store.articles_matching(h.outlet.id, article.url, ks)
        existing = found[0] if found else None
        if len(found) > 1:
            existing = merge.fold(found)
            store.fold_articles(existing, [r["id"] for r in found[1:]])
        span = h.undated_spans.get(article.url)
        row = merge.merge_article(
            existing, article, feed, outlet_id=h.outlet.id, seen=h.started, span=span
        )
        if existing is None:
            article_id = store.insert_article(row)
            new += 1
        else:
            article_id = existing["id"]
            store.update_article(article_id, row)
            updated += len(found) > 1 or merge.changed(existing, row)
        store.save_keys(h.outlet.id, article_id, ks)
        written.add(article_id)
    return new, updated, written


# A poll relinks at most this many articles one by one; beyond, the whole outlet at once.
MAX_RELINKED_BY_ID = 500


def relink(
    store: CrawlStore, outlet: Outlet, campaign: Campaign, only: set[int] | None = None
) -> dict[str, list[ColumnSource]]:
    """Recompute where each column lives and which articles belong to it. Inside
    store.transaction(), like every write of a crawl.

    only: the articles whose links may have changed, when nothing else has; used only if
    the columns' sources come out as stored. An article's links are a function of the
    article and the sources alone, so the others' would come out as they are. A poll
    passes it: relinking every article of an outlet at each poll cost 17 µs an article,
    35 s of CPU for a poll of 1,000 outlets of 2,000 articles each (bench/bench_scale.py's
    store). A full crawl relinks everything, so that a change of the linking rules
    themselves reaches every stored article at the next one."""
    sources = columns.resolve(campaign, outlet.overrides, store.known_terms(outlet.id))
    # menu evidence first: it says more than a feed found while crawling
    sources = columns.with_sections(sources, outlet.overrides, store.sections_of(outlet.id))
    sources = columns.with_column_feeds(sources, store.feed_pairs(outlet.id))
    by_id = only is not None and len(only) <= MAX_RELINKED_BY_ID
    if by_id and store.sources_as_stored(outlet.id, sources):
        if only:
            store.save_article_links(outlet.id, only, _links(store, outlet, sources, only))
        return sources
    store.save_column_links(outlet.id, sources, _links(store, outlet, sources))
    return sources


def _links(store: CrawlStore, outlet: Outlet, sources, ids: set[int] | None = None) -> list:
    return [
        (article_id, lk)
        for article_id, article, feeds in store.outlet_articles(outlet.id, ids)
        for lk in columns.link(article, feeds, sources)
    ]
