"""merge.py on its own: how a harvested copy of an article joins the stored row(s) it
matched, and when a complete REST listing may mark stored posts removed. Rows in, rows
out; every expected value is written out by hand."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from auditor.rules import merge
from auditor.types import Article, Term

VN = ZoneInfo("Asia/Ho_Chi_Minh")
SEEN = datetime(2017, 10, 9, 3, 0, tzinfo=UTC)  # when the crawl started
FEED = "https://ld.example.vn/feed/"
URL = "https://ld.example.vn/2017/10/02/bai-7/"


def stored(**over) -> dict:
    """A stored `articles` row of a REST post, as the store hands it over."""
    row = {
        "id": 7,
        "outlet_id": "ld",
        "url": URL,
        "aliases": "[]",
        "guid": "https://ld.example.vn/?p=7",
        "wp_id": 7,
        "title": "Tiêu đề REST",
        "summary": "tóm tắt",
        "text": "",
        "published": "2017-10-02T01:30:00+00:00",
        "modified": "2017-10-02T02:00:00+00:00",
        "terms": "[]",
        "sources": '["rest"]',
        "feeds": "[]",
        "first_seen": "2017-10-02T03:00:00+00:00",
        "last_seen": "2017-10-02T03:00:00+00:00",
        "removed_at": None,
        "undated_from": None,
        "undated_to": None,
    }
    return row | over


def decided(**over) -> dict:
    """The row merge_article decides for the stored REST post seen again by this crawl."""
    row = stored(**over)
    del row["id"]
    row["last_seen"] = "2017-10-09T03:00:00+00:00"
    return row | over


# -- merge_article: precedence ---------------------------------------------------------------

MERGES = {
    "a new REST post is stored as read, its local time kept in UTC": (
        None,
        Article(
            URL,
            "Bài mới",
            datetime(2017, 10, 2, 8, 30, tzinfo=VN),
            "rest",
            guid="https://ld.example.vn/?p=7",
            wp_id=7,
            summary="tóm tắt",
        ),
        "",
        {
            "outlet_id": "ld",
            "url": URL,
            "aliases": "[]",
            "guid": "https://ld.example.vn/?p=7",
            "wp_id": 7,
            "title": "Bài mới",
            "summary": "tóm tắt",
            "text": "",
            "published": "2017-10-02T01:30:00+00:00",
            "modified": None,
            "terms": "[]",
            "sources": '["rest"]',
            "feeds": "[]",
            "first_seen": "2017-10-09T03:00:00+00:00",
            "last_seen": "2017-10-09T03:00:00+00:00",
            "removed_at": None,
            "undated_from": None,
            "undated_to": None,
        },
    ),
    "a feed copy keeps the REST dates and title, adds its feed, URL and longer text": (
        stored(),
        Article(
            "https://ld.example.vn/bai-7.html",
            "Tiêu đề trong RSS",
            datetime(2017, 10, 3, 0, 0, tzinfo=UTC),
            "rss",
            modified=datetime(2017, 10, 5, 0, 0, tzinfo=UTC),
            summary="ngắn",
            text="toàn văn bài báo",
        ),
        FEED,
        decided(
            aliases='["https://ld.example.vn/bai-7.html"]',
            text="toàn văn bài báo",
            modified="2017-10-05T00:00:00+00:00",
            sources='["rest", "rss"]',
            feeds=f'["{FEED}"]',
        ),
    ),
    "a feed copy modified later brings its title where no REST copy is stored": (
        stored(wp_id=None, sources='["rss"]', feeds=f'["{FEED}"]', title="Cũ"),
        Article(
            URL,
            "Mới sửa",
            datetime(2017, 10, 3, 0, 0, tzinfo=UTC),
            "rss",
            modified=datetime(2017, 10, 2, 2, 0, 1, tzinfo=UTC),
        ),
        FEED,
        decided(
            wp_id=None,
            sources='["rss"]',
            feeds=f'["{FEED}"]',
            title="Mới sửa",
            published="2017-10-03T00:00:00+00:00",
            modified="2017-10-02T02:00:01+00:00",
        ),
    ),
    "a feed copy modified no later keeps the stored title, not its date": (
        stored(wp_id=None, sources='["rss"]', feeds=f'["{FEED}"]', title="Cũ"),
        Article(
            URL,
            "Khác",
            datetime(2017, 10, 3, 0, 0, tzinfo=UTC),
            "rss",
            modified=datetime(2017, 10, 2, 2, 0, tzinfo=UTC),
        ),
        FEED,
        decided(
            wp_id=None,
            sources='["rss"]',
            feeds=f'["{FEED}"]',
            title="Cũ",
            published="2017-10-03T00:00:00+00:00",
        ),
    ),
    "a REST copy overrides a feed copy's date and title and brings its id": (
        stored(wp_id=None, sources='["rss"]', feeds=f'["{FEED}"]', title="Từ RSS"),
        Article(URL, "Từ REST", datetime(2017, 10, 1, 23, 0, tzinfo=UTC), "rest", wp_id=8),
        "",
        decided(
            wp_id=8,
            sources='["rest", "rss"]',
            feeds=f'["{FEED}"]',
            title="Từ REST",
            published="2017-10-01T23:00:00+00:00",
        ),
    ),
    "a removed post seen again is live again": (
        stored(removed_at="2017-10-05T00:00:00+00:00"),
        Article(URL, "Tiêu đề REST", datetime(2017, 10, 2, 1, 30, tzinfo=UTC), "rest", wp_id=7),
        "",
        decided(removed_at=None),
    ),
}


@pytest.mark.parametrize("existing, article, feed, expected", MERGES.values(), ids=MERGES)
def test_merge_article(existing, article, feed, expected):
    got = merge.merge_article(existing, article, feed, outlet_id="ld", seen=SEEN)
    assert got == expected


# -- merge_article: undated articles ---------------------------------------------------------

SPAN = (datetime(2017, 10, 4, tzinfo=UTC), datetime(2017, 10, 8, tzinfo=UTC))
SPANS = {
    "a new undated item takes the span of its listing": (
        None,
        None,
        SPAN,
        ("2017-10-04T00:00:00+00:00", "2017-10-08T00:00:00+00:00"),
    ),
    "an undated item keeps the union of the spans that showed it": (
        "2017-10-05T00:00:00+00:00",
        "2017-10-10T00:00:00+00:00",
        SPAN,
        ("2017-10-04T00:00:00+00:00", "2017-10-10T00:00:00+00:00"),
    ),
    "an undated item shown by no dated listing keeps its stored span": (
        "2017-10-05T00:00:00+00:00",
        "2017-10-06T00:00:00+00:00",
        None,
        ("2017-10-05T00:00:00+00:00", "2017-10-06T00:00:00+00:00"),
    ),
    "an undated item of no span has none": (None, None, None, (None, None)),
}


@pytest.mark.parametrize("old_from, old_to, span, expected", SPANS.values(), ids=SPANS)
def test_an_undated_article_keeps_where_it_may_lie(old_from, old_to, span, expected):
    existing = stored(
        wp_id=None, sources='["rss"]', published=None, undated_from=old_from, undated_to=old_to
    )
    existing = existing if old_from else None
    article = Article(URL, "Không ngày", None, "rss")
    row = merge.merge_article(existing, article, FEED, outlet_id="ld", seen=SEEN, span=span)
    assert row["published"] is None
    assert (row["undated_from"], row["undated_to"]) == expected


def test_a_dated_copy_clears_the_span():
    existing = stored(
        wp_id=None,
        sources='["rss"]',
        published=None,
        undated_from="2017-10-05T00:00:00+00:00",
        undated_to="2017-10-06T00:00:00+00:00",
    )
    article = Article(URL, "Có ngày", datetime(2017, 10, 5, 12, tzinfo=UTC), "rss")
    row = merge.merge_article(existing, article, FEED, outlet_id="ld", seen=SEEN, span=SPAN)
    assert (row["published"], row["undated_from"], row["undated_to"]) == (
        "2017-10-05T12:00:00+00:00",
        None,
        None,
    )


# -- the small rules -------------------------------------------------------------------------

ALIASES = {
    "the stored URL is no alias of itself": ("[]", URL, (), URL, "[]"),
    "another URL of the copy becomes one": (
        "[]",
        "https://ld.example.vn/?p=7",
        (),
        URL,
        '["https://ld.example.vn/?p=7"]',
    ),
    "aliases add up, sorted, once each": (
        '["https://ld.example.vn/z"]',
        "https://ld.example.vn/a",
        ("https://ld.example.vn/z", URL),
        URL,
        '["https://ld.example.vn/a", "https://ld.example.vn/z"]',
    ),
}


@pytest.mark.parametrize("old, url, more, kept_as, expected", ALIASES.values(), ids=ALIASES)
def test_aliases(old, url, more, kept_as, expected):
    article = Article(url, "", None, "rss", aliases=more)
    assert merge.aliases({"aliases": old}, article, kept_as) == expected


@pytest.mark.parametrize(
    "a, b, expected",
    [(None, None, ""), ("ab", None, "ab"), ("ab", "abc", "abc"), ("abc", "xyz", "abc")],
    ids=["nothing", "one", "the longer", "a tie keeps the stored"],
)
def test_longer(a, b, expected):
    assert merge.longer(a, b) == expected


REST_TERM = {"kind": "category", "name": "Cũ", "slug": "cu", "term_id": 3, "origin": "rest"}
RSS_TERM = {"kind": "category", "name": "Thời sự", "slug": "", "term_id": None, "origin": "rss"}
TERMS = {
    "REST terms replace what REST said before, feed ones stay": (
        [REST_TERM, RSS_TERM],
        (Term("category", "Mới", "moi", 4),),
        True,
        [
            RSS_TERM,
            {"kind": "category", "name": "Mới", "slug": "moi", "term_id": 4, "origin": "rest"},
        ],
    ),
    "a feed category of a known name (other tone placement) is not added again": (
        [REST_TERM, {**RSS_TERM, "name": "Hoà bình"}],
        (Term("category", "Hòa bình"), Term("tag", "Hòa bình")),
        False,
        [
            REST_TERM,
            {**RSS_TERM, "name": "Hoà bình"},
            {"kind": "tag", "name": "Hòa bình", "slug": "", "term_id": None, "origin": "rss"},
        ],
    ),
    "a feed copy keeps the REST terms": (
        [REST_TERM],
        (Term("category", "Cũ"),),
        False,
        [REST_TERM],
    ),
}


@pytest.mark.parametrize("old, new, authoritative, expected", TERMS.values(), ids=TERMS)
def test_merge_terms(old, new, authoritative, expected):
    assert merge.merge_terms(old, new, authoritative) == expected


def test_a_crawl_that_only_saw_the_article_again_did_not_update_it():
    assert not merge.changed(stored(), decided())
    assert merge.changed(stored(), decided(title="Sửa"))
    assert merge.changed(stored(), decided(aliases='["https://ld.example.vn/?p=7"]'))
    assert merge.changed(stored(removed_at="2017-10-05T00:00:00+00:00"), decided())


# -- fold / combine: stored rows one copy shows to be one article ------------------------------


def test_a_feed_row_and_a_rest_row_fold_into_the_older_with_the_rest_dates_and_title():
    older = stored(
        id=3,
        url="https://ld.example.vn/bai-7.html",
        wp_id=None,
        guid="",
        title="Từ RSS",
        published="2017-10-03T00:00:00+00:00",
        modified=None,
        summary="dài hơn nhiều",
        sources='["rss"]',
        feeds=f'["{FEED}"]',
        terms=json.dumps([RSS_TERM], ensure_ascii=False),
        first_seen="2017-10-01T00:00:00+00:00",
        removed_at="2017-10-06T00:00:00+00:00",
    )
    newer = stored(id=9, terms=json.dumps([REST_TERM, RSS_TERM], ensure_ascii=False))
    assert merge.fold([older, newer]) == {
        "id": 3,
        "outlet_id": "ld",
        "url": "https://ld.example.vn/bai-7.html",
        "aliases": f'["{URL}"]',
        "guid": "https://ld.example.vn/?p=7",
        "wp_id": 7,
        "title": "Tiêu đề REST",
        "summary": "dài hơn nhiều",
        "text": "",
        "published": "2017-10-02T01:30:00+00:00",
        "modified": "2017-10-02T02:00:00+00:00",
        "terms": json.dumps([RSS_TERM, REST_TERM], ensure_ascii=False),
        "sources": '["rest", "rss"]',
        "feeds": f'["{FEED}"]',
        "first_seen": "2017-10-01T00:00:00+00:00",
        "last_seen": "2017-10-02T03:00:00+00:00",
        "removed_at": None,  # one of them was live
        "undated_from": None,
        "undated_to": None,
    }


def test_three_rows_fold_one_after_the_other_and_stay_removed_only_if_all_were():
    gone = "2017-10-06T00:00:00+00:00"
    rows = [
        stored(id=1, url="https://ld.example.vn/a", removed_at=gone, published=None),
        stored(id=2, url="https://ld.example.vn/b", removed_at=gone, aliases='["x"]'),
        stored(id=3, url="https://ld.example.vn/c", removed_at=gone, undated_to=gone),
    ]
    got = merge.fold(rows)
    assert (got["id"], got["url"], got["removed_at"]) == (1, "https://ld.example.vn/a", gone)
    assert got["aliases"] == '["https://ld.example.vn/b", "https://ld.example.vn/c", "x"]'
    assert (got["published"], got["undated_to"]) == ("2017-10-02T01:30:00+00:00", None)
    assert merge.fold(rows[:1]) == rows[0] and merge.fold(rows[:1]) is not rows[0]


# -- the removal rule -------------------------------------------------------------------------


def _known(n: int) -> dict[int, int]:
    """n stored live REST posts: article id i → WordPress id 100 + i."""
    return {i: 100 + i for i in range(1, n + 1)}


def _listing_without(n: int, missing: int) -> set[int]:
    """A complete listing of the n known posts but the last `missing`, and one new post."""
    return {100 + i for i in range(1, n - missing + 1)} | {999}


REMOVALS = {
    "nothing missing: nothing removed": (30, 0, (), ""),
    "exactly a fifth missing (6 of 30): marked removed": (30, 6, (25, 26, 27, 28, 29, 30), ""),
    "one more than a fifth (7 of 30): none, and why": (
        30,
        7,
        (),
        "REST listing lacks 7 of 30 known posts; not marking them removed",
    ),
    "a fifth rounds down (6 of 33 is within, 7 is not)": (33, 6, (28, 29, 30, 31, 32, 33), ""),
    "7 of 33 is over a fifth": (
        33,
        7,
        (),
        "REST listing lacks 7 of 33 known posts; not marking them removed",
    ),
    "a small outlet may lose 5 at once (5 of 10)": (10, 5, (6, 7, 8, 9, 10), ""),
    "but not 6 of 10": (
        10,
        6,
        (),
        "REST listing lacks 6 of 10 known posts; not marking them removed",
    ),
    "fewer than 5 known, all gone: all marked removed": (4, 4, (1, 2, 3, 4), ""),
    "nothing known: nothing to remove": (0, 0, (), ""),
}


@pytest.mark.parametrize("n, missing, ids, note", REMOVALS.values(), ids=REMOVALS)
def test_removals(n, missing, ids, note):
    assert merge.removals(_known(n), _listing_without(n, missing)) == merge.Removal(ids, note)


def test_removals_go_by_wordpress_id_not_article_id():
    known = {1: 500, 2: 7}  # article 1 is post 500, article 2 is post 7
    assert merge.removals(known, frozenset({1, 500})) == merge.Removal((2,), "")
