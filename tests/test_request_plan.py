"""The request plan (issue 14): each URL once per crawl, feed pages only while they can
still hold something, the homepage only when a crawl needs it, robots.txt once a day,
and every request counted by why it was made. Requests are counted, never timed."""

from __future__ import annotations

import json
import textwrap
from collections import Counter
from datetime import UTC, datetime, timedelta

from fakeclient import RSS, FakeClient, rss
from test_crawl import big_site
from test_crawl_layer import FEED, PATH, SITE, STATE, feed_pages, read, rfc, vn

from auditor import config as config_mod
from auditor.cli import main
from auditor.crawl.run import crawl
from auditor.fetch import Fetcher
from auditor.labels import PURPOSES
from auditor.store import Store
from auditor.types import BEGINNING

T0 = datetime(2017, 12, 20, 3, 0, tzinfo=UTC)


def write_config(tmp_path, outlets: str) -> str:
    path = tmp_path / "config.yaml"
    path.write_text(
        textwrap.dedent(
            """
            timezone: Asia/Ho_Chi_Minh
            http: {per_host_delay_s: 0, retries: 0}
            crawl: {classify: false}
            campaign:
              id: "1476"
              title: t
              start: 2017-09-18
              end: 2018-09-30
              min_articles_per_week: 2
              columns:
                - {id: loi-ich, name: "Công đoàn vì lợi ích đoàn viên"}
                - {id: thiet-che, name: "Thiết chế Công đoàn"}
            outlets:
            """
        )
        + textwrap.indent(textwrap.dedent(outlets), "  "),
        encoding="utf-8",
    )
    return str(path)


def crawl_at(config_path: str, db, when: datetime) -> list:
    """One crawl with its clock at `when` (robots.txt and the homepage go by it)."""
    config = config_mod.load(config_path)
    store = Store(db)
    try:
        return crawl(config, store, now=lambda: when)
    finally:
        store.close()


def paths(site) -> Counter:
    log = list(site.log)
    site.log.clear()
    return Counter(log)


# -- each URL once ----------------------------------------------------------------------------


def test_one_feed_named_three_ways_is_requested_once(tmp_path, serve):
    server = serve(big_site())
    url = server.url
    feeds = f'["{url}/feed/", "{url}/feed?utm_source=zalo", "{url}/feed/#top"]'
    config = write_config(
        tmp_path, f'- {{id: a, name: A, kind: website, url: "{url}/", feeds: {feeds}}}\n'
    )
    [report] = crawl_at(config, tmp_path / "a.db", T0)
    asked = paths(server.site)
    assert report.status == "ok"
    assert [p for p, n in asked.items() if n > 1] == []
    assert sum(n for p, n in asked.items() if p.startswith("/feed")) == 1


def test_a_cold_and_a_warm_crawl_ask_each_url_at_most_once(tmp_path, serve):
    server = serve(big_site())
    config = write_config(tmp_path, f'- {{id: a, name: A, kind: website, url: "{server.url}/"}}\n')
    for when in (T0, T0 + timedelta(hours=1)):
        crawl_at(config, tmp_path / "a.db", when)
        asked = paths(server.site)
        assert asked and [p for p, n in asked.items() if n > 1] == []


# -- feed pages -------------------------------------------------------------------------------


def test_a_page_shorter_than_the_first_is_the_last_one_asked():
    pages = feed_pages(2)
    # page 3 holds one post where the pages before held two: WordPress has no page 4
    when = vn(2017, 10, 12, 12)
    pages[f"{PATH}?paged=3"] = (rss([(f"{SITE}bai-cuoi/", "Bài cuối", rfc(when))]), RSS)
    client = FakeClient(pages)
    h, complete = read(client)
    assert client.requested == [PATH, f"{PATH}?paged=2", f"{PATH}?paged=3"]
    assert complete is True
    [cov] = h.coverage
    assert cov.start == BEGINNING


def test_a_page_as_long_as_the_first_is_followed_to_the_404():
    client = FakeClient(feed_pages(3))
    _, complete = read(client)
    assert client.requested[-1] == f"{PATH}?paged=4"  # answered 404: only that proves the end
    assert complete is True


def _two_items(oldest: datetime) -> FakeClient:
    items = [
        (f"{SITE}bai-moi/", "Bài mới", rfc(vn(2017, 10, 16, 12))),
        (f"{SITE}bai-cu/", "Bài cũ", rfc(oldest)),
    ]
    return FakeClient({PATH: (rss(items), RSS)})


