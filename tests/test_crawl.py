"""End to end against fake outlets on 127.0.0.1: crawl, audit, export, as a user would."""

from __future__ import annotations

import csv
import io
import json
import textwrap
from datetime import UTC, date, datetime, timedelta

import pytest
from expect import VN, WEEKLY_KEYS, expected_weekly

from auditor.cli import main
from auditor.fakesite import FakePost, FakeSite
from auditor.store import Store

CATEGORIES = {
    10: ("Công đoàn vì lợi ích đoàn viên", "cong-doan-vi-loi-ich-doan-vien"),
    11: ("THIẾT CHẾ CÔNG ĐOÀN", "thiet-che"),  # differs from config by case
    12: ("Thời sự", "thoi-su"),
}
FIRST_MONDAY = datetime(2017, 9, 18, 9, 0, tzinfo=VN)
AS_OF = date(2017, 12, 20)


def big_site() -> FakeSite:
    """~130 posts over 14 weeks: two REST pages, a dozen feed pages."""
    site = FakeSite(name="LĐLĐ Thử nghiệm", categories=dict(CATEGORIES))
    n = 0
    for week in range(14):
        for k in range(11 if week % 4 else 1):
            n += 1
            cats = (10,) if k % 3 == 0 else (11,) if k % 3 == 1 else (12,)
            site.posts.append(
                FakePost(
                    n,
                    f"Bài số {n} &#8211; tin công đoàn",
                    FIRST_MONDAY + timedelta(weeks=week, hours=7 * k),
                    categories=cats,
                )
            )
    edge = len(site.posts)
    site.posts += [
        # Sunday 23:30 and Monday 00:15 local time, in the congress-free column 11
        FakePost(edge + 1, "Chủ nhật muộn", datetime(2017, 10, 29, 23, 30, tzinfo=VN), (11,)),
        FakePost(edge + 2, "Thứ hai sớm", datetime(2017, 10, 30, 0, 15, tzinfo=VN), (11,)),
        # one post in two columns
        FakePost(
            edge + 3, "Nhà ở công nhân và ưu đãi", datetime(2017, 11, 8, 10, tzinfo=VN), (10, 11)
        ),
        FakePost(edge + 4, "Bản nháp", datetime(2017, 11, 9, 10, tzinfo=VN), (10,), status="draft"),
    ]
    return site


def feed_only_site() -> FakeSite:
    """A non-WordPress outlet whose single feed shows only its latest 10 items."""
    site = FakeSite(
        name="Báo Thử",
        categories={1: ("Thiết chế Công đoàn", "tc")},
        rest="off",
        wordpress_feeds=False,
    )
    for n in range(1, 31):
        site.posts.append(
            FakePost(n, f"Thiết chế {n}", FIRST_MONDAY + timedelta(days=3 * n), categories=(1,))
        )
    return site


FAST_HTTP = "{timeout_s: 3, per_host_delay_s: 0, retries: 1, backoff_s: 0.01, concurrency: 4}"


def write_config(tmp_path, outlets: str, extra: str = "", http: str = FAST_HTTP) -> str:
    text = (
        textwrap.dedent("""
        timezone: Asia/Ho_Chi_Minh
        http: HTTP
        campaign:
          id: "1476/TLĐ"
          start: 2017-09-20
          end: 2018-09-30
          min_articles_per_week: 2
          columns:
            - {id: loi_ich_doan_vien, name: "Công đoàn vì lợi ích đoàn viên",
               aliases: ["Vì lợi ích đoàn viên"]}
            - {id: thiet_che_cong_doan, name: "Thiết chế Công đoàn", aliases: ["Thiết chế CĐ"]}
            - {id: dai_hoi_cong_doan, name: "Hướng tới Đại hội Công đoàn Việt Nam lần thứ XII",
               aliases: ["Hướng tới Đại hội XII"]}
          banner:
            text: "Chào mừng đại hội công đoàn các cấp và Đại hội Công đoàn Việt Nam lần thứ XII"
        outlets:
        """).replace("HTTP", http)
        + textwrap.indent(textwrap.dedent(outlets), "  ")
        + extra
    )
    path = tmp_path / "config.yaml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def one_outlet(tmp_path, url: str, outlet_id: str = "good", name: str = "G", **kw) -> str:
    """A config with one website outlet at url."""
    return write_config(
        tmp_path, f'- {{id: {outlet_id}, name: {name}, kind: website, url: "{url}/"}}\n', **kw
    )


def run(config: str, db, *args) -> int:
    return main(["-q", "--config", config, "--db", str(db), *args])


def read_csv(path) -> list[dict]:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


