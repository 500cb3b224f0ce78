"""coverage.py's decisions, from data: which feed is the site's main one, when a feed's
items span columns, which stretches of a site-wide feed prove anything."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from auditor.rules.coverage import is_main_feed, open_spans, placed_spans, spans_columns
from auditor.types import Article, FeedRead, Term

MAIN_FEED = {
    "WordPress /feed/": ("http://x.vn/feed/", "http://x.vn/", True),
    "rss.xml at the root": ("http://x.vn/rss.xml", "http://x.vn", True),
    "plain permalinks": ("http://x.vn/?feed=rss2", "http://x.vn/", True),
    "a category's feed": ("http://x.vn/?feed=rss2&cat=3", "http://x.vn/", False),
    "a category path": ("http://x.vn/category/a/feed/", "http://x.vn/", False),
    "a section's feed": ("http://x.vn/rss/thiet-che.rss", "http://x.vn/", False),
    "a home feed under /rss/": ("http://x.vn/rss/trang-chu.rss", "http://x.vn/", False),
    "another host": ("http://y.vn/feed/", "http://x.vn/", False),
    "a site in a sub-folder": ("http://x.vn/ldld/feed/", "http://x.vn/ldld/", True),
    "the domain's feed above it": ("http://x.vn/feed/", "http://x.vn/ldld/", False),
}


@pytest.mark.parametrize("case", MAIN_FEED, ids=list(MAIN_FEED))
def test_main_feed(case):
    url, site, expected = MAIN_FEED[case]
    assert is_main_feed(url, site) is expected


SPANS = {
    "two columns": ([{"a"}, {"b"}, set()], ("a", "b")),
    "all items share a column": ([{"a"}, {"a", "b"}], ()),
    "one column": ([{"a"}, set()], ()),
    "nothing known": ([set(), set()], ()),
}


@pytest.mark.parametrize("case", SPANS, ids=list(SPANS))
def test_spans_columns(case):
    per_item, expected = SPANS[case]
    assert spans_columns([frozenset(s) for s in per_item]) == expected


T0 = datetime(2017, 10, 1, tzinfo=UTC)


def _feed(*items):
    articles = tuple(
        Article(
            f"http://x.vn/{i}", "", when, "rss", terms=(Term("category", "A"),) if tagged else ()
        )
        for i, (when, tagged) in enumerate(items)
    )
    return FeedRead("http://x.vn/feed/", T0, T0 + timedelta(days=30), articles)


def test_an_item_of_unknown_column_breaks_the_site_wide_stretch():
    hole = T0 + timedelta(days=10)
    feed = _feed((T0, True), (hole, False), (T0 + timedelta(days=20), True))
    spans = placed_spans(feed, [frozenset()] * 3)
    assert spans == [(T0, hole), (hole + timedelta(seconds=1), T0 + timedelta(days=30))]
    placed_by_listing = placed_spans(feed, [frozenset(), frozenset({"a"}), frozenset()])
    assert placed_by_listing == [(T0, T0 + timedelta(days=30))]


def test_an_undated_item_of_unknown_column_proves_nothing():
    assert placed_spans(_feed((T0, True), (None, False)), [frozenset()] * 2) == []


def test_open_spans_leave_out_each_hole_by_a_whole_second():
    end = T0 + timedelta(days=30)
    hole = T0 + timedelta(days=3, microseconds=700)
    # the store keeps seconds: spans one microsecond apart would be merged back over it
    spans = open_spans(T0, end, [hole])
    assert spans[0] == (T0, T0 + timedelta(days=3))
    assert spans[1] == (T0 + timedelta(days=3, seconds=1), end)
    assert open_spans(T0, end, [end + timedelta(days=1)]) == [(T0, end)]  # after it: no hole
    assert open_spans(T0, end, [T0 - timedelta(days=1)]) == [(T0, end)]
    assert open_spans(T0, end, [hole, None]) == []  # undated: it may lie anywhere
