"""The crawl layer's decisions with a fake client (tests/fakeclient.py), no server: feed
and listing paging, what each listing covers, REST vs feed merging, removed posts."""

from __future__ import annotations

import email.utils
import json
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from fakeclient import HTML, RSS, FakeClient, rss
from fakeclient import rest as rest_page

from auditor.crawl import feeds as feedcrawl
from auditor.crawl import sections as listings
from auditor.crawl import wordpress as rest
from auditor.crawl.outlet import OutletCrawl, Settings
from auditor.crawl.run import harvest
from auditor.crawl.save import save_harvest
from auditor.rules.audit import audit_column
from auditor.store import OutletState, Store
from auditor.types import (
    BEGINNING,
    Campaign,
    ColumnSpec,
    Config,
    Harvest,
    HttpSettings,
    Outlet,
)

VN = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2017, 10, 20, 3, 0, tzinfo=UTC)
SITE = "https://cd.example.vn/"
CAMPAIGN = Campaign(
    "1476",
    "",
    date(2017, 9, 20),
    date(2018, 9, 30),
    2,
    (ColumnSpec("tc", "Thiết chế Công đoàn"), ColumnSpec("dh", "Đại hội Công đoàn")),
)
HTTP = HttpSettings(per_host_delay_s=0, retries=0, max_feed_pages=4, max_section_pages=3)


def config(**http) -> Config:
    outlet = Outlet("cd", "Công đoàn tỉnh", "website", SITE)
    return Config("Asia/Ho_Chi_Minh", ":memory:", replace(HTTP, **http), CAMPAIGN, (outlet,))


def fresh(outlet: Outlet | None = None) -> Harvest:
    return Harvest(outlet or config().outlets[0], started=NOW)


def outlet_crawl(h: Harvest, client, state=None, **http) -> OutletCrawl:
    """One outlet's crawl as the readers share it, with the clock at NOW."""
    return OutletCrawl(
        h, client, STATE if state is None else state, Settings.of(config(**http)), now
    )


def vn(*args) -> datetime:
    return datetime(*args, tzinfo=VN).astimezone(UTC)


def rfc(when: datetime) -> str:
    return email.utils.format_datetime(when)


def now() -> datetime:
    return NOW


STATE = OutletState(coverage_end={})


# -- feed paging ----------------------------------------------------------------------------

FEED = "https://cd.example.vn/chuyen-muc/tc/feed/"
PATH = "/chuyen-muc/tc/feed/"


def feed_pages(n: int, per_page: int = 2) -> dict:
    """n full pages of a WordPress category feed, newest first, one post a day back from
    16 Oct 2017 (local noon)."""
    pages, day = {}, 0
    for page in range(1, n + 1):
        items = []
        for _ in range(per_page):
            when = vn(2017, 10, 16, 12) - timedelta(days=day)
            items.append((f"{SITE}bai-{day}-cong-doan/", f"Bài {day}", rfc(when)))
            day += 1
        pages[PATH if page == 1 else f"{PATH}?paged={page}"] = (rss(items), RSS)
    return pages


def read(client, h=None, state=STATE, paging=True, **http):
    h = h or fresh()
    done = feedcrawl.read_feed(outlet_crawl(h, client, state, **http), FEED, "tc", paging)
    return h, done


def test_a_404_past_the_last_feed_page_means_the_whole_history_was_seen():
    client = FakeClient(feed_pages(2))  # ?paged=3 answers 404, as WordPress does
    h, complete = read(client)
    assert complete is True and h.errors == []
    assert client.requested == [PATH, f"{PATH}?paged=2", f"{PATH}?paged=3"]
    [cov] = h.coverage
    assert (cov.column_id, cov.start, cov.end, cov.source) == ("tc", BEGINNING, NOW, f"feed:{FEED}")
    assert len(h.articles) == 4


