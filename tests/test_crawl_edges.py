"""Outlets that make life hard: closed APIs, no pretty permalinks, garbage, silence."""

from __future__ import annotations

import json
import threading

from expect import expected_weekly
from test_crawl import AS_OF, big_site, one_outlet, run, weekly, write_config

from auditor.fakesite import FakeSite
from auditor.store import Store

COLUMN_CATS = {"loi_ich_doan_vien": {10}, "thiet_che_cong_doan": {11}}


def audit_and_export(config, db, tmp_path):
    assert run(config, db, "audit", "--as-of", AS_OF.isoformat()) == 0
    out = tmp_path / "weekly.csv"
    assert run(config, db, "export", "weekly", "-o", str(out)) == 0
    return weekly(out)


def test_closed_rest_api_is_audited_from_feeds(tmp_path, serve):
    site = big_site()
    site.rest = "blocked"
    server = serve(site)
    config = one_outlet(
        tmp_path,
        server.url,
        "closed",
        name="Kín",
    )
    db = tmp_path / "a.db"
    assert run(config, db, "crawl") == 0  # a closed API is not a failure of the outlet
    crawl = Store(db)._q("SELECT * FROM crawls")[0]
    assert crawl["status"] == "ok" and "rest_not_logged_in" in crawl["notes"]
    assert any("paged=" in p for p in site.log)
    rows = audit_and_export(config, db, tmp_path)
    assert rows == expected_weekly(site, "closed", "Kín", COLUMN_CATS, AS_OF)


def test_short_feed_leaves_older_weeks_unknown(tmp_path, serve):
    site = big_site()
    site.rest = "blocked"
    server = serve(site)
    config = one_outlet(
        tmp_path,
        server.url,
        "closed",
        name="Kín",
        http="{timeout_s: 3, per_host_delay_s: 0, retries: 0, max_feed_pages: 2}",
    )
    # max_feed_pages: 2 → the site feed shows the newest 20 posts only
    db = tmp_path / "a.db"
    assert run(config, db, "crawl") == 0  # a short feed is a fact about the outlet, not a failure
    rows = audit_and_export(config, db, tmp_path)
    early = [r for r in rows if r["week"] == "2017-W39"]
    assert len(early) == 3 and {r["status"] for r in early} == {"unknown"}  # never seen
    # the newest weeks are inside what the feeds showed: judged from the posts themselves
    late = {r["column_id"]: (r["articles"], r["status"]) for r in rows if r["week"] == "2017-W50"}
    whole = {
        r["column_id"]: (r["articles"], r["status"])
        for r in expected_weekly(site, "closed", "Kín", COLUMN_CATS, AS_OF)
        if r["week"] == "2017-W50"
    }
    assert late == whole and set(late) == {
        "loi_ich_doan_vien",
        "thiet_che_cong_doan",
        "dai_hoi_cong_doan",
    }


def test_rest_route_without_pretty_permalinks(tmp_path, serve):
    site = big_site()
    site.pretty = False
    server = serve(site)
    config = write_config(
        tmp_path,
        f"""
        - {{id: plain, name: Thường, kind: website, url: "{server.url}/"}}
        """,
    )
    db = tmp_path / "a.db"
    assert run(config, db, "crawl") == 0
    assert any(
        "rest_route=%2Fwp%2Fv2%2Fposts" in p or "rest_route=/wp/v2/posts" in p for p in site.log
    )
    store = Store(db)
    published = [p for p in site.posts if p.status == "publish"]
    assert store._q("SELECT count(*) AS n FROM articles")[0]["n"] == len(published)
    rows = audit_and_export(config, db, tmp_path)
    assert rows == expected_weekly(site, "plain", "Thường", COLUMN_CATS, AS_OF)


def test_garbage_and_silent_outlets_fail_alone(tmp_path, serve, capsys, request):
    good = serve(big_site())

    def garbage(h):
        h.send(200, b"\x00\x01<rss><<<" * 100, "application/rss+xml")

    def html_json(h):
        h.send(200, b"<!doctype html><html>WAF challenge</html>", "application/json")

    junk = serve(
        FakeSite(
            routes={
                "/feed/": garbage,
                "/wp-json/wp/v2/categories": html_json,
                "/robots.txt": lambda h: h.send(404, b"", "text/plain"),
            }
        )
    )
    # the silent outlet answers nothing until the test is over: the crawl's own timeout
    # (timeout_s: 3) is what ends its wait, not a race between two sleeps
    released = threading.Event()
    request.addfinalizer(released.set)
    silent = serve(
        FakeSite(
            routes={"/": lambda h: released.wait(60), "/robots.txt": lambda h: released.wait(60)}
        )
    )
    config = write_config(
        tmp_path,
        f"""
        - {{id: good, name: G, kind: website, url: "{good.url}/"}}
        - {{id: junk, name: J, kind: website, url: "{junk.url}/", feeds: ["{junk.url}/feed/"]}}
        - {{id: silent, name: S, kind: website, url: "{silent.url}/"}}
        """,
    )
    db = tmp_path / "a.db"
    assert run(config, db, "crawl") == 1
    capsys.readouterr()
    assert run(config, db, "status", "--json") == 0
    rows = {r["id"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows["good"]["last_status"] == "ok" and rows["good"]["articles"] > 100
    assert rows["junk"]["last_status"] == "error" and "not a feed" in rows["junk"]["last_error"]
    assert rows["silent"]["last_status"] == "error"
    assert "timed out" in rows["silent"]["last_error"]
    rows = audit_and_export(config, db, tmp_path)
    assert [r for r in rows if r["outlet_id"] == "good"] == expected_weekly(
        good.site, "good", "G", COLUMN_CATS, AS_OF
    )
