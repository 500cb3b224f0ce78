"""Three ways a week could be called missed on what the auditor did not see, each on a
loopback site: a duplicate category behind a closed REST API, feed entries skipped for want
of a link, and an outlet that stopped answering after a good crawl."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest
from expect import VN, expected_weekly_seen
from test_columns import duplicate_category_site
from test_crawl import AS_OF, one_outlet, read_csv, run, weekly, write_config

from auditor.fakesite import FEED_SIZE
from auditor.store import Store

PAGES = 2  # http.max_feed_pages: every feed shows its latest PAGES * FEED_SIZE posts
HTTP = f"{{timeout_s: 3, per_host_delay_s: 0, retries: 0, max_feed_pages: {PAGES}}}"
LOI_ICH, THIET_CHE = "loi_ich_doan_vien", "thiet_che_cong_doan"


def latest(posts, n=PAGES * FEED_SIZE):
    return sorted(posts, key=lambda p: p.date, reverse=True)[:n]


def window(posts):
    """(posts a feed of these shows, the instant from which it shows them all: None when
    it reaches the end of its history)."""
    shown = latest(posts)
    whole = len(posts) <= FEED_SIZE  # page 2 is the 404 that says "the end"
    return shown, None if whole else min(p.date for p in shown)


@pytest.mark.parametrize("second_slug", ["cong-doan-vi-loi-ich-doan-vien-2", "ldld-loi-ich"])
def test_a_duplicate_category_behind_a_closed_api_never_lends_its_twin_coverage(
    tmp_path, serve, second_slug
):
    """Both spellings of the column make the slug cong-doan-vi-loi-ich-doan-vien. When
    WordPress gave the second one "…-2" (its rule) the auditor finds it and the column is
    seen where both category feeds reach; under any other slug the one feed it can read
    is not the whole column, and weeks only it would show are unknown, never missed."""
    site = duplicate_category_site()
    site.rest = "blocked"
    site.categories[13] = (site.categories[13][0], second_slug)
    server = serve(site)
    config = one_outlet(tmp_path, server.url, "dup", name="Hai", http=HTTP)
    db = tmp_path / "a.db"
    assert run(config, db, "crawl") == 0
    assert run(config, db, "audit", "--as-of", AS_OF.isoformat()) == 0
    out = tmp_path / "w.csv"
    assert run(config, db, "export", "weekly", "-o", str(out)) == 0

    posts = site.published()
    in_cat = {c: [p for p in posts if c in p.categories] for c in (10, 11, 13)}
    site_shown, site_from = window(posts)
    shown = {p.id: p for p in site_shown}
    whole_from = {c: site_from for c in (LOI_ICH, THIET_CHE, "dai_hoi_cong_doan")}
    cat_from = {}
    for cat in (10, 11) + ((13,) if second_slug.endswith("-2") else ()):
        cat_shown, cat_from[cat] = window(in_cat[cat])
        shown.update({p.id: p for p in cat_shown})
    whole_from[THIET_CHE] = cat_from[11]
    if 13 in cat_from:  # both categories' feeds reach back to the later of the two
        both = max(cat_from[10], cat_from[13])
        whole_from[LOI_ICH] = min(both, site_from)
    seen = {
        LOI_ICH: [p.date for p in shown.values() if {10, 13} & set(p.categories)],
        THIET_CHE: [p.date for p in shown.values() if 11 in p.categories],
    }
    want = expected_weekly_seen("dup", "Hai", seen, whole_from, AS_OF)
    assert weekly(out) == want
    statuses = {r["status"] for r in want if r["column_id"] == LOI_ICH}
    assert {"unknown", "met"} <= statuses  # the data make the point
    notes = Store(db)._q("SELECT notes FROM crawls")[0]["notes"]
    assert ("prove none of its weeks" in notes) == (13 not in cat_from)
    # a second crawl of the unchanged site (every feed answers 304) proves the same
    assert run(config, db, "crawl") == 0
    assert run(config, db, "audit", "--as-of", AS_OF.isoformat()) == 0
    assert run(config, db, "export", "weekly", "-o", str(out)) == 0
    assert weekly(out) == want


def test_a_guessed_category_feed_of_another_category_counts_for_nothing(tmp_path, serve):
    """The slug "thiet-che-cong-doan" belongs to "Thời sự" (renamed since), the column's
    category lives at "tc-cd": the guessed feed shows posts not filed in the column, so
    they are not the column's and it proves none of the column's weeks."""
    site = duplicate_category_site()
    site.rest = "blocked"
    site.categories[11] = ("Thiết chế Công đoàn", "tc-cd")
    site.categories[12] = ("Thời sự", "thiet-che-cong-doan")
    server = serve(site)
    config = one_outlet(tmp_path, server.url, "dup", name="Hai", http=HTTP)
    db = tmp_path / "a.db"
    assert run(config, db, "crawl") == 0
    assert run(config, db, "audit", "--as-of", AS_OF.isoformat()) == 0
    out = tmp_path / "w.csv"
    assert run(config, db, "export", "weekly", "-o", str(out)) == 0
    site_shown, site_from = window(site.published())
    seen = {THIET_CHE: [p.date for p in site_shown if 11 in p.categories]}
    want = expected_weekly_seen("dup", "Hai", seen, {THIET_CHE: site_from}, AS_OF)
    got = [r for r in weekly(out) if r["column_id"] == THIET_CHE]
    assert got == [r for r in want if r["column_id"] == THIET_CHE]
    assert "unknown" in {r["status"] for r in got}


def test_a_duplicate_found_only_by_a_later_crawl_withdraws_what_one_feed_claimed(tmp_path, serve):
    """The first crawl sees only the accented category (the duplicate's posts are older
    than the site feed shows, its feed lives at an unguessable slug): its feed claims the
    column. When a later post shows the duplicate, that claim is withdrawn."""
    site = duplicate_category_site()
    site.rest = "blocked"
    site.categories[13] = (site.categories[13][0], "ldld-loi-ich")
    for p in site.posts:
        if 13 in p.categories and p.date > datetime(2017, 11, 1, tzinfo=VN):
            p.categories = (10,)
    server = serve(site)
    config = one_outlet(tmp_path, server.url, "dup", name="Hai", http=HTTP)
    db = tmp_path / "a.db"
    assert run(config, db, "crawl") == 0
    store = Store(db)
    own = "SELECT count(*) AS n FROM coverage WHERE column_id = ? AND source LIKE '%category_name%'"
    assert store._q(own, (LOI_ICH,))[0]["n"] >= 1
    last = max(p.date for p in site.posts)
    site.posts.append(type(site.posts[0])(999, "Bài mới", last + timedelta(days=1), (13,)))
    assert run(config, db, "crawl") == 0
    assert store._q(own, (LOI_ICH,))[0]["n"] == 0


# -- entries skipped for want of a link ---------------------------------------------------

COLUMN = "Thiết chế Công đoàn"


def rss_item(title: str, link: str, when: datetime | None, cat: str = COLUMN) -> str:
    d = f"<pubDate>{when.strftime('%a, %d %b %Y %H:%M:%S %z')}</pubDate>" if when else ""
    c = f"<category>{cat}</category>" if cat else ""
    return f"<item><title>{title}</title><link>{link}</link>{d}{c}</item>"


def feed_site(body: dict):
    from auditor.fakesite import FakeSite

    routes = {
        "/robots.txt": lambda h: h.send(404, b"", "text/plain"),
        "/": lambda h: h.send(200, b"<html><body>Trang chu</body></html>", "text/html"),
        "/rss.xml": lambda h: h.send(200, body["rss"], "application/rss+xml; charset=utf-8"),
        "/rss/thiet-che.rss": lambda h: h.send(
            200, body["own"], "application/rss+xml; charset=utf-8"
        ),
    }
    return FakeSite(routes=routes)


def rss(*items: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Báo</title>'
        f"{''.join(items)}</channel></rss>"
    ).encode()


DAI_HOI = "dai_hoi_cong_doan"
DAI_HOI_NAME = "Hướng tới Đại hội Công đoàn Việt Nam lần thứ XII"
WEEKS = {  # one dated article of the column a week: short of two
    "2017-W40": datetime(2017, 10, 3, 9, tzinfo=VN),
    "2017-W41": datetime(2017, 10, 10, 9, tzinfo=VN),
    "2017-W42": datetime(2017, 10, 17, 9, tzinfo=VN),
    "2017-W43": datetime(2017, 10, 24, 9, tzinfo=VN),
}
HOLE = datetime(2017, 10, 12, 15, tzinfo=VN)  # in week 41


@pytest.mark.parametrize(
    ("feed", "hole", "category", "open_for"),
    [
        ("own", HOLE, COLUMN, {THIET_CHE}),  # the column's own feed: it is the column's
        ("own", None, COLUMN, {THIET_CHE}),  # undated: it may be in any week the feed shows
        ("main", HOLE, "", {THIET_CHE, LOI_ICH, DAI_HOI}),  # no category: anyone's
        ("main", HOLE, DAI_HOI_NAME, {DAI_HOI}),  # filed elsewhere: that column's only
    ],
    ids=["own-feed", "own-feed-undated", "main-feed-no-category", "main-feed-other-column"],
)
def test_an_entry_skipped_for_want_of_a_link_keeps_its_week_open(
    tmp_path, serve, feed, hole, category, open_for
):
    body: dict = {}
    u = serve(feed_site(body)).url
    dated = [rss_item(f"Bài {w}", f"{u}/tin/{w}", t) for w, t in WEEKS.items()]
    skipped = rss_item("Không có link", "", hole, cat=category)
    body["own"] = body["rss"] = rss(*dated, skipped)
    feeds = {
        "own": f'feeds: [], columns: {{{THIET_CHE}: {{feed: "{u}/rss/thiet-che.rss"}}}}',
        "main": f'feeds: ["{u}/rss.xml"]',
    }[feed]
    config = write_config(
        tmp_path, f'- {{id: o, name: O, kind: website, url: "{u}/", wordpress: false, {feeds}}}\n'
    )
    db = tmp_path / "a.db"
    assert run(config, db, "crawl") == 0
    crawl = Store(db)._q("SELECT skipped FROM crawls")[0]
    assert crawl["skipped"] == 1
    assert run(config, db, "audit", "--as-of", "2017-10-29") == 0
    out = tmp_path / "w.csv"
    assert run(config, db, "export", "weekly", "-o", str(out)) == 0
    got = {(r["column_id"], r["week"]): r["status"] for r in weekly(out)}
    seen_from = min(WEEKS.values())  # the feed reaches back to its oldest dated item
    covers = {THIET_CHE} if feed == "own" else {THIET_CHE, LOI_ICH, DAI_HOI}
    for column_id in (THIET_CHE, LOI_ICH, DAI_HOI):
        for week, instant in list(WEEKS.items())[1:]:  # weeks the feed shows whole
            start = datetime.combine(
                instant.date() - timedelta(days=instant.weekday()), datetime.min.time(), VN
            )
            assert seen_from <= start  # the feed shows this week whole
            in_doubt = column_id in open_for and (
                hole is None or start <= hole < start + timedelta(days=7)
            )
            want = "unknown" if in_doubt or column_id not in covers else "missed"
            assert got[(column_id, week)] == want, (column_id, week)


# -- an outlet that stops answering --------------------------------------------------------


def test_an_outlet_that_fails_after_a_good_crawl(tmp_path, serve, capsys):
    """After a good crawl the site goes down: the weeks after the last good crawl are
    unknown, the columns exist as the last complete listing showed, and the outlet export
    and status say when it was last reached."""
    site = duplicate_category_site()
    reached = datetime(2017, 10, 25, 10, tzinfo=VN)
    later = [p for p in site.posts if p.date >= reached]
    site.posts = [p for p in site.posts if p.date < reached]  # not published yet
    server = serve(site)
    config = one_outlet(tmp_path, server.url, "dup", name="Hai", http=HTTP)
    db = tmp_path / "a.db"
    assert crawl_at(config, db, reached) == ["ok"]
    site.posts += later  # published while the site cannot be read
    site.routes.update({p: down for p in ("/", "/feed/", "/wp-json/", "/robots.txt")})
    site.rest = "off"
    assert crawl_at(config, db, datetime(2017, 12, 19, 10, tzinfo=VN)) == ["error"]
    assert run(config, db, "audit", "--as-of", AS_OF.isoformat()) == 0
    out = tmp_path / "w.csv"
    assert run(config, db, "export", "weekly", "-o", str(out)) == 0
    seen_posts = [p for p in site.posts if p.date < reached]
    seen = {
        LOI_ICH: [p.date for p in seen_posts if {10, 13} & set(p.categories)],
        THIET_CHE: [p.date for p in seen_posts if 11 in p.categories],
        "dai_hoi_cong_doan": [],
    }
    whole = {c: None for c in seen}  # the REST listing showed the whole history
    want = expected_weekly_seen("dup", "Hai", seen, whole, AS_OF, {c: reached for c in seen})
    assert weekly(out) == want
    assert {"missed", "unknown"} <= {r["status"] for r in want}  # the data make the point
    out = tmp_path / "o.csv"
    assert run(config, db, "export", "outlets", "-o", str(out)) == 0
    [row] = read_csv(out)
    assert row[f"{LOI_ICH}__exists"] == row[f"{THIET_CHE}__exists"] == "yes"
    assert row["dai_hoi_cong_doan__exists"] == "no"  # the last complete listing says so
    assert row["last_crawl_status"] == "error"
    assert datetime.fromisoformat(row["last_reached"]) == reached
    capsys.readouterr()
    assert run(config, db, "status", "--json") == 0
    [status] = json.loads(capsys.readouterr().out)
    assert datetime.fromisoformat(status["last_reached"]) == reached
    assert run(config, db, "status") == 0
    assert "last reached" in capsys.readouterr().out


def down(h):
    h.send(503, b"<html>down</html>", "text/html")


def crawl_at(config_path: str, db, at: datetime) -> list[str]:
    """A crawl at a given instant (the clock injected, as the scheduler's is)."""
    from auditor import config as config_mod
    from auditor.crawl.run import crawl

    reports = crawl(config_mod.load(config_path), Store(db), now=lambda: at)
    return [r.status for r in reports]


def test_what_guessed_category_feeds_proved_before_is_proven_again(tmp_path):
    """m013: coverage claimed by a guessed category feed under the old rule is dropped
    (with the feed's validators, so that the next crawl reads it whole); other coverage
    stays."""
    import sqlite3

    from sqlite_utils import Database

    from auditor.store.schema import migrations

    path = tmp_path / "old.db"
    db = Database(sqlite3.connect(path, isolation_level=None))
    migrations.apply(db, stop_before="m013_category_feed_claims")
    cat = "http://x.vn/?feed=rss2&category_name=cong-doan-vi-loi-ich-doan-vien"
    for source in ("rest", f"feed:{cat}", "feed:http://x.vn/feed/"):
        db["coverage"].insert(
            {
                "outlet_id": "x",
                "column_id": LOI_ICH,
                "start": "1970-01-01T00:00:00+00:00",
                "end": "2017-12-01T00:00:00+00:00",
                "source": source,
                "scope": "the column's own feed",
            }
        )
    db["http_cache"].insert({"url": cat, "etag": '"a"'})
    db["http_cache"].insert({"url": "http://x.vn/feed/", "etag": '"b"'})
    db.conn.close()
    store = Store(path)  # applies m013
    assert {r["source"] for r in store._q("SELECT source FROM coverage")} == {
        "rest",
        "feed:http://x.vn/feed/",
    }
    assert [r["url"] for r in store._q("SELECT url FROM http_cache")] == ["http://x.vn/feed/"]
