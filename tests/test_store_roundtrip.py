"""The store's crawl-side writes (store/crawls.py), each read back exactly: through the
store's own reads where it has one, else through its rows. A Store on tmp_path, no server."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime

import pytest
import sqlite_utils

from auditor.errors import StoreError
from auditor.store import Store
from auditor.types import (
    Coverage,
    CoverageJoin,
    CoverageSpan,
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


# -- terms and sections -------------------------------------------------------------------


def test_save_terms_upserts_by_origin_and_replaces_rest_terms_when_asked(store):
    cd = Term("category", "Công đoàn", "cong-doan", 7, "https://bao.vn/cd/")
    tag = Term("tag", "Pháp luật", "phap-luat", 9, "")
    feed_cat = Term("category", "Công đoàn")
    with store.transaction():
        store.save_terms("o", [("rest", cd), ("rest", tag), ("feed", feed_cat)], at(1), False)
        store.save_terms("x", [("rest", tag)], at(1), False)
    assert sorted(store.known_terms("o"), key=repr) == sorted([cd, tag, feed_cat], key=repr)
    # same key again: replaced in place, not doubled
    renamed = Term("category", "Công đoàn", "cd", 8, "L2")
    with store.transaction():
        store.save_terms("o", [("rest", renamed)], at(2), False)
    assert sorted(store.known_terms("o"), key=repr) == sorted([renamed, tag, feed_cat], key=repr)
    # replace_rest: this outlet's REST terms before go, its feed terms and others' stay
    with store.transaction():
        store.save_terms("o", [], at(3), True)
    assert store.known_terms("o") == [feed_cat]
    assert store.known_terms("x") == [tag]
    rows = store._q("SELECT origin, seen_at, slug, term_id, link FROM terms WHERE outlet_id='o'")
    assert rows == [
        {"origin": "feed", "seen_at": stamp(1), "slug": "", "term_id": None, "link": ""}
    ]


def test_sections_in_and_outside_a_crawl(store):
    with store.transaction():
        store.save_outlet(update())
        store.put_sections("o", [SectionSeen("cd", "https://bao.vn/cd/", "menu")], at(1))
    store.save_sections(
        "o",
        [
            SectionSeen("cd", "https://bao.vn/cd/", "nav"),
            SectionSeen("pl", "https://bao.vn/pl/", "footer"),
        ],
        at(2),
    )
    rows = store._q("SELECT * FROM sections ORDER BY column_id")
    assert rows == [
        {
            "outlet_id": "o",
            "column_id": "cd",
            "url": "https://bao.vn/cd/",
            "evidence": "nav",
            "found_at": stamp(2),
        },
        {
            "outlet_id": "o",
            "column_id": "pl",
            "url": "https://bao.vn/pl/",
            "evidence": "footer",
            "found_at": stamp(2),
        },
    ]
    assert store.outlet_state("o").sections == (
        ("cd", "https://bao.vn/cd/"),
        ("pl", "https://bao.vn/pl/"),
    )


def test_save_sections_opens_its_own_transaction(store):
    # inside a caller's transaction its BEGIN is refused: proof it begins one of its own
    with store.transaction(), pytest.raises(sqlite3.OperationalError, match="within"):
        store.save_sections("o", [SectionSeen("cd", "u", "menu")], at(1))


# -- articles -----------------------------------------------------------------------------


def test_articles_matching_by_url_or_key_oldest_first(store):
    a = add_article(store, "https://bao.vn/a.html", title="A")
    b = add_article(store, "https://bao.vn/b.html", title="B")
    c = add_article(store, "https://bao.vn/c.html", outlet_id="x")
    with store.transaction():
        store.save_keys("o", a, {"guid:1"})
        store.save_keys("o", b, {"wp:5", "url:b"})
        store.save_keys("x", c, {"wp:5"})
    ids = lambda rows: [r["id"] for r in rows]  # noqa: E731
    assert ids(store.articles_matching("o", "https://bao.vn/a.html", set())) == [a]
    assert ids(store.articles_matching("o", "none", {"wp:5"})) == [b]
    assert ids(store.articles_matching("o", "https://bao.vn/b.html", {"guid:1"})) == [a, b]
    assert ids(store.articles_matching("o", "none", {"nope"})) == []
    assert ids(store.articles_matching("x", "none", {"wp:5"})) == [c]
    # a key saved again moves to the new article
    with store.transaction():
        store.save_keys("o", a, {"wp:5"})
    assert ids(store.articles_matching("o", "none", {"wp:5"})) == [a]


def test_update_article_and_mark_removed(store):
    a = add_article(store, "https://bao.vn/a.html", title="A", wp_id=3, sources='["rest"]')
    b = add_article(store, "https://bao.vn/b.html", wp_id=4, sources='["rss","rest"]')
    add_article(store, "https://bao.vn/c.html", wp_id=5, sources='["rss"]')
    add_article(store, "https://bao.vn/d.html", sources='["rest"]')
    add_article(store, "https://x.vn/e.html", outlet_id="x", wp_id=6, sources='["rest"]')
    assert store.live_rest_posts("o") == {a: 3, b: 4}
    with store.transaction():
        store.update_article(a, {"title": "A2"})
        store.mark_removed([b], at(4))
    assert store.live_rest_posts("o") == {a: 3}
    rows = {r["id"]: r for r in store._q("SELECT * FROM articles")}
    assert (rows[a]["title"], rows[a]["removed_at"]) == ("A2", None)
    assert rows[b]["removed_at"] == stamp(4)


def test_fold_articles_moves_keys_and_corrections_and_drops_derived_rows(store):
    keep = add_article(store, "https://bao.vn/a.html", title="A")
    old1 = add_article(store, "https://bao.vn/b.html", title="B")
    old2 = add_article(store, "https://bao.vn/c.html", title="C")
    other = add_article(store, "https://bao.vn/d.html", title="D")
    with store.transaction():
        store.save_keys("o", keep, {"k:a"})
        store.save_keys("o", old1, {"k:b"})
        store.save_keys("o", old2, {"k:c"})
        store.save_keys("o", other, {"k:d"})
        for i in (keep, old1, old2, other):
            store.db["predictions"].insert({"article_id": i, "labels": "[]"})
            store.db["article_columns"].insert(
                {"article_id": i, "outlet_id": "o", "column_id": "cd"}
            )
        # keep has no correction: old1's moves to it; old2's then goes (keep has one now)
        store.db["corrections"].insert({"article_id": old1, "labels": '["b"]', "by": "p"})
        store.db["corrections"].insert({"article_id": old2, "labels": '["c"]', "by": "p"})
        store.db["corrections"].insert({"article_id": other, "labels": '["d"]', "by": "p"})
        store.fold_articles({"id": keep, "title": "merged", "aliases": '["b","c"]'}, [old1, old2])
    arts = store._q("SELECT id, title, aliases FROM articles ORDER BY id")
    assert arts == [
        {"id": keep, "title": "merged", "aliases": '["b","c"]'},
        {"id": other, "title": "D", "aliases": "[]"},
    ]
    keys = {r["key"]: r["article_id"] for r in store._q("SELECT * FROM article_keys")}
    assert keys == {"k:a": keep, "k:b": keep, "k:c": keep, "k:d": other}
    corr = {r["article_id"]: r["labels"] for r in store._q("SELECT * FROM corrections")}
    assert corr == {keep: '["b"]', other: '["d"]'}
    for table in ("predictions", "article_columns"):
        left = sorted(r["article_id"] for r in store._q(f"SELECT article_id FROM {table}"))
        assert left == sorted([keep, other]), table


def test_fold_keeps_the_kept_rows_own_correction(store):
    keep = add_article(store, "https://bao.vn/a.html")
    old = add_article(store, "https://bao.vn/b.html")
    with store.transaction():
        store.db["corrections"].insert({"article_id": keep, "labels": '["a"]'})
        store.db["corrections"].insert({"article_id": old, "labels": '["b"]'})
        store.fold_articles({"id": keep, "title": "T"}, [old])
    corr = {r["article_id"]: r["labels"] for r in store._q("SELECT * FROM corrections")}
    assert corr == {keep: '["a"]'}
    assert [r["id"] for r in store._q("SELECT id FROM articles")] == [keep]


# -- coverage -----------------------------------------------------------------------------


def put_span(store, column, source, start, end, scope="feed", outlet="o") -> int:
    with store.transaction():
        return (
            store.db["coverage"]
            .insert(
                {
                    "outlet_id": outlet,
                    "column_id": column,
                    "source": source,
                    "start": stamp(start),
                    "end": stamp(end),
                    "scope": scope,
                }
            )
            .last_pk
        )


def test_save_coverage_span_inserts_a_new_row(store):
    with store.transaction():
        store.save_coverage_span("o", CoverageJoin(Coverage("cd", at(1), at(3), "rss", "feed")))
    assert coverage_rows(store) == [(1, "cd", "rss", stamp(1), stamp(3), "feed")]
    assert store._q("SELECT outlet_id FROM coverage") == [{"outlet_id": "o"}]


def test_save_coverage_span_widens_the_kept_row_and_deletes_the_swallowed(store):
    a = put_span(store, "cd", "rss", 1, 3)
    b = put_span(store, "cd", "rss", 3, 5)
    c = put_span(store, "cd", "rss", 5, 7)
    d = put_span(store, "cd", "rss", 10, 12)
    wide = Coverage("cd", at(1), at(8), "rss", "feed2")
    with store.transaction():
        store.save_coverage_span("o", CoverageJoin(wide, keep=a, drop=(b, c)))
    assert coverage_rows(store) == [
        (a, "cd", "rss", stamp(1), stamp(8), "feed2"),
        (d, "cd", "rss", stamp(10), stamp(12), "feed"),
    ]


def test_coverage_touching_finds_overlapping_and_touching_spans_of_a_decided_scope(store):
    a = put_span(store, "cd", "rss", 1, 3)
    b = put_span(store, "cd", "rss", 5, 7)
    put_span(store, "cd", "rss", 9, 11)  # after
    put_span(store, "cd", "rss", 2, 6, scope=None)  # undecided scope
    put_span(store, "cd", "rest", 2, 6)  # other source
    put_span(store, "pl", "rss", 2, 6)  # other column
    put_span(store, "cd", "rss", 2, 6, outlet="x")  # other outlet
    got = store.coverage_touching("o", Coverage("cd", at(3), at(5), "rss"))
    assert got == [CoverageSpan(a, at(1), at(3)), CoverageSpan(b, at(5), at(7))]
    assert store.coverage_touching("o", Coverage("cd", at(8), at(8, 12), "rss")) == []


def test_withdraw_coverage_removes_only_the_named_pairs(store):
    put_span(store, "cd", "rss", 1, 3)
    put_span(store, "cd", "rss", 4, 6)
    keep1 = put_span(store, "cd", "rest", 1, 3)
    keep2 = put_span(store, "pl", "rss", 1, 3)
    keep3 = put_span(store, "cd", "rss", 1, 3, outlet="x")
    with store.transaction():
        store.withdraw_coverage("o", [("cd", "rss")])
    assert [r[0] for r in coverage_rows(store)] == [keep1, keep2, keep3]


def test_extend_coverage_stretches_the_latest_span_of_each_column_for_the_source(store):
    early = put_span(store, "cd", "rss", 1, 3)
    late = put_span(store, "cd", "rss", 4, 6)
    pl = put_span(store, "pl", "rss", 2, 5)
    beyond = put_span(store, "tt", "rss", 1, 20)  # already past the new end: stays
    rest = put_span(store, "cd", "rest", 1, 6)
    other = put_span(store, "cd", "rss", 1, 6, outlet="x")
    with store.transaction():
        store.save_outlet(update())
        store.extend_coverage("o", ["rss"], at(10))
    ends = {r[0]: r[4] for r in coverage_rows(store)}
    assert ends == {
        early: stamp(3),
        late: stamp(10),
        pl: stamp(10),
        beyond: stamp(20),
        rest: stamp(6),
        other: stamp(6),
    }
    assert store.outlet_state("o").coverage_end == {"rss": at(20), "rest": at(6)}


class _Plugin:
    """An installed sqlite-utils plugin: it would add a function to every connection."""

    @staticmethod
    @sqlite_utils.hookimpl
    def prepare_connection(conn):
        conn.create_function("planted", 0, lambda: "plugin code ran")


def test_installed_sqlite_utils_plugins_never_touch_the_store(tmp_path, monkeypatch):
    from sqlite_utils import plugins

    monkeypatch.setattr(plugins, "_plugins_loaded", True)  # as if entry points were read
    plugin = _Plugin()
    plugins.pm.register(plugin, name="planted")
    try:
        s = Store(tmp_path / "s.db")
        with pytest.raises(sqlite3.OperationalError, match="no such function"):
            s.db.conn.execute("SELECT planted()")
        s.close()
    finally:
        plugins.pm.unregister(plugin)


def test_terms_and_sections_read_back_in_one_order_whatever_order_they_were_written(store):
    """The column sources resolved from them follow that order, and a link's evidence is
    its first matching source's: a poll keeps stored links only while sources compare equal."""
    b, a = Term("category", "Cột B"), Term("category", "Cột A")
    ordered = [("rss", a), ("rss", b)]
    sections = [
        SectionSeen("z", "https://bao.vn/z/", "menu"),
        SectionSeen("a", "https://bao.vn/a/", "menu"),
    ]
    with store.transaction():
        store.save_terms("o", ordered[::-1], at(1), False)
        store.put_sections("o", sections, at(1))
    assert store.known_terms("o") == [a, b]
    assert [s.column_id for s in store.sections_of("o")] == ["a", "z"]
