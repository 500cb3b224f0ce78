"""The auditor against real WordPress 6.1 sites (Debian's package) on 127.0.0.1.

Every expectation is computed here from the seed files, not by auditor's code."""

from __future__ import annotations

import csv
import io
import sqlite3
import sys
from datetime import date, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest

sys.path.insert(0, str(Path(__file__).parent.parent))

from expect import VN, WEEKLY_KEYS, expected_weekly

from auditor.cli import main
from auditor.store import Store

AS_OF = date(2018, 1, 21)
MAX_FEED_PAGES = 3
CONFIG = """
timezone: Asia/Ho_Chi_Minh
http: {{timeout_s: 20, per_host_delay_s: 0, retries: 1, backoff_s: 0.1, concurrency: 3,
        max_feed_pages: {pages}}}
campaign:
  id: "1476/TLĐ"
  start: 2017-09-20
  end: 2018-09-30
  min_articles_per_week: 2
  columns:
    - {{id: loi_ich_doan_vien, name: "Công đoàn vì lợi ích đoàn viên",
       aliases: ["Vì lợi ích đoàn viên"]}}
    - {{id: thiet_che_cong_doan, name: "Thiết chế Công đoàn"}}
    - {{id: dai_hoi_cong_doan, name: "Hướng tới Đại hội Công đoàn Việt Nam lần thứ XII",
       aliases: ["Hướng tới Đại hội XII"]}}
outlets:
  - {{id: pretty, name: "LĐLĐ tỉnh Thử nghiệm", kind: website, url: "{pretty}/"}}
  - {{id: plain, name: "Công đoàn ngành Thử nghiệm", kind: website, url: "{plain}/"}}
  - {{id: closed, name: "Báo Lao động Thử nghiệm", kind: newspaper, url: "{closed}/"}}
"""
# the seed categories of each column: an editor may have created one twice ("li2", "tc2")
COLUMN_KEYS = {
    "loi_ich_doan_vien": ("li", "li2"),
    "thiet_che_cong_doan": ("tc", "tc2"),
    "dai_hoi_cong_doan": ("dh",),
}


def keys_of(seed: dict, column_id: str) -> set[str]:
    return {k for k in COLUMN_KEYS[column_id] if k in seed["categories"]}


def posts_of(seed: dict) -> list:
    return [
        SimpleNamespace(
            status=p["status"],
            categories=p["categories"],
            title=p["title"],
            date=datetime.fromisoformat(p["date_local"]).replace(tzinfo=VN),
        )
        for p in seed["posts"]
    ]


def visible_from(seed: dict) -> dict:
    """For the feed-only site: from when the auditor can see each column's posts."""
    if not seed["block_rest"]:
        return {}
    published = sorted(
        (p for p in posts_of(seed) if p.status == "publish"), key=lambda p: p.date, reverse=True
    )
    window = 10 * MAX_FEED_PAGES
    site_from = published[window - 1].date if len(published) > window else None
    seen = {}
    for column_id in COLUMN_KEYS:
        keys = keys_of(seed, column_id)
        if not keys:
            seen[column_id] = site_from
            continue
        mine = [p for p in published if keys & set(p.categories)]
        # a category feed read to its end (404 within the page limit) covers all history
        complete = len(mine) <= 10 * (MAX_FEED_PAGES - 1)
        seen[column_id] = None if complete else mine[window - 1].date
    return seen


def expected_rows(site, name: str) -> list[dict]:
    seed = site.seed
    seen = visible_from(seed)
    rows = []
    for column_id in COLUMN_KEYS:
        cats = {column_id: keys_of(seed, column_id)}
        site_view = SimpleNamespace(posts=posts_of(seed))
        rows += [
            r
            for r in expected_weekly(
                site_view, site.name, name, cats, AS_OF, seen_from=seen.get(column_id)
            )
            if r["column_id"] == column_id
        ]
    return rows


def expected_summary(site) -> dict:
    seed, seen = site.seed, visible_from(site.seed)
    summary = {}
    for column_id in COLUMN_KEYS:
        start, keys = seen.get(column_id), keys_of(seed, column_id)
        dates = sorted(
            p.date
            for p in posts_of(seed)
            if p.status == "publish"
            and keys & set(p.categories)
            and (start is None or p.date >= start)
        )
        first = dates[0].date().isoformat() if dates else ""
        # late only if the auditor saw the column silent from the deadline to its first post
        deadline = datetime(2017, 9, 21, tzinfo=VN)
        late = "late" if start is None or start <= deadline else "unknown"
        # "no" needs a complete listing of the categories: REST gives one, feeds do not
        absent = "unknown" if seed["block_rest"] else "no"
        exists = "yes" if keys else absent
        summary[column_id] = {
            "exists": exists,
            "first_article": first,
            "timeliness": ("unknown" if exists == "unknown" else "")
            if not first
            else ("on_time" if first <= "2017-09-20" else late),
        }
    return summary


