"""`auditor crawl --poll` (issue 14): only what is new. No homepage unless the feeds or
the API must be found, no feed page older than what the last crawl reached, no complete
WordPress listing once one exists; what a poll did not read stays unknown, never missed.
Also the robots.txt lane: each outlet's rules read ahead, once per host, as its own
request. Requests are counted, never timed."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import timedelta

import pytest
from fakeclient import FakeClient
from test_crawl import big_site
from test_crawl_layer import FEED, PATH, STATE, config, feed_pages, fresh, now, vn
from test_request_plan import T0, paths, write_config

from auditor import config as config_mod
from auditor.crawl import feeds as feedcrawl
from auditor.crawl.outlet import OutletCrawl, Settings
from auditor.crawl.run import crawl
from auditor.crawl.save import relink
from auditor.fakesite import FakePost
from auditor.store import Store
from auditor.types import OutletState


def poll_read(client, state=STATE):
    """One column feed read by a poll, with the clock at test_crawl_layer.NOW."""
    h = fresh()
    settings = replace(Settings.of(config()), poll=True)
    done = feedcrawl.read_feed(OutletCrawl(h, client, state, settings, now), FEED, "tc", True)
    return h, done


def crawl_at(config_path, db, when, poll):
    store = Store(db)
    try:
        return crawl(config_mod.load(config_path), store, now=lambda: when, poll=poll)
    finally:
        store.close()


def feed_outlet(tmp_path, server, **extra) -> str:
    more = "".join(f", {k}: {v}" for k, v in extra.items())
    return write_config(
        tmp_path,
        f'- {{id: a, name: A, kind: website, url: "{server.url}/", '
        f'feeds: ["{server.url}/feed/"], wordpress: false{more}}}\n',
    )


# -- what a poll asks -------------------------------------------------------------------------


def test_a_first_poll_of_a_configured_feed_asks_robots_and_the_feed_only(tmp_path, serve):
    server = serve(big_site())
    config_path = feed_outlet(tmp_path, server)
    [report] = crawl_at(config_path, tmp_path / "a.db", T0, poll=True)
    assert report.status == "ok"
    assert paths(server.site) == {"/robots.txt": 1, "/feed/": 1}
    assert report.requests_by == {"robots": 1, "listing": 1}


def test_a_full_crawl_of_the_same_outlet_reads_its_menu_and_history(tmp_path, serve):
    server = serve(big_site())
    config_path = feed_outlet(tmp_path, server)
    crawl_at(config_path, tmp_path / "a.db", T0, poll=False)
    asked = paths(server.site)
    assert asked["/"] == 1  # the menu: where the columns are, or that one is not there
    assert asked["/feed/?paged=2"] == 1  # the feed's older posts


def test_a_poll_still_reads_the_homepage_to_find_feeds_it_does_not_know(tmp_path, serve):
    server = serve(big_site())
    config_path = write_config(
        tmp_path, f'- {{id: a, name: A, kind: website, url: "{server.url}/", wordpress: false}}\n'
    )
    crawl_at(config_path, tmp_path / "a.db", T0, poll=True)
    assert paths(server.site)["/"] == 1


def test_a_poll_does_not_read_the_homepage_on_its_weekly_schedule(tmp_path, serve):
    server = serve(big_site())
    config_path = feed_outlet(tmp_path, server)
    db = tmp_path / "a.db"
    crawl_at(config_path, db, T0, poll=False)
    paths(server.site)
    crawl_at(config_path, db, T0 + timedelta(days=8), poll=True)  # the full crawl's is due
    assert paths(server.site)["/"] == 0
    crawl_at(config_path, db, T0 + timedelta(days=8, hours=1), poll=False)
    assert paths(server.site)["/"] == 1


def test_a_poll_lists_wordpress_incrementally_when_a_full_listing_is_due(tmp_path, serve):
    server = serve(big_site())
    config_path = write_config(
        tmp_path, f'- {{id: a, name: A, kind: website, url: "{server.url}/"}}\n'
    )
    db = tmp_path / "a.db"
    crawl_at(config_path, db, T0, poll=False)
    paths(server.site)
    crawl_at(config_path, db, T0 + timedelta(days=8), poll=True)
    listed = [p for p in server.site.log if "posts" in p]
    asked = paths(server.site)
    assert asked and all("modified_after" in p for p in listed)


# -- feed pages -------------------------------------------------------------------------------


def test_a_poll_asks_no_older_page_when_nothing_was_seen_before():
    client = FakeClient(feed_pages(3))
    h, complete = poll_read(client)
    assert client.requested == [PATH]
    assert complete is False
    [cov] = h.coverage  # from its oldest item: the weeks before it stay unknown
    assert cov.start == vn(2017, 10, 15, 12)


def test_a_poll_pages_back_to_what_the_last_crawl_reached():
    client = FakeClient(feed_pages(3))
    # the last crawl saw the feed up to 13 Oct: the two posts after it fill page 1,
    # page 2 reaches back to it, page 3 is not asked
    state = OutletState(coverage_end={f"feed:{FEED}": vn(2017, 10, 13, 12)})
    poll_read(client, state)
    assert client.requested == [PATH, f"{PATH}?paged=2"]


# -- robots.txt, read ahead -------------------------------------------------------------------


def test_each_outlets_robots_txt_is_read_once_before_its_other_requests(tmp_path, serve):
    servers = [serve(big_site()) for _ in range(5)]
    outlets = "".join(
        f'- {{id: o{i}, name: O{i}, kind: website, url: "{s.url}/", '
        f'feeds: ["{s.url}/feed/"], wordpress: false}}\n'
        for i, s in enumerate(servers)
    )
    reports = crawl_at(write_config(tmp_path, outlets), tmp_path / "a.db", T0, poll=True)
    assert [r.requests_by for r in reports] == [{"robots": 1, "listing": 1}] * 5
    for s in servers:
        assert list(s.site.log) == ["/robots.txt", "/feed/"]


def test_a_site_closed_by_robots_txt_is_still_closed_when_read_ahead(tmp_path, serve):
    site = big_site()
    site.routes["/robots.txt"] = lambda h: h.send(
        200, b"User-agent: *\nDisallow: /\n", "text/plain"
    )
    server = serve(site)
    [report] = crawl_at(feed_outlet(tmp_path, server), tmp_path / "a.db", T0, poll=True)
    assert report.status != "ok"
    assert "robots" in report.error
    assert paths(server.site) == {"/robots.txt": 1}


# -- what a poll cannot see stays unknown -----------------------------------------------------


def test_weeks_older_than_a_polls_feed_are_unknown_where_a_full_crawl_proves_them_missed(
    tmp_path, serve
):
    from auditor.jobs import run_audit

    server = serve(big_site())
    config_path = feed_outlet(tmp_path, server)
    config = config_mod.load(config_path)
    verdicts = {}
    for name, poll in (("poll", True), ("full", False)):
        db = tmp_path / f"{name}.db"
        crawl_at(config_path, db, T0, poll=poll)
        store = Store(db)
        outcome = run_audit(config, store, as_of=T0, now=lambda: T0)
        store.close()
        verdicts[name] = {(w.column_id, w.week): w.status for w in outcome.weeks}
    missed_in_full = {k for k, v in verdicts["full"].items() if v == "missed"}
    missed_in_poll = {k for k, v in verdicts["poll"].items() if v == "missed"}
    assert missed_in_poll <= missed_in_full  # a poll never accuses where a full crawl would not
    # the older weeks: proven missed by the full crawl's feed pages, unknown to the poll
    assert {k for k in missed_in_full if verdicts["poll"][k] == "unknown"}


# -- relinking: a poll relinks what it wrote, when the columns stay where they were ----------


def _links(db) -> list[tuple]:
    """Every column link, with its article's address (None for a link left without one)."""
    conn = sqlite3.connect(db)
    try:
        return sorted(
            conn.execute(
                "SELECT a.url, c.article_id, c.column_id, c.rule, c.evidence "
                "FROM article_columns c LEFT JOIN articles a ON a.id = c.article_id"
            ),
            key=repr,
        )
    finally:
        conn.close()