def test_feed_pages_cut_by_max_feed_pages_cover_from_their_oldest_item_only():
    client = FakeClient(feed_pages(6))
    h, complete = read(client, max_feed_pages=3)
    assert complete is False
    assert client.requested == [PATH, f"{PATH}?paged=2", f"{PATH}?paged=3"]
    [cov] = h.coverage
    assert cov.start == vn(2017, 10, 11, 12)  # the sixth post back, on the third page


def test_a_failing_page_is_an_error_and_coverage_stops_at_what_was_read():
    pages = feed_pages(1)
    pages[f"{PATH}?paged=2"] = (500, "boom", "text/plain", {})
    h, complete = read(FakeClient(pages))
    assert complete is False
    assert h.errors and "page 2" in h.errors[0]
    [cov] = h.coverage
    assert cov.start == vn(2017, 10, 15, 12)


def test_a_page_that_repeats_the_first_is_ignored_paging_not_the_end():
    pages = feed_pages(1)
    pages[f"{PATH}?paged=2"] = pages[PATH]
    h, complete = read(FakeClient(pages))
    assert complete is False
    [cov] = h.coverage
    assert cov.start == vn(2017, 10, 15, 12)


def test_an_empty_page_is_the_end():
    pages = feed_pages(1)
    pages[f"{PATH}?paged=2"] = (rss([]), RSS)
    h, complete = read(FakeClient(pages))
    assert complete is True and h.coverage[0].start == BEGINNING


def test_paging_stops_where_the_last_crawl_saw_up_to():
    client = FakeClient(feed_pages(6))
    state = OutletState(coverage_end={f"feed:{FEED}": vn(2017, 10, 14)})
    h, complete = read(client, state=state)
    assert complete is False
    assert client.requested == [PATH, f"{PATH}?paged=2"]  # page 2 reaches 13 Oct
    assert h.coverage[0].start == vn(2017, 10, 13, 12)


def test_a_feed_that_is_not_wordpress_is_read_once_unless_paging_is_asked():
    pages = {PATH: (rss([(f"{SITE}tin-1-2-3/", "Tin", rfc(vn(2017, 10, 16)))], False), RSS)}
    client = FakeClient(pages)
    h, complete = read(client, paging=None)
    assert client.requested == [PATH] and complete is False
    assert h.coverage[0].start == vn(2017, 10, 16)


def test_a_feed_item_without_a_date_takes_its_pages_json_ld_date():
    ld = '<script type="application/ld+json">{"datePublished": "2017-10-10T23:30:00"}</script>'
    pages = {
        PATH: (rss([(f"{SITE}khong-ngay-1-2/", "Không ngày", "")], False), RSS),
        "/khong-ngay-1-2": (f"<html><head>{ld}</head><body></body></html>", HTML),
    }
    h, _ = read(FakeClient(pages), paging=False)
    [(article, _)] = h.articles
    assert article.published == vn(2017, 10, 10, 23, 30)
    assert h.undated_spans == {}


# -- section listings -----------------------------------------------------------------------

SECTION = "https://cd.example.vn/chuyen-muc/tc/"


def listing_page(first_day: int, next_page: int | None) -> tuple:
    items = "".join(
        f'<div class="item"><a href="/tin/bai-so-{d}-cong-doan.html">Bài số {d} về công đoàn '
        f"cơ sở</a> <span>{d:02d}/10/2017 {20 - d:02d}:15</span></div>"
        for d in (first_day, first_day - 1)
    )
    more = f'<a href="/chuyen-muc/tc/?page={next_page}">Trang sau</a>' if next_page else ""
    return f"<html><body><div class='list'>{items}</div>{more}</body></html>", HTML


def sections(pages: dict, **http) -> Harvest:
    h = fresh()
    state = OutletState(coverage_end={}, sections=(("tc", SECTION),))
    listings.crawl_sections(outlet_crawl(h, FakeClient(pages), state, **http))
    assert [f.url for f in h.feeds] == [SECTION]  # no page announces a feed: none is read
    return h


