"""An outlet's list of where its columns can live, as one crawl saw it. Pure.

Which categories and tags a crawl keeps: what the REST API listed (WordPress's own word,
slug, id and link), then the categories of feed items by name, where REST did not already
name them. A complete REST listing replaces the REST terms stored before (a category
deleted since is gone); feed categories only ever add.

Whether the crawl saw a complete listing of the outlet's columns: every REST category and
tag, or a homepage menu with enough links to be the site's whole menu. A column may be
called absent (`no`) only against such a listing; without one its existence is unknown.
"""

from __future__ import annotations

from collections.abc import Iterable

from auditor.types import Article, Term

REST = "rest"  # a term the REST API listed
FEED = "rss"  # a category a feed item carried

# Fewer menu links than this on a homepage is no complete listing of its sections.
MIN_MENU_LINKS = 3


def kept_terms(
    rest: Iterable[Term], articles: Iterable[tuple[Article, str]]
) -> list[tuple[str, Term]]:
    """(origin, term) to store, one per kind and name: REST's terms (a later one of the
    same name replaces an earlier), then feed items' named categories REST did not list,
    kept by name alone (a feed's slug or id is not WordPress's)."""
    kept: dict[tuple[str, str], tuple[str, Term]] = {}
    for t in rest:
        kept[(t.kind, t.name)] = (REST, t)
    for a, _ in articles:
        if a.source != FEED:  # REST articles' terms are in the REST listing already
            continue
        for t in a.terms:
            if t.name and (t.kind, t.name) not in kept:
                kept[(t.kind, t.name)] = (FEED, Term(t.kind, t.name))
    return list(kept.values())


def complete_listing(rest_terms_complete: bool, menu_links: int) -> str:
    """What this crawl saw a complete listing of, in words, or "" if nothing: a column
    missing from it can be called absent; without one, its existence is unknown."""
    if rest_terms_complete:
        return "REST categories and tags"
    if menu_links >= MIN_MENU_LINKS:
        return f"homepage menu ({menu_links} links)"
    return ""