def test_a_first_page_reaching_back_before_the_campaign_asks_no_second():
    # the campaign starts on Wednesday 20 Sep 2017, in the week from Monday 18 Sep;
    # the oldest item is from Sunday 17 Sep, before that week
    client = _two_items(vn(2017, 9, 17, 12))
    h, complete = read(client)
    assert client.requested == [PATH]
    # not "complete": what it covers starts at its oldest item, before the first week
    assert complete is False
    [cov] = h.coverage
    assert cov.start == vn(2017, 9, 17, 12)


def test_an_oldest_item_inside_the_campaigns_first_week_still_asks_the_next_page():
    # 19 Sep is before the campaign's start but inside its first week: only the next
    # page can show whether that week holds something older
    client = _two_items(vn(2017, 9, 19, 12))
    read(client)
    assert client.requested == [PATH, f"{PATH}?paged=2"]


def test_a_first_page_inside_the_campaign_still_asks_the_second():
    client = FakeClient(feed_pages(1))
    read(client)
    assert client.requested == [PATH, f"{PATH}?paged=2"]


def test_paging_is_counted_as_paging():
    client = FakeClient(feed_pages(2))
    read(client, state=STATE)
    assert [r.purpose for r in client.records] == ["listing", "paging", "paging"]
    assert client.requested[0] == PATH and FEED.endswith(PATH)


# -- homepage and robots.txt ------------------------------------------------------------------


def test_robots_txt_is_read_once_a_day(tmp_path, serve):
    server = serve(big_site())
    config = write_config(tmp_path, f'- {{id: a, name: A, kind: website, url: "{server.url}/"}}\n')
    db = tmp_path / "a.db"
    seen = []
    for when in (T0, T0 + timedelta(hours=23), T0 + timedelta(hours=25)):
        crawl_at(config, db, when)
        seen.append(paths(server.site)["/robots.txt"])
    assert seen == [1, 0, 1]


def test_the_homepage_is_read_only_when_the_crawl_needs_it(tmp_path, serve):
    server = serve(big_site())
    config = write_config(tmp_path, f'- {{id: a, name: A, kind: website, url: "{server.url}/"}}\n')
    db = tmp_path / "a.db"
    seen = []
    # discovery; nothing new to find a day later; on its own schedule (7 days) again
    for when in (T0, T0 + timedelta(days=1), T0 + timedelta(days=8)):
        crawl_at(config, db, when)
        seen.append(paths(server.site)["/"])
    assert seen == [1, 0, 1]


def test_a_warm_crawl_with_a_complete_rest_listing_reads_no_site_feed(tmp_path, serve):
    server = serve(big_site())
    config = write_config(tmp_path, f'- {{id: a, name: A, kind: website, url: "{server.url}/"}}\n')
    db = tmp_path / "a.db"
    crawl_at(config, db, T0)
    assert any("feed" in p for p in paths(server.site))  # read once, with the homepage
    [report] = crawl_at(config, db, T0 + timedelta(hours=1))
    asked = paths(server.site)
    assert report.status == "ok"
    assert not any("feed" in p for p in asked)
    assert set(report.requests_by) == {"listing"}  # categories, tags, posts modified_after


# -- the count, by purpose --------------------------------------------------------------------


def test_requests_by_purpose_are_stored_and_shown_by_status(tmp_path, serve, capsys):
    server = serve(big_site())
    config = write_config(tmp_path, f'- {{id: a, name: A, kind: website, url: "{server.url}/"}}\n')
    db = tmp_path / "a.db"
    [report] = crawl_at(config, db, T0)
    by = report.requests_by
    assert set(by) <= set(PURPOSES)
    assert by["robots"] == 1 and by["discovery"] >= 1 and by["paging"] >= 1  # two REST pages
    assert sum(by.values()) == report.requests == sum(paths(server.site).values())
    store = Store(db)
    purposes = Counter(r["purpose"] for r in store._q("SELECT purpose FROM fetches"))
    assert dict(purposes) == by
    store.close()

    assert main(["-q", "--config", config, "--db", str(db), "status", "--json"]) == 0
    [row] = json.loads(capsys.readouterr().out)
    assert row["requests_by"] == by
    assert main(["-q", "--config", config, "--db", str(db), "status"]) == 0
    assert f"robots {by['robots']}" in capsys.readouterr().out


