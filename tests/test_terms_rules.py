"""Which terms a crawl keeps and what it calls a complete listing (auditor/rules/terms.py),
from tables written out by hand."""

from __future__ import annotations

import pytest

from auditor.rules.terms import complete_listing, kept_terms
from auditor.types import Article, Term

CAT = Term("category", "Cột A", "cot-a", 4, "https://bao.vn/category/cot-a/")
TAG = Term("tag", "Cột A", "cot-a-2", 9, "https://bao.vn/tag/cot-a-2/")


def item(source: str, *terms: Term) -> tuple[Article, str]:
    a = Article(url="https://bao.vn/tin/1", title="t", published=None, source=source, terms=terms)
    return a, ""


KEPT = {
    "nothing seen, nothing kept": ((), (), []),
    "REST terms as listed, in order": ((CAT, TAG), (), [("rest", CAT), ("rest", TAG)]),
    "a later REST term of one kind and name replaces the earlier, in its place": (
        (CAT, Term("tag", "B"), Term("category", "Cột A", "cot-a-moi", 5)),
        (),
        [("rest", Term("category", "Cột A", "cot-a-moi", 5)), ("rest", Term("tag", "B"))],
    ),
    "a feed category is kept by name alone": (
        (),
        (item("rss", Term("category", "Cột B", "cot-b", 3, "https://x/")),),
        [("rss", Term("category", "Cột B"))],
    ),
    "a feed category REST listed is not kept twice": (
        (CAT,),
        (item("rss", Term("category", "Cột A")),),
        [("rest", CAT)],
    ),
    "the same name of another kind is another term": (
        (CAT,),
        (item("rss", Term("tag", "Cột A")),),
        [("rest", CAT), ("rss", Term("tag", "Cột A"))],
    ),
    "names compare exactly (another case is another term)": (
        (CAT,),
        (item("rss", Term("category", "cột a")),),
        [("rest", CAT), ("rss", Term("category", "cột a"))],
    ),
    "the first feed's copy of a category is the one kept": (
        (),
        (item("rss", Term("category", "B", "b1")), item("rss", Term("category", "B", "b2"))),
        [("rss", Term("category", "B"))],
    ),
    "a category without a name is not kept": ((), (item("rss", Term("category", "")),), []),
    "terms of REST or section articles are not feed categories": (
        (),
        (item("rest", Term("category", "C")), item("section", Term("category", "D"))),
        [],
    ),
    "REST terms come first whatever the order of the articles": (
        (TAG,),
        (item("rss", Term("category", "E")),),
        [("rest", TAG), ("rss", Term("category", "E"))],
    ),
}


@pytest.mark.parametrize("rest, articles, kept", KEPT.values(), ids=KEPT.keys())
def test_kept_terms(rest, articles, kept):
    assert kept_terms(rest, articles) == kept


LISTING = {
    "REST terms, whatever the menu": (True, 0, "REST categories and tags"),
    "REST terms before a long menu": (True, 9, "REST categories and tags"),
    "a menu of three links is complete": (False, 3, "homepage menu (3 links)"),
    "a longer menu says how long": (False, 12, "homepage menu (12 links)"),
    "two links are no complete menu": (False, 2, ""),
    "nothing": (False, 0, ""),
}


@pytest.mark.parametrize("rest, links, listing", LISTING.values(), ids=LISTING.keys())
def test_complete_listing(rest, links, listing):
    assert complete_listing(rest, links) == listing