def test_a_section_listing_read_to_its_end_covers_all_time():
    h = sections(
        {"/chuyen-muc/tc/": listing_page(16, 2), "/chuyen-muc/tc/?page=2": listing_page(14, None)}
    )
    [cov] = h.coverage
    assert (cov.column_id, cov.start, cov.end) == ("tc", BEGINNING, NOW)
    assert sorted(a.published for a, _ in h.articles)[0] == vn(2017, 10, 13, 7, 15)


def test_a_section_listing_cut_short_covers_only_from_its_oldest_item():
    h = sections(
        {
            "/chuyen-muc/tc/": listing_page(16, 2),
            "/chuyen-muc/tc/?page=2": listing_page(14, 3),
            "/chuyen-muc/tc/?page=3": listing_page(12, 4),
        },
        max_section_pages=2,
    )
    [cov] = h.coverage
    # the oldest item read is 13/10 at 07:15 local: its time of day counts too
    assert (cov.start, cov.end) == (vn(2017, 10, 13, 7, 15), NOW)


def test_a_section_whose_next_page_fails_covers_only_what_was_read():
    h = sections({"/chuyen-muc/tc/": listing_page(16, 2)})
    [cov] = h.coverage
    assert cov.start == vn(2017, 10, 15, 5, 15)
    assert h.errors and "next page" in h.errors[0]


def test_a_section_listing_with_no_items_proves_nothing():
    h = sections({"/chuyen-muc/tc/": ("<html><body><p>trống</p></body></html>", HTML)})
    assert h.coverage == [] and h.articles == []


def test_undated_section_items_take_the_date_of_their_page():
    body = (
        '<html><body><ul><li><a href="/tin/bai-khong-ngay-123.html">Bài không có ngày trong '
        "danh sách</a></li></ul></body></html>"
    )
    ld = '{"@type": "NewsArticle", "datePublished": "2017-10-09T21:00:00+07:00"}'
    page = f'<html><head><script type="application/ld+json">{ld}</script></head></html>'
    h = sections({"/chuyen-muc/tc/": (body, HTML), "/tin/bai-khong-ngay-123.html": (page, HTML)})
    [(article, _)] = h.articles
    assert article.published == vn(2017, 10, 9, 21)
    assert h.coverage[0].start == BEGINNING


def test_article_pages_read_for_section_dates_stop_at_max_article_pages():
    links = "".join(
        f'<li><a href="/tin/bai-khong-ngay-{n}.html">Bài không có ngày số {n} trong danh sách'
        "</a></li>"
        for n in (1, 2)
    )
    ld = '{"@type": "NewsArticle", "datePublished": "2017-10-09T21:00:00+07:00"}'
    page = f'<html><head><script type="application/ld+json">{ld}</script></head></html>'
    pages = {
        "/chuyen-muc/tc/": (f"<html><body><ul>{links}</ul></body></html>", HTML),
        "/tin/bai-khong-ngay-1.html": (page, HTML),
        "/tin/bai-khong-ngay-2.html": (page, HTML),
    }
    h, client = fresh(), FakeClient(pages)
    state = OutletState(coverage_end={}, sections=(("tc", SECTION),))
    listings.crawl_sections(outlet_crawl(h, client, state, max_article_pages=1))
    assert client.requested == ["/chuyen-muc/tc/", "/tin/bai-khong-ngay-1.html"]
    assert sorted(a.published is None for a, _ in h.articles) == [False, True]


def test_the_crawl_settings_are_read_from_the_config():
    settings = Settings.of(config(max_feed_pages=7, max_article_pages=0))
    assert (settings.max_feed_pages, settings.max_article_pages) == (7, 0)
    assert settings.tz == VN and settings.campaign == CAMPAIGN
    assert settings.full_listing_every == timedelta(days=7)


# -- REST -----------------------------------------------------------------------------------

ROOT = "https://cd.example.vn/wp-json/"
CATEGORY = {"id": 3, "name": "Thiết chế Công đoàn", "slug": "thiet-che-cong-doan"}