def weekly(path, keys=WEEKLY_KEYS):
    return [{k: r[k] for k in keys} for r in read_csv(path)]


@pytest.fixture
def outlets(serve):
    good, feedy = serve(big_site()), serve(feed_only_site())

    def down(h):
        h.send(500, b"<html>Internal Server Error</html>", "text/html")

    broken = serve(FakeSite(routes={"/": down, "/feed/": down, "/robots.txt": down}))
    return good, feedy, broken


def test_weekly_csv_equals_what_the_data_implies(tmp_path, outlets):
    good, feedy, broken = outlets
    config = write_config(
        tmp_path,
        f"""
        - {{id: good, name: "LĐLĐ Thử nghiệm", kind: website, url: "{good.url}/"}}
        - {{id: feedy, name: "Báo Thử", kind: newspaper, url: "{feedy.url}/",
           wordpress: false, feeds: ["{feedy.url}/feed/"]}}
        - {{id: broken, name: "Hỏng", kind: website, url: "{broken.url}/"}}
        """,
    )
    db = tmp_path / "audit.db"
    assert run(config, db, "crawl") == 1  # one outlet is down, the others are stored
    assert run(config, db, "audit", "--as-of", AS_OF.isoformat()) == 0
    out = tmp_path / "weekly.csv"
    assert run(config, db, "export", "weekly", "-o", str(out)) == 0

    rows = weekly(out)
    header = next(csv.reader(io.StringIO(out.read_text(encoding="utf-8")[1:])))
    assert ",".join(header).startswith(
        "outlet_id,outlet_name,column_id,column_name,week,"
        "week_start,week_end,articles,required,status"
    )

    site = good.site
    assert [r for r in rows if r["outlet_id"] == "good"] == expected_weekly(
        site,
        "good",
        "LĐLĐ Thử nghiệm",
        {"loi_ich_doan_vien": {10}, "thiet_che_cong_doan": {11}},
        AS_OF,
    )
    oldest = sorted(p.date for p in feedy.site.posts)[-10]  # the feed shows the last 10
    assert [r for r in rows if r["outlet_id"] == "feedy"] == expected_weekly(
        feedy.site, "feedy", "Báo Thử", {"thiet_che_cong_doan": {1}}, AS_OF, seen_from=oldest
    )
    # the broken outlet: nothing seen, so every week of every column is unknown (or in
    # progress), none missed; its rows are there, not left out
    never_seen = datetime(9999, 1, 1, tzinfo=UTC)
    nothing = FakeSite(posts=[])
    assert [r for r in rows if r["outlet_id"] == "broken"] == expected_weekly(
        nothing, "broken", "Hỏng", {}, AS_OF, seen_from=never_seen
    )


def test_rest_and_rss_copies_are_one_article(tmp_path, outlets):
    good, _, _ = outlets
    config = one_outlet(tmp_path, good.url)
    db = tmp_path / "audit.db"
    assert run(config, db, "crawl") == 0
    store = Store(db)
    published = [p for p in good.site.posts if p.status == "publish"]
    rows = store._q("SELECT sources FROM articles")
    assert len(rows) == len(published)
    assert sum('"rss"' in r["sources"] for r in rows) >= 10  # the feed's copies merged in
    two = store._q(
        "SELECT count(*) AS n FROM article_columns ac JOIN articles a ON "
        "a.id = ac.article_id WHERE a.title = 'Nhà ở công nhân và ưu đãi'"
    )
    assert two[0]["n"] == 2
    titles = {r["title"] for r in store._q("SELECT title FROM articles")}
    assert "Bài số 1 – tin công đoàn" in titles  # &#8211; decoded
    pages = [p for p in good.site.log if "wp/v2/posts" in p]
    assert len(pages) == 2  # 130 posts at per_page=100


def test_second_crawl_adds_nothing_and_asks_incrementally(tmp_path, outlets):
    good, _, _ = outlets
    config = one_outlet(tmp_path, good.url)
    db = tmp_path / "audit.db"
    assert run(config, db, "crawl") == 0
    good.site.log.clear()
    assert run(config, db, "crawl", "--json") == 0
    store = Store(db)
    last = store._q("SELECT * FROM crawls ORDER BY id DESC LIMIT 1")[0]
    assert last["new_articles"] == 0 and last["updated_articles"] == 0
    posts = [p for p in good.site.log if "wp/v2/posts" in p]
    assert posts and all("modified_after" in p for p in posts)
    urls = [r["url"] for r in store._q("SELECT url FROM fetches WHERE crawl_id = ?", (last["id"],))]
    # the REST listing covers every column: its feed, copies of its newest posts, is not
    # read again until the homepage is; and nothing is asked twice
    assert urls and not any("feed" in u for u in urls)
    assert len(urls) == len(set(urls))

    # a new post and an edited one show up on the next crawl
    site = good.site
    site.posts.append(FakePost(999, "Bài mới", datetime(2017, 12, 22, 9, tzinfo=VN), (10,)))
    site.posts[0].title = "Bài số 1 đã sửa"
    site.posts[0].modified = datetime(2017, 12, 22, 10, tzinfo=VN)
    assert run(config, db, "crawl") == 0
    last = store._q("SELECT * FROM crawls ORDER BY id DESC LIMIT 1")[0]
    assert last["new_articles"] == 1 and last["updated_articles"] >= 1
    assert store._q("SELECT 1 FROM articles WHERE title = 'Bài số 1 đã sửa'")