def test_a_retry_is_counted_as_a_retry(serve):
    answers = iter([503, 200])

    def flaky(h):
        h.send(next(answers), b"<rss version='2.0'><channel></channel></rss>", RSS)

    from auditor.fakesite import FakeSite
    from auditor.types import HttpSettings

    server = serve(
        FakeSite(routes={"/robots.txt": lambda h: h.send(404, b"", "text/plain"), "/f": flaky})
    )
    fetcher = Fetcher(HttpSettings(per_host_delay_s=0, retries=1, backoff_s=0))
    client = fetcher.client()
    client.get(server.url + "/f")
    assert [r.purpose for r in client.records] == ["robots", "listing", "retry"]
    fetcher.close()


# -- feeds beside a complete REST listing, with a fake client ---------------------------------


def _rest_crawl(site: dict, store, at: datetime) -> FakeClient:
    from test_crawl_layer import CAMPAIGN, config, wp_outlet

    from auditor.crawl.outlet import Settings
    from auditor.crawl.run import harvest
    from auditor.crawl.save import save_harvest

    settings = Settings.of(config())
    client = FakeClient({"/": ("<html><body>Trang chủ</body></html>", "text/html"), **site})
    save_harvest(
        store,
        harvest(wp_outlet(), client, store.outlet_state("cd"), settings, lambda: at),
        CAMPAIGN,
    )
    return client


def _rest_site_with_feed(posts: list[dict]) -> dict:
    from test_crawl_layer import rest_site

    site = rest_site(posts)
    # the incremental listing of the next crawl: modified after the cursor less a minute
    site["/wp-json/wp/v2/posts?modified_after=2017-10-06T01:59:00&page=1"] = site[
        "/wp-json/wp/v2/posts?page=1"
    ]
    site["/feed/"] = (rss([(f"{SITE}2017/10/06/bai-5/", "Bài 5", rfc(vn(2017, 10, 6, 9)))]), RSS)
    return site


def test_beside_a_complete_rest_listing_the_feed_is_read_only_with_the_homepage(tmp_path):
    from test_crawl_layer import NOW, post

    store = Store(tmp_path / "s.db")
    site = _rest_site_with_feed([post(i, 1 + i) for i in range(1, 6)])
    first = _rest_crawl(site, store, NOW)
    assert "/" in first.requested and "/feed/" in first.requested
    second = _rest_crawl(site, store, NOW + timedelta(hours=1))
    assert "/" not in second.requested and "/feed/" not in second.requested
    assert any("modified_after" in r for r in second.requested)


def test_an_undated_rest_post_sends_the_crawl_to_the_feed_for_its_date(tmp_path):
    from test_crawl_layer import NOW, post

    store = Store(tmp_path / "s.db")
    posts = [post(i, 1 + i) for i in range(1, 6)]
    posts[-1] = dict(posts[-1], date_gmt="0000-00-00T00:00:00")
    site = _rest_site_with_feed(posts)
    _rest_crawl(site, store, NOW)
    second = _rest_crawl(site, store, NOW + timedelta(hours=1))
    assert "/" not in second.requested and "/feed/" in second.requested


# -- one request at a time per host -----------------------------------------------------------


def test_outlets_sharing_a_host_never_have_two_requests_in_flight_there(serve):
    import threading

    from auditor.fakesite import FakeSite
    from auditor.types import HttpSettings, Outlet

    lock, state = threading.Lock(), {"now": 0, "most": 0, "served": 0}
    release = threading.Event()

    def slow(h):
        with lock:
            state["now"] += 1
            state["most"] = max(state["most"], state["now"])
        release.wait(0.2)  # holds the request open: a second one would overlap it
        with lock:
            state["now"] -= 1
            state["served"] += 1
        h.send(200, b"ok", "text/plain")

    routes = {"/robots.txt": lambda h: h.send(404, b"", "text/plain")}
    routes.update({f"/s{i}/": slow for i in range(4)})
    server = serve(FakeSite(routes=routes))
    fetcher = Fetcher(HttpSettings(per_host_delay_s=0, retries=0, concurrency=4))
    outlets = [Outlet(f"o{i}", "O", "website", f"{server.url}/s{i}/") for i in range(4)]
    threads = [threading.Thread(target=fetcher.client(o).get, args=(o.url,)) for o in outlets]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    fetcher.close()
    assert state["served"] == 4
    assert state["most"] == 1
