"""The store's crawl-side writes (store/crawls.py), each read back exactly: through the
store's own reads where it has one, else through its rows. A Store on tmp_path, no server."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from auditor.errors import StoreError
from auditor.store import Store
from auditor.types import (
    Coverage,
    CoverageJoin,
    NewCrawl,
    Outlet,
    OutletState,
    OutletUpdate,
    RequestRecord,
    SectionSeen,
    Term,
)

OUTLET = Outlet("o", "Báo Lao động", "province", "https://bao.vn/", group="g1")


def at(day: int, hour: int = 0) -> datetime:
    return datetime(2024, 3, day, hour, tzinfo=UTC)


def stamp(day: int, hour: int = 0) -> str:
    return at(day, hour).isoformat(timespec="seconds")


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "s.db")
    yield s
    s.close()


def update(**kw) -> OutletUpdate:
    base = {"outlet": OUTLET, "crawled_at": at(5), "status": "ok", "error": "", "failures": 0}
    return OutletUpdate(**{**base, **kw})


def crawl(**kw) -> NewCrawl:
    base = {
        "outlet_id": "o",
        "started": at(5, 1),
        "finished": at(5, 2),
        "status": "ok",
        "error": "e",
        "notes": "n",
        "requests": 7,
        "requests_by": {"listing": 5, "robots": 2},
        "bytes": 1234,
        "retry_after": 2.5,
        "listing": "rest",
    }
    return NewCrawl(**{**base, **kw})


def add_article(store, url, **kw) -> int:
    row = {"outlet_id": "o", "url": url, "sources": '["rss"]', **kw}
    with store.transaction():
        return store.insert_article(row)


def crawl_row(store, crawl_id) -> dict:
    return store._q("SELECT * FROM crawls WHERE id = ?", (crawl_id,))[0]


def coverage_rows(store) -> list[tuple]:
    return [
        (r["id"], r["column_id"], r["source"], r["start"], r["end"], r["scope"])
        for r in store._q("SELECT * FROM coverage ORDER BY id")
    ]


# -- writes refuse outside a transaction --------------------------------------------------

REFUSING = [
    ("count_articles", lambda s: s.count_articles(1, 2, 3)),
    ("insert_crawl", lambda s: s.insert_crawl(crawl())),
    ("save_fetches", lambda s: s.save_fetches(1, "o", [])),
    ("save_outlet", lambda s: s.save_outlet(update())),
    ("save_validators", lambda s: s.save_validators({}, at(1))),
    ("save_terms", lambda s: s.save_terms("o", [], at(1), False)),
    ("put_sections", lambda s: s.put_sections("o", [], at(1))),
    ("insert_article", lambda s: s.insert_article({"outlet_id": "o", "url": "u"})),
    ("update_article", lambda s: s.update_article(1, {"title": "t"})),
    ("save_keys", lambda s: s.save_keys("o", 1, {"k"})),
    ("fold_articles", lambda s: s.fold_articles({"id": 1}, [])),
    ("count_undated", lambda s: s.count_undated(1, "o", 0)),
    ("mark_removed", lambda s: s.mark_removed([], at(1))),
    ("withdraw_coverage", lambda s: s.withdraw_coverage("o", [])),
    ("extend_coverage", lambda s: s.extend_coverage("o", [], at(1))),
    (
        "save_coverage_span",
        lambda s: s.save_coverage_span("o", CoverageJoin(Coverage("c", at(1), at(2), "rss"))),
    ),
]


@pytest.mark.parametrize("name,write", REFUSING, ids=[n for n, _ in REFUSING])
def test_crawl_writes_refuse_outside_a_transaction(store, name, write):
    with pytest.raises(StoreError, match=r"inside store\.transaction"):
        write(store)
    assert store._q("SELECT count(*) AS n FROM crawls")[0]["n"] == 0
    assert store._q("SELECT count(*) AS n FROM outlets")[0]["n"] == 0


# -- outlets ------------------------------------------------------------------------------


def test_an_unknown_outlet_has_an_empty_state(store):
    assert store.outlet_state("nope") == OutletState(coverage_end={})
    assert store.failure_count("nope") == 0


def test_save_outlet_then_outlet_state_reads_every_field(store):
    feeds = (("https://bao.vn/feed/", ""), ("https://bao.vn/cd/feed/", "cd"))
    with store.transaction():
        store.save_outlet(
            update(
                failures=3,
                api=("https://bao.vn/wp-json/", "open"),
                feeds=feeds,
                full_listing_at=at(4),
                homepage_at=at(3),
                rest_cursor=at(2),
            )
        )
    state = store.outlet_state("o")
    assert state == OutletState(
        api_root="https://bao.vn/wp-json/",
        api_note="open",
        feeds=("https://bao.vn/feed/",),
        column_feeds=(("https://bao.vn/cd/feed/", "cd"),),
        last_full_listing=at(4),
        rest_cursor=at(2),
        coverage_end={},
        consecutive_failures=3,
        homepage_at=at(3),
        sections=(),
        dated_urls=frozenset(),
        article_columns={},
        terms=(),
    )
    assert store.failure_count("o") == 3
    row = store._q("SELECT * FROM outlets WHERE id = 'o'")[0]
    assert (row["name"], row["kind"], row["url"], row["grp"]) == (
        "Báo Lao động",
        "province",
        "https://bao.vn/",
        "g1",
    )
    assert (row["last_crawl_at"], row["last_status"], row["last_error"]) == (stamp(5), "ok", "")
    assert json.loads(row["feeds"]) == [list(p) for p in feeds]


def test_an_update_that_did_not_learn_a_field_keeps_it_as_stored(store):
    with store.transaction():
        store.save_outlet(
            update(
                failures=1,
                api=("https://bao.vn/wp-json/", "open"),
                feeds=(("https://bao.vn/feed/", ""),),
                full_listing_at=at(4),
                homepage_at=at(3),
                rest_cursor=at(2),
            )
        )
    with store.transaction():
        store.save_outlet(update(crawled_at=at(9), status="failed", error="timeout", failures=4))
    state = store.outlet_state("o")
    assert (state.api_root, state.api_note) == ("https://bao.vn/wp-json/", "open")
    assert state.feeds == ("https://bao.vn/feed/",)
    assert state.last_full_listing == at(4)
    assert state.homepage_at == at(3)
    assert state.rest_cursor == at(2)
    assert state.consecutive_failures == 4
    assert store.failure_count("o") == 4
    row = store._q("SELECT * FROM outlets WHERE id = 'o'")[0]
    assert (row["last_crawl_at"], row["last_status"], row["last_error"]) == (
        stamp(9),
        "failed",
        "timeout",
    )


def test_an_update_that_learned_new_values_replaces_them(store):
    with store.transaction():
        store.save_outlet(update(api=("r1", "n1"), feeds=(("f1", ""),), rest_cursor=at(2)))
        store.save_outlet(
            update(
                api=("", "closed"),
                feeds=(),
                full_listing_at=at(6),
                homepage_at=at(7),
                rest_cursor=at(8),
            )
        )
    state = store.outlet_state("o")
    assert (state.api_root, state.api_note) == ("", "closed")
    assert (state.feeds, state.column_feeds) == ((), ())
    assert (state.last_full_listing, state.homepage_at, state.rest_cursor) == (at(6), at(7), at(8))
    assert store._q("SELECT count(*) AS n FROM outlets")[0]["n"] == 1


def test_outlet_state_gathers_coverage_sections_articles_and_terms(store):
    with store.transaction():
        store.save_outlet(update())
        for column, source, start, end, scope in [
            ("cd", "rss", 1, 3, "feed"),
            ("cd", "rss", 4, 6, "feed"),
            ("pl", "rss", 1, 8, None),  # no decided scope: not counted
            ("pl", "rest", 2, 5, "rest"),
        ]:
            store.db["coverage"].insert(
                {
                    "outlet_id": "o",
                    "column_id": column,
                    "source": source,
                    "start": stamp(start),
                    "end": stamp(end),
                    "scope": scope,
                }
            )
        store.db["coverage"].insert(
            {
                "outlet_id": "x",
                "column_id": "cd",
                "source": "rss",
                "start": stamp(1),
                "end": stamp(20),
                "scope": "feed",
            }
        )
        store.put_sections("o", [SectionSeen("cd", "https://bao.vn/cd/", "menu")], at(5))
        store.put_sections("x", [SectionSeen("cd", "https://x.vn/cd/", "menu")], at(5))
        store.save_terms(
            "o", [("rest", Term("category", "Công đoàn", "cong-doan", 7, "L"))], at(5), False
        )
    dated = add_article(store, "https://bao.vn/a.html", published=stamp(2))
    add_article(store, "https://bao.vn/b.html")
    add_article(store, "https://bao.vn/c.html", outlet_id="x", published=stamp(2))
    with store.transaction():
        store.db["article_columns"].insert_all(
            [
                {"article_id": dated, "outlet_id": "o", "column_id": "cd"},
                {"article_id": dated, "outlet_id": "o", "column_id": "pl"},
            ]
        )
    state = store.outlet_state("o")
    assert state.coverage_end == {"rss": at(6), "rest": at(5)}
    assert state.sections == (("cd", "https://bao.vn/cd/"),)
    assert state.dated_urls == frozenset({"https://bao.vn/a.html"})
    assert state.article_columns == {"https://bao.vn/a.html": frozenset({"cd", "pl"})}
    assert state.terms == (Term("category", "Công đoàn", "cong-doan", 7, "L"),)


# -- robots and validators ----------------------------------------------------------------


def test_robots_round_trip_and_upsert(store):
    assert store.robots() == {}
    store.save_robots({})  # nothing fresh: no transaction, no rows
    store.save_robots({"https://a.vn": (at(1), "User-agent: *"), "https://b.vn": (at(2), "")})
    store.save_robots({"https://a.vn": (at(3), "Disallow: /")})
    assert store.robots() == {
        "https://a.vn": (at(3), "Disallow: /"),
        "https://b.vn": (at(2), ""),
    }


def test_validators_round_trip_and_upsert(store):
    with store.transaction():
        store.save_validators(
            {"u1": {"etag": "e1", "last_modified": "m1"}, "u2": {"etag": "e2"}}, at(1)
        )
    with store.transaction():
        store.save_validators({"u1": {"last_modified": "m9"}}, at(2))
    assert store.validators() == {
        "u1": {"etag": "", "last_modified": "m9"},
        "u2": {"etag": "e2", "last_modified": ""},
    }
    ats = {r["url"]: r["at"] for r in store._q("SELECT url, at FROM http_cache")}
    assert ats == {"u1": stamp(2), "u2": stamp(1)}


# -- crawls and fetches -------------------------------------------------------------------


def test_insert_crawl_then_counts(store):
    with store.transaction():
        first = store.insert_crawl(crawl())
        second = store.insert_crawl(crawl(finished=None, retry_after=None, requests_by={}))
        store.count_articles(first, 4, 2)
    assert second == first + 1
    row = crawl_row(store, first)
    assert {k: row[k] for k in row if k not in ("undated", "skipped")} == {
        "id": first,
        "outlet_id": "o",
        "started_at": stamp(5, 1),
        "finished_at": stamp(5, 2),
        "status": "ok",
        "error": "e",
        "notes": "n",
        "requests": 7,
        "requests_by": json.dumps({"listing": 5, "robots": 2}),
        "retry_after": 2.5,
        "listing": "rest",
        "bytes": 1234,
        "new_articles": 4,
        "updated_articles": 2,
    }
    other = crawl_row(store, second)
    assert (other["finished_at"], other["retry_after"], other["requests_by"]) == (None, None, "{}")
    assert (other["new_articles"], other["updated_articles"]) == (0, 0)


def test_save_fetches_keeps_every_field(store):
    records = [
        RequestRecord("https://bao.vn/robots.txt", 200, 10, 5, at(5, 1), purpose="robots"),
        RequestRecord("https://bao.vn/feed/", None, 0, 30, at(5, 2), "timeout", 2),
    ]
    with store.transaction():
        cid = store.insert_crawl(crawl())
        store.save_fetches(cid, "o", records)
        store.save_fetches(cid, "o", [])
    rows = store._q("SELECT * FROM fetches ORDER BY id")
    assert [{k: r[k] for k in r if k != "id"} for r in rows] == [
        {
            "crawl_id": cid,
            "outlet_id": "o",
            "url": "https://bao.vn/robots.txt",
            "status": 200,
            "bytes": 10,
            "elapsed_ms": 5,
            "at": stamp(5, 1),
            "error": "",
            "attempt": 1,
            "purpose": "robots",
        },
        {
            "crawl_id": cid,
            "outlet_id": "o",
            "url": "https://bao.vn/feed/",
            "status": None,
            "bytes": 0,
            "elapsed_ms": 30,
            "at": stamp(5, 2),
            "error": "timeout",
            "attempt": 2,
            "purpose": "listing",
        },
    ]


def test_count_undated_counts_live_undated_articles_of_the_outlet(store):
    add_article(store, "https://bao.vn/1.html")
    add_article(store, "https://bao.vn/2.html")
    add_article(store, "https://bao.vn/3.html", published=stamp(1))
    add_article(store, "https://bao.vn/4.html", removed_at=stamp(2))
    add_article(store, "https://x.vn/5.html", outlet_id="x")
    with store.transaction():
        cid = store.insert_crawl(crawl())
        store.count_undated(cid, "o", 5)
    row = crawl_row(store, cid)
    assert (row["undated"], row["skipped"]) == (2, 5)