def _relink_all(config_path, db) -> None:
    config = config_mod.load(config_path)
    store = Store(db)
    try:
        with store.transaction():
            for outlet in config.outlets:
                relink(store, outlet, config.campaign)
    finally:
        store.close()


NEW_POSTS = {
    # filed under a column's category the crawls already know: its sources stand
    "known category": ((10,), {}, False),
    # a second spelling of a column, first seen by the poll: the column has a new source
    "new spelling of a column": ((13,), {13: ("Thiết chế công đoàn", "thiet-che-cd")}, True),
}


@pytest.mark.parametrize("cats, new_categories, all_relinked", NEW_POSTS.values(), ids=NEW_POSTS)
def test_a_polls_links_are_those_relinking_every_article_decides(
    tmp_path, serve, monkeypatch, cats, new_categories, all_relinked
):
    site = big_site()
    server = serve(site)
    config_path = feed_outlet(tmp_path, server)
    db = tmp_path / "a.db"
    crawl_at(config_path, db, T0, poll=False)
    site.categories.update(new_categories)
    newest = max(p.date for p in site.posts) + timedelta(hours=1)
    site.posts.append(FakePost(900, "Tin mới của cột", newest, cats))
    whole = []
    monkeypatch.setattr(
        Store, "save_column_links", _spy(Store.save_column_links, lambda *a: whole.append(1))
    )
    crawl_at(config_path, db, newest + timedelta(days=1), poll=True)
    polled = _links(db)
    assert bool(whole) is all_relinked
    assert [c for url, _, c, *_ in polled if (url or "").rstrip("/").endswith("/bai-900")] == [
        "thiet-che" if 13 in cats else "loi-ich"
    ]
    _relink_all(config_path, db)
    assert _links(db) == polled


def _spy(method, seen):
    def spy(*args, **kwargs):
        seen(*args)
        return method(*args, **kwargs)

    return spy


def test_a_poll_that_writes_nothing_changes_no_link(tmp_path, serve, monkeypatch):
    server = serve(big_site())
    config_path = feed_outlet(tmp_path, server)
    db = tmp_path / "a.db"
    crawl_at(config_path, db, T0, poll=False)
    before = _links(db)
    calls = []
    for name in ("save_column_links", "save_article_links"):
        monkeypatch.setattr(Store, name, _spy(getattr(Store, name), lambda *a: calls.append(a)))
    crawl_at(config_path, db, T0 + timedelta(days=1), poll=True)
    assert calls == []  # nothing read, nothing relinked: the links are left as they were
    assert _links(db) == before