def post(wp_id: int, day: int, link: str = "") -> dict:
    return {
        "id": wp_id,
        "link": link or f"{SITE}2017/10/{day:02d}/bai-{wp_id}/",
        "date_gmt": f"2017-10-{day:02d}T02:00:00",
        "modified_gmt": f"2017-10-{day:02d}T02:00:00",
        "title": {"rendered": f"Bài {wp_id}"},
        "categories": [3],
        "guid": {"rendered": f"{SITE}?p={wp_id}"},
    }


def rest_site(posts: list[dict], pages: int = 1) -> dict:
    site = {
        "/wp-json/wp/v2/categories?page=1": rest_page([CATEGORY]),
        "/wp-json/wp/v2/tags?page=1": rest_page([]),
    }
    size = -(-len(posts) // pages)
    for n in range(pages):
        chunk = posts[n * size : (n + 1) * size]
        site[f"/wp-json/wp/v2/posts?page={n + 1}"] = rest_page(chunk, total_pages=pages)
    return site


def test_a_full_rest_listing_covers_every_column_from_the_beginning():
    client = FakeClient(rest_site([post(i, 2 + i) for i in range(1, 5)], pages=2))
    h = fresh()
    assert rest.read_rest(outlet_crawl(h, client), ROOT) is True
    assert client.requested[-2:] == ["/wp-json/wp/v2/posts?page=1", "/wp-json/wp/v2/posts?page=2"]
    assert h.rest_ids == frozenset({1, 2, 3, 4}) and h.full_listing is True
    assert sorted((c.column_id, c.start) for c in h.coverage) == [
        ("dh", BEGINNING),
        ("tc", BEGINNING),
    ]


def test_an_incremental_rest_listing_covers_from_its_cursor_only():
    cursor = datetime(2017, 10, 18, 2, tzinfo=UTC)
    state = OutletState(
        coverage_end={}, last_full_listing=NOW - timedelta(days=1), rest_cursor=cursor
    )
    site = rest_site([])
    site.pop("/wp-json/wp/v2/posts?page=1")
    key = "/wp-json/wp/v2/posts?modified_after=2017-10-18T01:59:00&page=1"
    site[key] = rest_page([post(9, 19)], total_pages=1)
    client = FakeClient(site)
    h = fresh()
    assert rest.read_rest(outlet_crawl(h, client, state), ROOT) is True
    assert key in client.requested
    assert h.rest_ids is None and h.full_listing is False
    assert {c.start for c in h.coverage} == {cursor - timedelta(minutes=1)}


def test_a_rest_listing_cut_by_max_rest_pages_covers_nothing():
    client = FakeClient(rest_site([post(i, 2 + i) for i in range(1, 5)], pages=4))
    h = fresh()
    assert rest.read_rest(outlet_crawl(h, client, max_rest_pages=2), ROOT) is True
    assert h.coverage == [] and h.rest_ids is None
    assert "stopped at page 2" in h.errors[0]


def test_a_closed_rest_api_sends_the_crawl_to_the_feeds():
    client = FakeClient({"/wp-json/wp/v2/categories?page=1": (403, "{}", "application/json", {})})
    h = fresh()
    assert rest.read_rest(outlet_crawl(h, client), ROOT) is False
    assert h.errors == [] and "audited from feeds" in h.notes[0]


# -- merging REST and feed copies, and removed posts, through the store ----------------------


def wp_outlet() -> Outlet:
    return Outlet("cd", "Công đoàn tỉnh", "website", SITE, feeds=(SITE + "feed/",), wordpress=ROOT)


def wp_harvest(site: dict, store: Store, at: datetime) -> Harvest:
    site = {"/": ("<html><body>Trang chủ</body></html>", HTML), **site}
    state = store.outlet_state("cd")
    return harvest(wp_outlet(), FakeClient(site), state, Settings.of(config()), lambda: at)


def test_a_rest_post_and_its_feed_copy_at_another_url_are_one_article(tmp_path):
    # the feed links the post by an address REST does not give (an old permalink), and
    # names it only by WordPress's short link ?p=ID in its guid
    site = rest_site([post(41, 2), post(42, 3)])
    site["/feed/"] = (
        rss(
            [
                (f"{SITE}tin/nha-o-cong-nhan/ {SITE}?p=41", "Bài 41", rfc(vn(2017, 10, 2, 9))),
                (f"{SITE}?p=42", "Bài 42", rfc(vn(2017, 10, 3, 9))),
            ]
        ),
        RSS,
    )
    store = Store(tmp_path / "s.db")
    save_harvest(store, wp_harvest(site, store, NOW), CAMPAIGN)
    rows = store._q("SELECT wp_id, url, sources, aliases FROM articles ORDER BY wp_id")
    assert [r["wp_id"] for r in rows] == [41, 42]
    assert rows[0]["url"] == f"{SITE}2017/10/02/bai-41"
    assert "nha-o-cong-nhan" in rows[0]["aliases"]
    assert all("rest" in r["sources"] and "rss" in r["sources"] for r in rows)


def test_a_post_missing_from_a_later_full_listing_no_longer_counts(tmp_path):
    # week 2017-W41 (9–15 Oct) has two posts, then one of them is unpublished
    posts = [post(i, 2 + i) for i in range(1, 7)] + [post(8, 12), post(9, 13)]
    store = Store(tmp_path / "s.db")
    save_harvest(store, wp_harvest(rest_site(posts), store, NOW), CAMPAIGN)
    week = _week(store, "2017-W41")
    assert (week.articles, week.status) == (2, "met")
    later = NOW + timedelta(days=8)  # the next full listing is due
    save_harvest(store, wp_harvest(rest_site(posts[:-1]), store, later), CAMPAIGN)
    removed = store._q("SELECT wp_id FROM articles WHERE removed_at IS NOT NULL")
    assert [r["wp_id"] for r in removed] == [9]
    week = _week(store, "2017-W41", later)
    assert (week.articles, week.status) == (1, "missed")


def test_an_unpublished_undated_post_leaves_no_span_in_doubt(tmp_path):
    # post 20 has no date anywhere: the feed that shows it says where it may lie
    posts = [post(i, 2 + i) for i in range(1, 7)]
    undated = dict(post(20, 5), date_gmt="0000-00-00T00:00:00", modified_gmt="")
    site = rest_site([*posts, undated])
    site["/feed/"] = (rss([(f"{SITE}2017/10/05/bai-20/ {SITE}?p=20", "Bài 20", "")]), RSS)
    store = Store(tmp_path / "s.db")
    save_harvest(store, wp_harvest(site, store, NOW), CAMPAIGN)
    [facts] = [f for f in store.column_facts("cd", CAMPAIGN) if f.column_id == "tc"]
    assert len(facts.undated) == 1  # in doubt while it is published
    later = NOW + timedelta(days=8)
    site = rest_site(posts)
    site["/feed/"] = (rss([]), RSS)
    save_harvest(store, wp_harvest(site, store, later), CAMPAIGN)
    [facts] = [f for f in store.column_facts("cd", CAMPAIGN) if f.column_id == "tc"]
    assert facts.undated == ()
    assert len(facts.articles) == 6


def _week(store: Store, label: str, at: datetime = NOW):
    [facts] = [f for f in store.column_facts("cd", CAMPAIGN) if f.column_id == "tc"]
    results, _ = audit_column("cd", facts, CAMPAIGN, VN, at)
    return next(r for r in results if r.week == label)


def test_fake_client_answers_404_for_unknown_pages():
    client = FakeClient({})
    with pytest.raises(Exception, match="HTTP 404"):
        client.get(SITE + "nowhere")
    assert json.loads(rest_page([1])[1]) == [1]