def read(path: Path) -> list[dict]:
    text = path.read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))


@pytest.fixture(scope="module")
def audited(wordpress_sites, tmp_path_factory):
    folder = tmp_path_factory.mktemp("wp-audit")
    sites = wordpress_sites.sites
    config = folder / "config.yaml"
    config.write_text(
        CONFIG.format(pages=MAX_FEED_PAGES, **{n: s.url for n, s in sites.items()}),
        encoding="utf-8",
    )
    db = folder / "audit.db"
    args = ["-q", "--config", str(config), "--db", str(db)]
    assert main([*args, "crawl"]) == 0
    assert main([*args, "audit", "--as-of", AS_OF.isoformat()]) == 0
    assert main([*args, "export", "weekly", "-o", str(folder / "weekly.csv")]) == 0
    assert main([*args, "export", "outlets", "-o", str(folder / "outlets.csv")]) == 0
    return SimpleNamespace(args=args, db=db, folder=folder, sites=sites)


@pytest.mark.parametrize("name", ["pretty", "plain", "closed"])
def test_weekly_csv_equals_the_seed(audited, name):
    site = audited.sites[name]
    weekly = [
        {k: r[k] for k in WEEKLY_KEYS}
        for r in read(audited.folder / "weekly.csv")
        if r["outlet_id"] == name
    ]
    outlet_name = {
        "pretty": "LĐLĐ tỉnh Thử nghiệm",
        "plain": "Công đoàn ngành Thử nghiệm",
        "closed": "Báo Lao động Thử nghiệm",
    }[name]
    assert weekly == expected_rows(site, outlet_name)


@pytest.mark.parametrize("name", ["pretty", "plain", "closed"])
def test_outlet_summary_equals_the_seed(audited, name):
    [row] = [r for r in read(audited.folder / "outlets.csv") if r["outlet_id"] == name]
    weekly = [r for r in read(audited.folder / "weekly.csv") if r["outlet_id"] == name]
    for column_id, want in expected_summary(audited.sites[name]).items():
        got = {k: row[f"{column_id}__{k}"] for k in want}
        assert got == want, column_id
        mine = [r for r in weekly if r["column_id"] == column_id]
        assert row[f"{column_id}__weeks_met"] == str(sum(r["status"] == "met" for r in mine))
        assert row[f"{column_id}__weeks_judged"] == str(
            sum(r["status"] in ("met", "missed") for r in mine)
        )
    assert row["last_crawl_status"] == "ok"


def test_edge_posts_of_the_pretty_site(audited):
    store = Store(audited.db)
    titles = {r["title"] for r in store._q("SELECT title FROM articles WHERE outlet_id='pretty'")}
    seed = audited.sites["pretty"].seed
    published = {p["title"] for p in seed["posts"] if p["status"] == "publish"}
    assert titles == published  # no draft, private, scheduled or trashed post; – and “ ” decoded
    weekly = {
        (r["column_id"], r["week"]): r
        for r in read(audited.folder / "weekly.csv")
        if r["outlet_id"] == "pretty"
    }
    # Sunday 23:30 stays in W43, Monday 00:15 goes to W44
    assert weekly[("thiet_che_cong_doan", "2017-W43")]["articles"] == "1"
    assert weekly[("thiet_che_cong_doan", "2017-W44")]["status"] == "met"
    two = store._q(
        "SELECT count(*) AS n FROM article_columns ac JOIN articles a ON a.id = "
        "ac.article_id WHERE a.title LIKE 'Nhà ở xã hội%'"
    )
    assert two[0]["n"] == 2


def test_duplicate_categories_count_for_their_column(audited):
    """The editor's second category, spelt without diacritics or in capitals, is the column
    too: each spelling is its own evidence row, a post in both is one article of it."""
    store = Store(audited.db)
    seed = audited.sites["pretty"].seed
    sources = store._q(
        "SELECT column_id, value FROM column_sources WHERE outlet_id = 'pretty' AND "
        "kind = 'category'"
    )
    for column_id in ("loi_ich_doan_vien", "thiet_che_cong_doan"):
        want = {seed["categories"][k]["name"] for k in keys_of(seed, column_id)}
        assert {r["value"] for r in sources if r["column_id"] == column_id} == want
    both = store._q(
        "SELECT ac.column_id FROM article_columns ac JOIN articles a ON a.id = ac.article_id "
        "WHERE a.outlet_id = 'pretty' AND a.title LIKE '%cả hai chuyên mục trùng tên%'"
    )
    assert [r["column_id"] for r in both] == ["loi_ich_doan_vien"]
    weekly = {
        (r["column_id"], r["week"]): r
        for r in read(audited.folder / "weekly.csv")
        if r["outlet_id"] == "pretty"
    }
    # 2017-W44 of the benefits column holds posts of the second spelling only
    assert weekly[("loi_ich_doan_vien", "2017-W44")]["status"] == "met"


