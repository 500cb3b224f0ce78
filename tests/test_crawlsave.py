"""Saving a crawl: the column-linking rules save.relink adds to columns.resolve (menu
sections, column feeds), and the store's writes refusing to run outside the one
transaction per outlet. Expected values are written out by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from auditor.crawl.save import relink
from auditor.errors import StoreError
from auditor.rules import columns
from auditor.store import Store
from auditor.types import (
    Campaign,
    ColumnOverride,
    ColumnSource,
    ColumnSpec,
    Coverage,
    CoverageJoin,
    NewCrawl,
    Outlet,
    OutletUpdate,
    SectionSeen,
    Term,
)

NAME = ColumnSource("a", "category", "Cột A", "name", "category 'Cột A' matched by name")
SECTION = "https://ld.example.vn/cot-b/"

SECTIONS = {
    "a section of an unplaced column is a source, after what resolve found": (
        {"a": [NAME]},
        (),
        [SectionSeen("b", SECTION, "menu link 'Cột B'")],
        {
            "a": [NAME],
            "b": [ColumnSource("b", "section", SECTION, "menu link", "menu link 'Cột B'")],
        },
    ),
    "the operator's placement wins over the menu": (
        {"a": [NAME]},
        (ColumnOverride("b", "url_prefix", "https://ld.example.vn/b/"),),
        [SectionSeen("b", SECTION, "menu link 'Cột B'")],
        {"a": [NAME]},
    ),
    "a section already a source is not added twice": (
        {"b": [ColumnSource("b", "section", SECTION, "menu link", "first")]},
        (),
        [SectionSeen("b", SECTION, "second")],
        {"b": [ColumnSource("b", "section", SECTION, "menu link", "first")]},
    ),
}


@pytest.mark.parametrize("sources, overrides, sections, expected", SECTIONS.values(), ids=SECTIONS)
def test_with_sections(sources, overrides, sections, expected):
    before = {k: list(v) for k, v in sources.items()}
    assert columns.with_sections(sources, overrides, sections) == expected
    assert sources == before  # a rule returns a new value; the input is left as it was


FEED_B = "https://ld.example.vn/category/cot-b/feed/"
FEEDS = {
    "a column feed found while crawling is a source": (
        {"a": [NAME]},
        [(FEED_B, "b")],
        {
            "a": [NAME],
            "b": [ColumnSource("b", "feed", FEED_B, "category feed", f"feed {FEED_B}")],
        },
    ),
    "a site feed (no column) is none": (
        {"a": [NAME]},
        [("https://ld.example.vn/feed/", "")],
        {"a": [NAME]},
    ),
    "a feed already placed is not added twice": (
        {"b": [ColumnSource("b", "feed", FEED_B, "config override", "config")]},
        [(FEED_B, "b")],
        {"b": [ColumnSource("b", "feed", FEED_B, "config override", "config")]},
    ),
}


@pytest.mark.parametrize("sources, feeds, expected", FEEDS.values(), ids=FEEDS)
def test_with_column_feeds(sources, feeds, expected):
    before = {k: list(v) for k, v in sources.items()}
    assert columns.with_column_feeds(sources, feeds) == expected
    assert sources == before


OUTLET = Outlet("ld", "LĐLĐ", "website", "https://ld.example.vn/")
CAMPAIGN = Campaign(
    "c",
    "c",
    date(2017, 9, 1),
    date(2018, 9, 30),
    2,
    (ColumnSpec("a", "Cột A"),),
)
NOW = datetime(2017, 10, 9, tzinfo=UTC)
ROW = {"outlet_id": "ld", "url": "https://ld.example.vn/x", "sources": '["rss"]', "feeds": "[]"}


@pytest.mark.parametrize(
    "write",
    [
        lambda s: s.insert_crawl(NewCrawl("ld", NOW, NOW, "ok", "", "", 0, {}, 0, None, "")),
        lambda s: s.save_fetches(1, "ld", []),
        lambda s: s.save_outlet(OutletUpdate(OUTLET, NOW, "ok", "", 0)),
        lambda s: s.save_validators({"https://ld.example.vn/feed": {"etag": "x"}}, NOW),
        lambda s: s.save_terms("ld", [("rss", Term("category", "Cột A"))], NOW, True),
        lambda s: s.put_sections("ld", [SectionSeen("a", SECTION, "menu")], NOW),
        lambda s: s.withdraw_coverage("ld", [("a", "rest")]),
        lambda s: s.extend_coverage("ld", ["rest"], NOW),
        lambda s: s.save_coverage_span("ld", CoverageJoin(Coverage("a", NOW, NOW, "rest"))),
        lambda s: s.count_undated(1, "ld", 0),
        lambda s: s.insert_article(ROW),
        lambda s: s.save_keys("ld", 1, {"url:x"}),
        lambda s: s.mark_removed([1], NOW),
        lambda s: relink(s, OUTLET, CAMPAIGN),
    ],
    ids=[
        "crawl row",
        "its requests",
        "outlet row",
        "validators",
        "terms",
        "sections",
        "withdrawn coverage",
        "coverage a 304 extends",
        "a covered span",
        "undated count",
        "an article",
        "its keys",
        "removals",
        "column links",
    ],
)
def test_a_crawls_writes_refuse_to_run_outside_its_transaction(tmp_path, write):
    store = Store(tmp_path / "s.db")
    with pytest.raises(StoreError, match=r"inside store\.transaction\(\)"):
        write(store)
    for table in (
        "crawls",
        "fetches",
        "outlets",
        "http_cache",
        "terms",
        "sections",
        "coverage",
        "articles",
        "article_keys",
        "column_sources",
        "article_columns",
    ):
        assert store.db[table].count == 0


def test_relink_inside_a_transaction_writes_the_decided_links(tmp_path):
    store = Store(tmp_path / "s.db")
    with store.transaction():
        store.db["terms"].insert(
            {"outlet_id": "ld", "kind": "category", "name": "Cột A", "origin": "rss"}
        )
        article_id = store.insert_article(
            ROW | {"terms": '[{"kind": "category", "name": "cột a"}]'}
        )
        sources = relink(store, OUTLET, CAMPAIGN)
    assert sources == {"a": [NAME]}
    assert [
        (r["article_id"], r["column_id"], r["rule"], r["evidence"])
        for r in store.db["article_columns"].rows
    ] == [(article_id, "a", "name", "category 'Cột A'")]
