"""Writing one outlet's crawl: the rules decide, the store writes.

For each harvested article the store is asked which stored rows share its keys; merge.py
decides the row they become; the store writes it. merge.py also decides which posts a
complete REST listing marks removed, and columns.py where each column lives and which
articles belong to it. All of it runs in one transaction per outlet, so a failed or
interrupted run writes nothing of that outlet.
"""

from __future__ import annotations

from auditor.ports import CrawlStore
from auditor.rules import columns, merge
from auditor.rules.identity import keys
from auditor.types import Campaign, ColumnSource, Harvest, Outlet


def save_harvest(store: CrawlStore, h: Harvest, campaign: Campaign) -> dict:
    """Write one outlet's crawl whole, or not at all. Returns the crawl's counts."""
    with store.transaction():
        _mark_removed(store, h)  # first: what it notes goes into the crawl row
        crawl_id = store.save_crawl(h)
        new, updated = _save_articles(store, h)
        store.save_coverage(h, crawl_id)
        relink(store, h.outlet, campaign)
        store.count_articles(crawl_id, new, updated)
    return {"crawl_id": crawl_id, "new": new, "updated": updated, "status": h.status}


def _mark_removed(store: CrawlStore, h: Harvest) -> None:
    if h.rest_ids is None:  # no complete REST listing: nothing is shown to be gone
        return
    removal = merge.removals(store.live_rest_posts(h.outlet.id), h.rest_ids)
    if removal.note:
        h.notes.append(removal.note)
    store.mark_removed(removal.ids, h.started)


def _save_articles(store: CrawlStore, h: Harvest) -> tuple[int, int]:
    """Each record joins the stored article that shares any of its keys (URLs, guid,
    WordPress id); stored articles that one record shows to be one are folded. Read and
    written one record at a time: a record may match one saved just before it."""
    new = updated = 0
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
    return new, updated


def relink(store: CrawlStore, outlet: Outlet, campaign: Campaign) -> dict[str, list[ColumnSource]]:
    """Recompute where each column lives and which articles belong to it. Inside
    store.transaction(), like every write of a crawl."""
    sources = columns.resolve(campaign, outlet.overrides, store.known_terms(outlet.id))
    # menu evidence first: it says more than a feed found while crawling
    sources = columns.with_sections(sources, outlet.overrides, store.sections_of(outlet.id))
    sources = columns.with_column_feeds(sources, store.feed_pairs(outlet.id))
    links = [
        (article_id, lk)
        for article_id, article, feeds in store.outlet_articles(outlet.id)
        for lk in columns.link(article, feeds, sources)
    ]
    store.save_column_links(outlet.id, sources, links)
    return sources
