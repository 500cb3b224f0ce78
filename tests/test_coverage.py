"""Never accuse an outlet of what the auditor did not see: coverage per column and per
source, three-valued existence, a digest that tells the whole truth, audit runs named by
the day they judged. Loopback fleets; expected tables come from the tests' own data."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

import pytest
from expect import VN, expected_weekly_feeds
from portals import SectionFeedPortal
from test_crawl import AS_OF, one_outlet, read_csv, run, weekly, write_config

from auditor.fakesite import FakePost, FakeSite
from auditor.store import Store

COLUMN_NAMES = {
    "loi_ich_doan_vien": "Công đoàn vì lợi ích đoàn viên",
    "thiet_che_cong_doan": "Thiết chế Công đoàn",
    "dai_hoi_cong_doan": "Hướng tới Đại hội Công đoàn Việt Nam lần thứ XII",
}


def portal_expectation(portal: SectionFeedPortal, outlet_id: str, name: str) -> list[dict]:
    size = portal.SECTION_ITEMS
    own = {c: [w for _, _, w in portal.latest(c, size)] for c in portal.FEEDS}
    told = {u for c in portal.FEEDS for u, _, _ in portal.latest(c, size)}
    home = [(w, u in told) for u, _, w in portal.latest(None, portal.HOME_ITEMS)]
    return expected_weekly_feeds(outlet_id, name, own, home, AS_OF)


def crawl_audit_export(config, db, tmp_path, crawl_exit=0):
    assert run(config, db, "crawl") == crawl_exit
    assert run(config, db, "audit", "--as-of", AS_OF.isoformat()) == 0
    out = tmp_path / "weekly.csv"
    assert run(config, db, "export", "weekly", "-o", str(out)) == 0
    return out


def status_of(rows, column_id, week):
    [row] = [r for r in rows if r["column_id"] == column_id and r["week"] == week]
    return row


def test_the_portal_data_make_the_point():
    """The section feeds reach back to different dates, and some weeks of the column with
    the shortest feed are unknown, some proven missed by the home feed alone."""
    portal = SectionFeedPortal()
    oldest = {c: min(w for _, _, w in portal.latest(c, 10)) for c in portal.FEEDS}
    assert oldest["thiet_che_cong_doan"] < oldest["loi_ich_doan_vien"] - timedelta(weeks=4)
    rows = portal_expectation(portal, "cms", "Cổng")
    benefit = {r["week"]: r["status"] for r in rows if r["column_id"] == "loi_ich_doan_vien"}
    assert benefit["2017-W45"] == "unknown" and benefit["2017-W47"] == "unknown"
    assert benefit["2017-W48"] == "missed" and benefit["2017-W50"] == "met"
    congress = {r["week"]: r["status"] for r in rows if r["column_id"] == "dai_hoi_cong_doan"}
    assert congress["2017-W47"] == "missed" and congress["2017-W44"] == "unknown"


def test_section_feeds_found_on_the_homepage_cover_only_their_column(tmp_path, serve):
    portal = SectionFeedPortal()
    server = serve(portal.site)
    config = one_outlet(tmp_path, server.url, "cms", name="Cổng")
    db = tmp_path / "a.db"
    out = crawl_audit_export(config, db, tmp_path)
    assert weekly(out) == portal_expectation(portal, "cms", "Cổng")
    full = read_csv(out)
    home = status_of(full, "loi_ich_doan_vien", "2017-W48")["covered_by"]
    assert "trang-chu.rss" in home and "site-wide" in home  # proven by the home feed
    own = status_of(full, "dai_hoi_cong_doan", "2017-W47")["covered_by"]
    assert "dai-hoi.rss" in own and "announced by its section page" in own
    assert status_of(full, "loi_ich_doan_vien", "2017-W45")["covered_by"] == ""
    coverage = Store(db)._q("SELECT DISTINCT column_id, source, scope FROM coverage")
    assert all(r["scope"] for r in coverage)
    assert {r["column_id"] for r in coverage if r["source"].endswith("loi-ich.rss")} == {
        "loi_ich_doan_vien"
    }
    outlets = read_csv(_export_outlets(config, db, tmp_path))
    assert {outlets[0][f"{c}__exists"] for c in COLUMN_NAMES} == {"yes"}
    assert Store(db).complete_listing("cms").startswith("homepage menu (5 links)")


def test_a_second_crawl_answered_304_keeps_what_the_first_proved(tmp_path, serve):
    portal = SectionFeedPortal()
    server = serve(portal.site)
    config = one_outlet(tmp_path, server.url, "cms", name="Cổng")
    db = tmp_path / "a.db"
    assert run(config, db, "crawl") == 0
    portal.site.log.clear()
    out = crawl_audit_export(config, db, tmp_path)
    statuses = {r["status"] for r in Store(db)._q("SELECT status FROM fetches")}
    assert 304 in statuses
    assert weekly(out) == portal_expectation(portal, "cms", "Cổng")


def test_the_same_portal_configured_by_hand(tmp_path, serve):
    portal = SectionFeedPortal()
    server = serve(portal.site)
    url = server.url
    feeds = {c: f"{url}{f}" for c, (f, _) in portal.FEEDS.items()}
    columns = ", ".join(f'{c}: {{feed: "{f}"}}' for c, f in feeds.items())
    config = write_config(
        tmp_path,
        f"""
        - {{id: tay, name: "Cổng", kind: website, url: "{url}/", wordpress: false,
           feeds: ["{url}{portal.HOME_FEED}", {", ".join(f'"{f}"' for f in feeds.values())}],
           columns: {{{columns}}}}}
        """,
    )
    db = tmp_path / "a.db"
    out = crawl_audit_export(config, db, tmp_path)
    assert weekly(out) == portal_expectation(portal, "tay", "Cổng")
    for feed in feeds.values():  # each column feed read once, as its column's
        assert sum(1 for p in portal.site.log if feed.endswith(p)) == 1


def _export_outlets(config, db, tmp_path):
    out = tmp_path / "outlets.csv"
    assert run(config, db, "export", "outlets", "-o", str(out)) == 0
    return out


@pytest.fixture
def dead_fleet(tmp_path, serve):
    def down(h):
        h.send(500, b"<html>Internal Server Error</html>", "text/html")

    broken = serve(FakeSite(routes={"/": down, "/feed/": down, "/robots.txt": down}))
    return write_config(
        tmp_path,
        f"""
        - {{id: hong, name: "Hỏng", kind: website, url: "{broken.url}/"}}
        - {{id: tat, name: "Tắt", kind: newspaper, url: "http://127.0.0.1:9/"}}
        """,
        http="{timeout_s: 2, per_host_delay_s: 0, retries: 0}",
    )


def test_a_fleet_never_reached_is_never_accused(tmp_path, dead_fleet, capsys):
    db = tmp_path / "a.db"
    out = crawl_audit_export(dead_fleet, db, tmp_path, crawl_exit=1)
    assert {r["status"] for r in weekly(out)} == {"unknown", "in_progress"}
    outlets = read_csv(_export_outlets(dead_fleet, db, tmp_path))
    assert len(outlets) == 2
    for row in outlets:
        for c in COLUMN_NAMES:
            assert row[f"{c}__exists"] == "unknown"
            assert row[f"{c}__finding"] == "not_checked"
            assert row[f"{c}__timeliness"] == "unknown"
    capsys.readouterr()
    assert run(dead_fleet, db, "audit", "--as-of", AS_OF.isoformat()) == 0
    table = capsys.readouterr().out
    assert " no " not in table and "unknown" in table
    assert run(dead_fleet, db, "status", "--json") == 0
    for row in json.loads(capsys.readouterr().out):
        assert "no WordPress REST API found" not in (row["api_note"] or "")
        assert row["column_listing"] == ""  # so no column can be called absent
    assert run(dead_fleet, db, "alerts", "--week", "2017-W45", "--dry-run") == 0
    digest = capsys.readouterr().out
    assert "Nothing to report" not in digest
    for outlet_id in ("hong", "tat"):
        block = digest.split(f"({outlet_id})")[1].split("\n* ")[0]
        assert "not reached" in block
        assert block.count("not judged") + block.count("unknown") == 3


def all_met_site() -> FakeSite:
    """Every column publishes twice a week, Monday and Wednesday, from the campaign on."""
    site = FakeSite(
        name="Đủ bài",
        categories={
            1: (COLUMN_NAMES["loi_ich_doan_vien"], "loi-ich"),
            2: (COLUMN_NAMES["thiet_che_cong_doan"], "thiet-che"),
            3: (COLUMN_NAMES["dai_hoi_cong_doan"], "dai-hoi"),
        },
    )
    monday = datetime(2017, 9, 18, 9, tzinfo=VN)
    n = 0
    while monday < datetime(2017, 12, 31, tzinfo=VN):
        for category in (1, 2, 3):
            for days in (0, 2):
                n += 1
                site.posts.append(
                    FakePost(
                        n, f"Tin {n}", monday + timedelta(days=days, hours=category), (category,)
                    )
                )
        monday += timedelta(days=7)
    return site


def digest(config, db, week, capsys) -> tuple[int, str, str]:
    capsys.readouterr()
    code = run(config, db, "alerts", "--week", week, "--dry-run")
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_the_digest_in_each_state(tmp_path, serve, capsys):
    portal, good = SectionFeedPortal(), all_met_site()
    p, g = serve(portal.site), serve(good)
    config = write_config(
        tmp_path,
        f"""
        - {{id: cms, name: "Cổng", kind: website, url: "{p.url}/"}}
        - {{id: du, name: "Đủ bài", kind: magazine, url: "{g.url}/"}}
        """,
    )
    db = tmp_path / "a.db"
    code, _, err = digest(config, db, "2017-W47", capsys)
    assert code == 1 and "no audit run" in err  # a store with no audit says so
    for bad in ("2017-43", "2017-W60", "W47", ""):
        assert digest(config, db, bad, capsys)[0] == 2  # a usage error, not good news
    assert run(config, db, "crawl") == 0
    assert run(config, db, "audit", "--as-of", AS_OF.isoformat()) == 0
    expected = portal_expectation(portal, "cms", "Cổng")
    for week in ("2017-W45", "2017-W47", "2017-W48"):
        code, out, _ = digest(config, db, week, capsys)
        assert code == 0 and "Nothing to report" not in out
        block = out.split("(cms)")[1]
        assert "(du)" not in out  # every column met, and no banner is asked of a magazine
        assert "banner not checked" in block  # a website's banner, never checked that week
        for r in (r for r in expected if r["week"] == week):
            name = COLUMN_NAMES[r["column_id"]]
            line = next((x for x in block.splitlines() if f"“{name}”" in x), "")
            marker = {"missed": "missed the quota", "unknown": "unknown", "met": ""}[r["status"]]
            assert (marker in line) if marker else line == "", (week, r)
    # only the outlet whose every column met, no banner asked of it: nothing to report
    only_good = write_config(
        tmp_path, f'- {{id: du, name: "Đủ bài", kind: magazine, url: "{g.url}/"}}\n'
    )
    code, out, _ = digest(only_good, db, "2017-W45", capsys)
    assert code == 0 and "Nothing to report" in out
    code, out, _ = digest(only_good, db, "2017-W51", capsys)  # as of 20 Dec: not over
    assert "Nothing to report" not in out and "not judged" in out


def test_audit_as_of_out_of_range_changes_nothing(tmp_path, serve, capsys):
    server = serve(all_met_site())
    config = one_outlet(tmp_path, server.url, "du")
    fresh = tmp_path / "never.db"
    assert run(config, fresh, "audit", "--as-of", "1999-01-01") == 2
    assert "before the campaign" in capsys.readouterr().err and not fresh.exists()
    db = tmp_path / "a.db"
    assert run(config, db, "crawl") == 0
    assert run(config, db, "audit", "--as-of", AS_OF.isoformat()) == 0
    before = Store(db)._q("SELECT count(*) AS n FROM audit_runs")[0]["n"]
    tomorrow = (datetime.now(VN).date() + timedelta(days=1)).isoformat()
    for day in ("1999-01-01", "2017-09-19", tomorrow):
        capsys.readouterr()
        assert run(config, db, "audit", "--as-of", day) == 2, day
        assert "--as-of" in capsys.readouterr().err
    assert Store(db)._q("SELECT count(*) AS n FROM audit_runs")[0]["n"] == before
    assert run(config, db, "audit", "--as-of", "2017-09-20") == 0  # the start itself is fine


def test_exports_name_the_run_they_export(tmp_path, serve, capsys):
    server = serve(all_met_site())
    config = one_outlet(tmp_path, server.url, "du")
    db = tmp_path / "a.db"
    assert run(config, db, "crawl") == 0
    for day in (AS_OF, date(2017, 11, 15), date(2017, 10, 31)):  # the latest as-of first
        assert run(config, db, "audit", "--as-of", day.isoformat()) == 0

    def export(*args):
        capsys.readouterr()
        out = tmp_path / "w.csv"
        code = run(config, db, "export", "weekly", "-o", str(out), *args)
        err = capsys.readouterr().err
        return code, (weekly(out) if code == 0 else []), err

    code, rows, err = export()
    assert code == 0 and "audit run 1 (as of 2017-12-20" in err  # not the newest run: 3
    assert rows[-1]["week"] == "2017-W51"
    code, rows, err = export("--as-of", "2017-11-15")
    assert "audit run 2 (as of 2017-11-15" in err
    assert rows[-1]["week"] == "2017-W46" and rows[-1]["status"] == "in_progress"
    code, rows, err = export("--run", "3")
    assert "audit run 3 (as of 2017-10-31" in err and rows[-1]["week"] == "2017-W44"
    code, _, err = export("--as-of", "2017-01-01")
    assert code == 1 and "no audit run as of 2017-01-01" in err
    capsys.readouterr()
    assert run(config, db, "export", "outlets", "--run", "2") == 0
    assert "audit run 2" in capsys.readouterr().err


def test_coverage_written_before_scopes_is_believed_only_when_it_was_the_columns_own(tmp_path):
    import sqlite3

    from sqlite_utils import Database

    from auditor.store.schema import migrations

    path = tmp_path / "old.db"
    db = Database(sqlite3.connect(path, isolation_level=None))
    migrations.apply(db, stop_before="m007_coverage_scope")
    site, own = "http://x.vn/rss/trang-chu.rss", "http://x.vn/rss/thiet-che.rss"
    db["outlets"].insert(
        {"id": "x", "feeds": json.dumps([[site, ""], [own, "thiet_che_cong_doan"]])}
    )
    db["terms"].insert({"outlet_id": "x", "kind": "category", "name": "A", "origin": "rest"})
    db["crawls"].insert({"outlet_id": "x", "status": "ok", "started_at": "2017-12-01"})
    rows = [("rest", c) for c in COLUMN_NAMES] + [(f"feed:{site}", c) for c in COLUMN_NAMES]
    rows.append((f"feed:{own}", "thiet_che_cong_doan"))
    for source, column_id in rows:
        db["coverage"].insert(
            {
                "outlet_id": "x",
                "column_id": column_id,
                "start": "2017-10-01T00:00:00+00:00",
                "end": "2017-12-01T00:00:00+00:00",
                "source": source,
            }
        )
    db.conn.close()
    store = Store(path)  # applies m007
    scopes = {
        (r["source"], r["column_id"]): r["scope"]
        for r in store._q("SELECT source, column_id, scope FROM coverage")
    }
    assert scopes[("rest", "dai_hoi_cong_doan")] == "site-wide: the REST posts endpoint"
    assert scopes[(f"feed:{own}", "thiet_che_cong_doan")] == "the column's own feed"
    assert all(scopes[(f"feed:{site}", c)] is None for c in COLUMN_NAMES)
    assert store._q("SELECT listing FROM crawls")[0]["listing"] == "REST categories and tags"
    assert store.outlet_state("x").coverage_end == {
        "rest": datetime.fromisoformat("2017-12-01T00:00:00+00:00"),
        f"feed:{own}": datetime.fromisoformat("2017-12-01T00:00:00+00:00"),
    }
