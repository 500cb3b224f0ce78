"""What a feed read without a column covers (coverage.scope_feeds), case by case: the main
feed, a feed one section page announces, a home feed spanning columns, and the rest."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from auditor.rules.coverage import ANNOUNCED, MAIN_FEED, scope_feeds
from auditor.types import Article, Campaign, ColumnOverride, ColumnSpec, Coverage, FeedRead, Term

SITE = "https://cd.example.vn/"
CAMPAIGN = Campaign(
    "1476",
    "",
    date(2017, 9, 20),
    date(2018, 9, 30),
    2,
    (
        ColumnSpec("tc", "Thiết chế Công đoàn"),
        ColumnSpec("li", "Vì lợi ích đoàn viên"),
        ColumnSpec("dh", "Hướng tới Đại hội XII"),
    ),
)
START = datetime(2017, 9, 1, tzinfo=UTC)
END = datetime(2017, 10, 20, tzinfo=UTC)
TC = Term("category", "Thiết chế Công đoàn", "thiet-che", 3)
LI = Term("category", "Vì lợi ích đoàn viên", "loi-ich", 4)
OTHER = Term("category", "Thời sự", "thoi-su", 5)


def item(n: int, *terms: Term, day: int = 10) -> Article:
    when = datetime(2017, 10, day, 3, tzinfo=UTC)
    return Article(f"{SITE}tin/bai-{n}.html", f"Bài {n}", when, "rss", terms=terms)


def feed(url: str, *items: Article, start: datetime = START) -> FeedRead:
    return FeedRead(url, start, END, items)


def scope(feeds, announced=(), known=None, overrides=()):
    known = {} if known is None else known
    return scope_feeds(list(feeds), SITE, CAMPAIGN, overrides, list(announced), known)


def test_the_main_feed_covers_every_column_where_each_items_column_is_known():
    main = feed(SITE + "feed/", item(1, TC), item(2, LI), item(3, OTHER))
    coverage, own, notes = scope([main])
    assert coverage == [
        Coverage(c, START, END, f"feed:{SITE}feed/", MAIN_FEED) for c in CAMPAIGN_IDS
    ]
    assert own == [] and notes == []


CAMPAIGN_IDS = ("tc", "li", "dh")


def test_an_item_of_unknown_column_splits_the_main_feeds_coverage():
    hole = item(2, day=12)  # no category, no other listing: could be any column's
    main = feed(SITE + "feed/", item(1, TC, day=14), hole, item(3, LI, day=5))
    coverage, _, _ = scope([main])
    after = hole.published + timedelta(seconds=1)  # holes are a whole second (open_spans)
    assert sorted((c.column_id, c.start, c.end) for c in coverage) == sorted(
        [(c, START, hole.published) for c in CAMPAIGN_IDS] + [(c, after, END) for c in CAMPAIGN_IDS]
    )


def test_an_item_known_from_another_listing_is_no_hole():
    main = feed(SITE + "feed/", item(1, TC), item(2))
    known = {f"{SITE}tin/bai-2.html": {"dh"}}
    coverage, _, _ = scope([main], known=known)
    assert {(c.start, c.end) for c in coverage} == {(START, END)} and len(coverage) == 3


def test_a_url_prefix_placed_by_the_operator_is_no_hole():
    main = feed(SITE + "feed/", item(1, TC), item(2))
    placed = (ColumnOverride("li", "url_prefix", f"{SITE}tin/"),)
    coverage, _, _ = scope([main], overrides=placed)
    assert {(c.start, c.end) for c in coverage} == {(START, END)} and len(coverage) == 3


def test_a_feed_announced_by_one_section_page_is_that_columns_own():
    url = SITE + "chuyen-muc/tc/feed/"
    own_feed = feed(url, item(1), item(2))
    known: dict = {}
    coverage, own, notes = scope(
        [own_feed], announced=[("tc", (url,)), ("tc", (url,))], known=known
    )
    assert coverage == [Coverage("tc", START, END, f"feed:{url}", ANNOUNCED)]
    assert own == [(url, "tc")] and notes == []
    assert known == {f"{SITE}tin/bai-1.html": {"tc"}, f"{SITE}tin/bai-2.html": {"tc"}}


def test_a_feed_announced_by_two_sections_is_neither_ones():
    url = SITE + "rss/tin-moi.rss"
    shared = feed(url, item(1), item(2))
    coverage, own, notes = scope([shared], announced=[("tc", (url,)), ("li", (url,))])
    assert coverage == [] and own == []
    assert notes == [f"feed {url}: scope unknown, so it covers no column"]


def test_an_announced_feed_whose_items_span_columns_is_site_wide():
    url = SITE + "rss/trang-chu.rss"
    home = feed(url, item(1, TC), item(2, LI))
    coverage, own, _ = scope([home], announced=[("tc", (url,))])
    assert own == []
    assert {c.column_id for c in coverage} == set(CAMPAIGN_IDS)
    assert {c.scope for c in coverage} == {"site-wide: its items fall in 2 columns (li, tc)"}


def test_a_feed_whose_items_fall_in_one_column_only_proves_nothing():
    url = SITE + "rss/chuyen-de.rss"
    coverage, own, notes = scope([feed(url, item(1, TC), item(2, TC))])
    assert (coverage, own) == ([], [])
    assert notes == [f"feed {url}: scope unknown, so it covers no column"]


def test_a_section_feed_told_by_an_announced_one_spans_columns_with_its_help():
    # the column's own feed, announced by its section page, tells which column its items
    # are in; a home feed showing those items and a categorised one then spans two columns
    own_url, home_url = SITE + "chuyen-muc/dh/feed/", SITE + "rss/home.rss"
    own_feed = feed(own_url, item(7))
    home = feed(home_url, item(7), item(8, TC), start=START + timedelta(days=3))
    coverage, own, notes = scope([home, own_feed], announced=[("dh", (own_url,))])
    assert own == [(own_url, "dh")] and notes == []
    by_source = {(c.source, c.column_id) for c in coverage}
    assert by_source == {(f"feed:{own_url}", "dh")} | {
        (f"feed:{home_url}", c) for c in CAMPAIGN_IDS
    }
    assert {c.start for c in coverage if c.source == f"feed:{home_url}"} == {
        START + timedelta(days=3)
    }


def test_a_feed_on_another_site_is_not_the_main_feed():
    url = "https://other.example.vn/feed/"
    coverage, _, notes = scope([feed(url, item(1, TC))])
    assert coverage == [] and notes == [f"feed {url}: scope unknown, so it covers no column"]


def test_categories_and_tags_placed_by_the_operator_are_no_hole():
    chuyen_de = Term("category", "Chuyên đề", "chuyen-de", 8)
    tagged = Term("tag", "Nhà ở", "nha-o", 9)
    main = feed(SITE + "feed/", item(1, TC), item(2, chuyen_de), item(3, tagged))
    placed = (ColumnOverride("li", "category", "Chuyên đề"), ColumnOverride("dh", "tag", "Nhà ở"))
    coverage, _, _ = scope([main], overrides=placed)
    assert {(c.start, c.end) for c in coverage} == {(START, END)} and len(coverage) == 3


def test_a_hole_at_either_end_leaves_no_empty_stretch():
    at_start = Article(SITE + "tin/a.html", "A", START, "rss")
    last = END - timedelta(seconds=1)  # the store keeps instants to the second
    at_end = Article(SITE + "tin/b.html", "B", last, "rss")
    coverage, _, _ = scope([feed(SITE + "feed/", at_start, item(1, TC), at_end)])
    assert {(c.start, c.end) for c in coverage} == {(START + timedelta(seconds=1), last)}


def test_a_main_feed_first_does_not_stop_the_others_being_decided():
    own_url, home_url = SITE + "chuyen-muc/dh/feed/", SITE + "rss/home.rss"
    main = feed(SITE + "feed/", item(1, TC))
    home = feed(home_url, item(2, TC), item(3, LI))
    coverage, own, notes = scope([main, feed(own_url, item(4)), home], [("dh", (own_url,))])
    assert own == [(own_url, "dh")] and notes == []
    assert {c.source for c in coverage} == {
        f"feed:{SITE}feed/",
        f"feed:{own_url}",
        f"feed:{home_url}",
    }


def test_the_main_feed_of_a_site_in_a_folder():
    from auditor.rules.coverage import is_main_feed

    assert is_main_feed("https://x.vn/cd?feed=rss2", "https://x.vn/cd/")
    assert is_main_feed("https://x.vn/cd/feed/", "https://x.vn/cd")
    assert not is_main_feed("https://x.vn/cdx/feed/", "https://x.vn/cd/")


def test_categories_and_tags_placed_by_the_operator_tell_a_feed_spans_columns():
    chuyen_de = Term("category", "Chuyên đề", "chuyen-de", 8)
    tagged = Term("tag", "Nhà ở", "nha-o", 9)
    url = SITE + "rss/tong-hop.rss"
    mixed = feed(url, item(1, chuyen_de), item(2, tagged))
    placed = (ColumnOverride("li", "category", "Chuyên đề"), ColumnOverride("dh", "tag", "Nhà ở"))
    coverage, _, notes = scope([mixed], overrides=placed)
    assert notes == [] and {c.column_id for c in coverage} == set(CAMPAIGN_IDS)
    assert {c.scope for c in coverage} == {"site-wide: its items fall in 2 columns (dh, li)"}
    only_tag = (ColumnOverride("dh", "tag", "Nhà ở"), ColumnOverride("tc", "category", "Chuyên đề"))
    coverage, _, _ = scope([mixed], overrides=only_tag)
    assert {c.scope for c in coverage} == {"site-wide: its items fall in 2 columns (dh, tc)"}
