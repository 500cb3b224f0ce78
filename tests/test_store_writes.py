"""The crawl's write decisions alone (merge.py and terms.complete_listing, no database): how
a new copy of an article merges into its stored row, how two stored rows of one article combine,
terms, the undated span, and what a crawl calls a complete listing. Rows are written out
by hand as the store keeps them (JSON text columns, ISO instants in UTC)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from auditor.rules import merge
from auditor.rules.merge import aliases as _aliases
from auditor.rules.merge import combine as _combine
from auditor.rules.merge import longer as _longer
from auditor.rules.merge import merge_terms as _merge_terms
from auditor.rules.merge import undated_span as _undated_span
from auditor.rules.terms import complete_listing
from auditor.types import Article, Harvest, Outlet, Term


def _merge(existing: dict | None, a: Article, feed: str, h: Harvest) -> dict:
    """merge_article as the crawl calls it (crawlsave._save_articles)."""
    span = h.undated_spans.get(a.url)
    return merge.merge_article(existing, a, feed, outlet_id=h.outlet.id, seen=h.started, span=span)


OUTLET = Outlet("o", "Báo", "province", "https://bao.vn/")
T0 = datetime(2017, 10, 10, 1, tzinfo=UTC)  # this crawl
URL = "https://bao.vn/tin/a-1.html"


def harvest(**kw) -> Harvest:
    return Harvest(OUTLET, T0, **kw)


def article(source: str = "rss", **kw) -> Article:
    return Article(**{"url": URL, "title": "Tựa", "published": None, "source": source, **kw})


def when(day: int, hour: int = 0) -> datetime:
    return datetime(2017, 10, day, hour, tzinfo=UTC)


def iso(day: int, hour: int = 0) -> str:
    return when(day, hour).isoformat()


def stored(**kw) -> dict:
    """A stored row of the article, from a feed, before this crawl."""
    row = {
        "id": 1,
        "outlet_id": "o",
        "url": URL,
        "aliases": "[]",
        "guid": "g-old",
        "wp_id": None,
        "title": "Tựa cũ",
        "summary": "ngắn",
        "text": "",
        "published": iso(1),
        "modified": iso(2),
        "terms": "[]",
        "sources": '["rss"]',
        "feeds": '["https://bao.vn/feed/"]',
        "first_seen": iso(3),
        "last_seen": iso(3),
        "removed_at": None,
        "undated_from": None,
        "undated_to": None,
    }
    return {**row, **kw}


def test_a_new_article_is_one_row():
    a = article(
        guid="g",
        wp_id=None,
        published=when(5),
        modified=when(6),
        summary="tóm",
        text="bài",
        terms=(Term("category", "Thiết chế"),),
        aliases=("https://bao.vn/?p=7",),
    )
    assert _merge(None, a, "https://bao.vn/feed/", harvest()) == {
        "outlet_id": "o",
        "url": URL,
        "aliases": '["https://bao.vn/?p=7"]',
        "guid": "g",
        "wp_id": None,
        "title": "Tựa",
        "summary": "tóm",
        "text": "bài",
        "published": iso(5),
        "modified": iso(6),
        "terms": json.dumps(
            [
                {
                    "kind": "category",
                    "name": "Thiết chế",
                    "slug": "",
                    "term_id": None,
                    "origin": "rss",
                }
            ],
            ensure_ascii=False,
        ),
        "sources": '["rss"]',
        "feeds": '["https://bao.vn/feed/"]',
        "first_seen": T0.isoformat(),
        "last_seen": T0.isoformat(),
        "removed_at": None,
        "undated_from": None,
        "undated_to": None,
    }


def test_a_new_undated_article_keeps_its_listing_span():
    spans = {URL: (when(1), when(8))}
    row = _merge(None, article(), "", harvest(undated_spans=spans))
    assert (row["published"], row["undated_from"], row["undated_to"]) == (None, iso(1), iso(8))
    assert row["feeds"] == "[]"  # a copy from no feed adds none


MERGES = {
    # (stored row changes, the new copy, expected changes of the row)
    "a feed copy modified later brings its title": (
        {},
        article(title="Tựa mới", modified=when(4)),
        {"title": "Tựa mới", "modified": iso(4)},
    ),
    "a feed copy modified earlier does not": (
        {},
        article(title="Tựa mới", modified=when(1)),
        {"title": "Tựa cũ", "modified": iso(2)},
    ),
    "a feed copy modified at the same second does not": (
        {},
        article(title="Tựa mới", modified=when(2)),
        {"title": "Tựa cũ", "modified": iso(2)},
    ),
    "a feed copy without a date of change does not": (
        {},
        article(title="Tựa mới"),
        {"title": "Tựa cũ"},
    ),
    "a stored row without a date of change takes any dated copy's title": (
        {"modified": None},
        article(title="Tựa mới", modified=when(1)),
        {"title": "Tựa mới", "modified": iso(1)},
    ),
    "a stored row without a title takes any": (
        {"title": ""},
        article(title="Tựa mới"),
        {"title": "Tựa mới"},
    ),
    "a feed copy brings a date the row lacks": (
        {"published": None},
        article(published=when(5)),
        {"published": iso(5)},
    ),
    "a feed copy's date replaces a feed row's date": (
        {},
        article(published=when(5)),
        {"published": iso(5)},
    ),
    "an undated feed copy keeps the stored date": ({}, article(), {}),
    "a REST row keeps its dates and title against a feed copy modified later": (
        {"sources": '["rest"]'},
        article(title="Tựa mới", published=when(5), modified=when(9)),
        {"sources": '["rest", "rss"]', "modified": iso(9)},
    ),
    "a REST row without a date takes the feed copy's": (
        {"sources": '["rest"]', "published": None},
        article(published=when(5)),
        {"sources": '["rest", "rss"]', "published": iso(5)},
    ),
    "a REST copy wins on title and date": (
        {},
        article("rest", title="Tựa REST", published=when(5), wp_id=7),
        {"sources": '["rest", "rss"]', "title": "Tựa REST", "published": iso(5), "wp_id": 7},
    ),
    "a copy without a post id keeps the stored one": ({"wp_id": 7}, article(), {"wp_id": 7}),
    "a post id 0 is a post id": ({"wp_id": 7}, article(wp_id=0), {"wp_id": 0}),
    "the stored guid stays": ({}, article(guid="g-new"), {}),
    "a row without a guid takes the copy's": (
        {"guid": ""},
        article(guid="g-new"),
        {"guid": "g-new"},
    ),
    "the longer summary and text stay": (
        {"summary": "tóm tắt dài", "text": "bài"},
        article(summary="tóm", text="bài dài hơn"),
        {"summary": "tóm tắt dài", "text": "bài dài hơn"},
    ),
    "the stored address stays, the copy's becomes an alias": (
        {"aliases": '["https://bao.vn/?p=7"]'},
        article(url="https://bao.vn/tin/a-1-amp.html", aliases=("https://bao.vn/z",)),
        {
            "aliases": json.dumps(
                ["https://bao.vn/?p=7", "https://bao.vn/tin/a-1-amp.html", "https://bao.vn/z"]
            )
        },
    ),
    "feeds are a sorted set": (
        {"feeds": '["https://bao.vn/z/"]'},
        article(),
        {"feeds": '["https://bao.vn/feed/", "https://bao.vn/z/"]'},
    ),
    "a removed article seen again is back": ({"removed_at": iso(4)}, article(), {}),
    "first seen stays, last seen moves": ({}, article(), {}),
}


@pytest.mark.parametrize("old,copy,changes", MERGES.values(), ids=MERGES.keys())
def test_merge_into_a_stored_row(old, copy, changes):
    row = stored(**old)
    expected = {k: v for k, v in row.items() if k != "id"}
    expected.update(
        {
            "sources": json.dumps(sorted(set(json.loads(row["sources"])) | {copy.source})),
            "feeds": json.dumps(sorted(set(json.loads(row["feeds"])) | {"https://bao.vn/feed/"})),
            "last_seen": T0.isoformat(),
            "removed_at": None,
            "undated_from": None,
            "undated_to": None,
        }
    )
    expected.update(changes)
    assert _merge(row, copy, "https://bao.vn/feed/", harvest()) == expected


UNDATED = {
    "dated: no span": (
        {"undated_from": iso(1), "undated_to": iso(2)},
        (when(3), when(4)),
        iso(5),
        (None, None),
    ),
    "the union of the stored span and the new one": (
        {"undated_from": iso(3), "undated_to": iso(5)},
        (when(1), when(4)),
        None,
        (iso(1), iso(5)),
    ),
    "the union, the other way": (
        {"undated_from": iso(1), "undated_to": iso(4)},
        (when(3), when(6)),
        None,
        (iso(1), iso(6)),
    ),
    "no new span": ({"undated_from": iso(1), "undated_to": iso(4)}, None, None, (iso(1), iso(4))),
    "no stored span": ({}, (when(3), when(6)), None, (iso(3), iso(6))),
    "neither": ({}, None, None, (None, None)),
}


@pytest.mark.parametrize("old,span,published,expected", UNDATED.values(), ids=UNDATED.keys())
def test_undated_span(old, span, published, expected):
    got = _undated_span(old, span, published)
    assert (got["undated_from"], got["undated_to"]) == expected


def term(kind: str, name: str, origin: str, term_id=None, slug="") -> dict:
    return {"kind": kind, "name": name, "slug": slug, "term_id": term_id, "origin": origin}


def test_merge_terms():
    old = [term("category", "Thiết chế", "rest", 3, "tc"), term("category", "Nhà ở", "rss")]
    # REST replaces what REST said before, and keeps the feeds' categories
    assert _merge_terms(old, (Term("category", "Đại hội", "dh", 5),), True) == [
        term("category", "Nhà ở", "rss"),
        term("category", "Đại hội", "rest", 5, "dh"),
    ]
    # a feed adds a category by name (any spelling of it counts as the same), once
    new = (
        Term("category", "THIẾT CHẾ"),
        Term("tag", "Thiết chế"),
        Term("category", "Mới"),
        Term("category", "Mới"),
        Term("category", ""),
    )
    assert _merge_terms(old, new, False) == [
        *old,
        term("tag", "Thiết chế", "rss"),
        term("category", "Mới", "rss"),
        term("category", "", "rss"),
    ]
    assert _merge_terms([term("tag", "", "rss")], (Term("tag", ""),), False) == [
        term("tag", "", "rss"),
        term("tag", "", "rss"),
    ]


def test_longer():
    assert _longer("ab", "abc") == "abc"
    assert _longer("abc", "ab") == "abc"
    assert _longer("ab", "cd") == "ab"  # a tie keeps the stored one
    assert _longer(None, None) == ""
    assert _longer(None, "a") == "a"


def test_aliases():
    a = article(url="https://bao.vn/b", aliases=("https://bao.vn/c", URL))
    assert _aliases({"aliases": '["https://bao.vn/d"]'}, a, URL) == json.dumps(
        ["https://bao.vn/b", "https://bao.vn/c", "https://bao.vn/d"]
    )
    assert _aliases({}, article(), URL) == "[]"


@pytest.mark.parametrize(
    "kw,listing",
    [
        ({"rest_terms_complete": True, "menu_links": 9}, "REST categories and tags"),
        ({"menu_links": 3}, "homepage menu (3 links)"),
        ({"menu_links": 2}, ""),
        ({}, ""),
    ],
    ids=["REST terms", "three menu links", "two menu links", "nothing"],
)
def test_listing(kw, listing):
    h = harvest(**kw)
    assert complete_listing(h.rest_terms_complete, h.menu_links) == listing


def test_combine_two_feed_rows():
    keep = stored(
        id=1,
        guid="",
        aliases='["https://bao.vn/x"]',
        summary="dài hơn nhiều",
        text="",
        terms=json.dumps([term("category", "A", "rss")]),
        first_seen=iso(5),
        modified=None,
        published=None,
        undated_from=iso(1),
        undated_to=iso(3),
        removed_at=iso(8),
    )
    other = stored(
        id=2,
        url="https://bao.vn/b",
        guid="g2",
        wp_id=9,
        title="Khác",
        summary="ngắn",
        text="bài",
        aliases='["https://bao.vn/y"]',
        feeds='["https://bao.vn/z/"]',
        terms=json.dumps([term("category", "A", "rss"), term("tag", "B", "rss")]),
        first_seen=iso(4),
        modified=iso(6),
        published=iso(2),
        removed_at=None,
    )
    assert _combine(keep, other) == {
        **keep,
        "sources": '["rss"]',
        "feeds": '["https://bao.vn/feed/", "https://bao.vn/z/"]',
        "aliases": '["https://bao.vn/b", "https://bao.vn/x", "https://bao.vn/y"]',
        "guid": "g2",
        "wp_id": 9,
        "published": iso(2),
        "summary": "dài hơn nhiều",
        "text": "bài",
        "modified": iso(6),
        "first_seen": iso(4),
        "terms": json.dumps(
            [term("category", "A", "rss"), term("tag", "B", "rss")], ensure_ascii=False
        ),
        "undated_from": None,
        "undated_to": None,
        "removed_at": None,
    }


def test_combine_a_rest_row_into_a_feed_row():
    keep = stored(id=1, title="Feed", published=iso(1), removed_at=iso(8))
    other = stored(
        id=2,
        url="https://bao.vn/b",
        title="REST",
        published=iso(2),
        sources='["rest"]',
        removed_at=iso(9),
    )
    got = _combine(keep, other)
    assert (got["title"], got["published"], got["sources"]) == ("REST", iso(2), '["rest", "rss"]')
    assert got["removed_at"] == iso(8)  # both removed: still removed
    # a REST row kept: a feed row's title and date do not replace its own
    got = _combine(other, keep)
    assert (got["title"], got["published"]) == ("REST", iso(2))
    # a keep without a title takes the other's, and an undated pair keeps its span
    got = _combine(stored(title="", published=None, undated_from=iso(1)), stored(published=None))
    assert (got["title"], got["undated_from"]) == ("Tựa cũ", iso(1))