def test_rest_and_feeds_were_both_read(audited):
    store = Store(audited.db)
    pretty = store._q("SELECT sources FROM articles WHERE outlet_id = 'pretty'")
    assert all('"rest"' in r["sources"] for r in pretty)
    assert sum('"rss"' in r["sources"] for r in pretty) >= 10
    urls = [r["url"] for r in store._q("SELECT url FROM fetches WHERE outlet_id = 'pretty'")]
    assert sum("wp/v2/posts" in u for u in urls) == 2  # 149 posts, per_page=100
    plain = [r["url"] for r in store._q("SELECT url FROM fetches WHERE outlet_id = 'plain'")]
    assert any("rest_route=/wp/v2/posts" in u for u in plain)
    closed = store._q("SELECT notes, status FROM crawls WHERE outlet_id = 'closed'")[0]
    assert "rest_not_logged_in" in closed["notes"] and closed["status"] == "ok"
    closed_urls = [r["url"] for r in store._q("SELECT url FROM fetches WHERE outlet_id='closed'")]
    assert any(
        "category_name=cong-doan-vi-loi-ich-doan-vien" in u and "paged=3" in u for u in closed_urls
    )


def test_second_crawl_then_edits(audited, tmp_path):
    # on a copy of the store, so the other tests see the first crawl whatever their order
    db = tmp_path / "audit.db"
    with sqlite3.connect(audited.db) as src, sqlite3.connect(db) as dst:
        src.backup(dst)
    audited = SimpleNamespace(**{**vars(audited), "db": db, "args": [*audited.args[:-1], str(db)]})
    store = Store(audited.db)
    first = {r["outlet_id"]: r for r in store._q("SELECT * FROM crawls")}
    assert main([*audited.args, "crawl"]) == 0
    second = {
        r["outlet_id"]: r
        for r in store._q("SELECT * FROM crawls WHERE id > (SELECT max(id) - 3 FROM crawls)")
    }
    for name in ("pretty", "plain", "closed"):
        assert second[name]["new_articles"] == 0 and second[name]["updated_articles"] == 0
        assert second[name]["bytes"] < first[name]["bytes"] / 3, name
    pretty_urls = [
        r["url"]
        for r in store._q("SELECT url FROM fetches WHERE crawl_id = ?", (second["pretty"]["id"],))
    ]
    assert all("modified_after" in u for u in pretty_urls if "wp/v2/posts" in u)
    statuses = [
        r["status"]
        for r in store._q(
            "SELECT status FROM fetches WHERE crawl_id = ?", (second["closed"]["id"],)
        )
    ]
    assert 304 in statuses

    site = audited.sites["pretty"]
    new_day = datetime(2018, 1, 16, 9, 0, tzinfo=VN)
    site.php(
        "edit.php",
        str(site.ids["p-edited"]),
        "Bài đã sửa sau khi đăng",
        "Bài mới sau lần thu thập đầu",
        "cong-doan-vi-loi-ich-doan-vien",
        (new_day - timedelta(hours=7)).strftime("%Y-%m-%d %H:%M:%S"),
    )
    assert main([*audited.args, "crawl", "--outlet", "pretty"]) == 0
    titles = {r["title"] for r in store._q("SELECT title FROM articles WHERE outlet_id='pretty'")}
    assert "Bài đã sửa sau khi đăng" in titles and "Bài sẽ được sửa sau khi đăng" not in titles
    assert "Bài mới sau lần thu thập đầu" in titles
    assert main([*audited.args, "audit", "--outlet", "pretty", "--as-of", "2018-01-21"]) == 0
    out = audited.folder / "after.csv"
    assert main([*audited.args, "export", "weekly", "-o", str(out)]) == 0
    before = {
        r["week"]: int(r["articles"])
        for r in read(audited.folder / "weekly.csv")
        if r["outlet_id"] == "pretty" and r["column_id"] == "loi_ich_doan_vien"
    }
    after = {
        r["week"]: int(r["articles"])
        for r in read(out)
        if r["outlet_id"] == "pretty" and r["column_id"] == "loi_ich_doan_vien"
    }
    assert after["2018-W03"] == before["2018-W03"] + 1
    assert {w: n for w, n in after.items() if w != "2018-W03"} == {
        w: n for w, n in before.items() if w != "2018-W03"
    }


def test_banner_of_real_wordpress_homepages(audited, capsys):
    """A real theme's homepage (stylesheets, scripts, logo) is judged, not left unknown:
    the banner in a text widget is present; another congress's greeting is absent."""
    import json

    capsys.readouterr()
    main([*audited.args, "banner", "--outlet", "pretty", "--outlet", "plain", "--json"])
    got = {r["outlet_id"]: r for r in json.loads(capsys.readouterr().out)}
    assert got["pretty"]["verdict"] == "present", got["pretty"]
    assert got["plain"]["verdict"] == "absent", got["plain"]