def test_broken_outlet_shows_in_status(tmp_path, outlets, capsys):
    good, _, broken = outlets
    config = write_config(
        tmp_path,
        f"""
        - {{id: good, name: G, kind: website, url: "{good.url}/"}}
        - {{id: broken, name: B, kind: website, url: "{broken.url}/"}}
        """,
    )
    db = tmp_path / "audit.db"
    assert run(config, db, "crawl") == 1
    capsys.readouterr()
    assert run(config, db, "status", "--json") == 0
    rows = {r["id"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows["good"]["last_status"] == "ok"
    assert rows["broken"]["last_status"] == "error"
    assert "HTTP 500" in rows["broken"]["last_error"] or "robots" in rows["broken"]["last_error"]
    assert rows["broken"]["consecutive_failures"] == 1


def test_interrupted_crawl_leaves_store_as_it_was(tmp_path, outlets, monkeypatch):
    good, _, _ = outlets
    config = one_outlet(tmp_path, good.url)
    db = tmp_path / "audit.db"
    assert run(config, db, "crawl") == 0
    before = Store(db)._q("SELECT count(*) AS n FROM articles")[0]["n"]
    good.site.posts.append(FakePost(500, "Mới", datetime(2017, 12, 22, 9, tzinfo=VN), (10,)))

    def boom(self, *args):
        raise KeyboardInterrupt  # as if the process were stopped half-way through the writes

    monkeypatch.setattr(Store, "withdraw_coverage", boom)  # after the articles are written
    assert run(config, db, "crawl") == 130  # click reports the interrupt as "Aborted."
    monkeypatch.undo()
    store = Store(db)
    assert store._q("SELECT count(*) AS n FROM articles")[0]["n"] == before
    assert store._q("SELECT count(*) AS n FROM crawls")[0]["n"] == 1
    assert run(config, db, "crawl") == 0
    assert store._q("SELECT count(*) AS n FROM articles")[0]["n"] == before + 1


def test_export_before_any_audit_says_so(tmp_path, capsys):
    config = write_config(
        tmp_path,
        """
        - {id: a, name: A, kind: website, url: "http://127.0.0.1:9/"}
        """,
    )
    assert run(config, tmp_path / "x.db", "export", "weekly") == 1
    assert "auditor audit" in capsys.readouterr().err


def test_config_error_exits_2_and_writes_nothing(tmp_path, capsys):
    config = write_config(
        tmp_path,
        """
        - {id: a, name: A, kind: radio, url: "http://127.0.0.1:9/"}
        """,
    )
    db = tmp_path / "never.db"
    assert run(config, db, "crawl") == 2
    assert "outlets[0].kind" in capsys.readouterr().err
    assert not db.exists()


def test_unpublished_posts_leave_but_a_short_listing_erases_nothing(tmp_path, serve):
    site = big_site()
    server = serve(site)
    config = write_config(
        tmp_path,
        f'- {{id: g, name: G, kind: website, url: "{server.url}/"}}\n',
        extra="crawl: {full_listing_every_days: 0}\n",
    )
    db = tmp_path / "a.db"
    assert run(config, db, "crawl") == 0
    live = "SELECT count(*) AS n FROM articles WHERE removed_at IS NULL"
    before = Store(db)._q(live)[0]["n"]
    site.posts[5].status = "trash"  # one post unpublished: it leaves the audit
    assert run(config, db, "crawl") == 0
    assert Store(db)._q(live)[0]["n"] == before - 1
    kept = site.posts[:40]  # a broken server lists a third of the posts
    site.posts[:] = kept
    assert run(config, db, "crawl") == 0
    assert Store(db)._q(live)[0]["n"] == before - 1
    notes = Store(db)._q("SELECT notes FROM crawls ORDER BY id DESC LIMIT 1")[0]["notes"]
    assert "not marking them removed" in notes
