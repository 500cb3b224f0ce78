"""The date parsers, table by table. Expected instants are written in UTC by hand:
Hà Nội is UTC+7 all year, so a local 08:30 is 01:30 UTC and a local 23:30 on Sunday is
16:30 UTC on that Sunday."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from auditor.parse.dates import has_zone, is_day_first, local_fields, parse_date
from auditor.parse.listing import article_date, parse_vietnamese_date, parse_when, read_listing

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


PARSE_DATE = {
    "ISO with offset": ("2017-10-01T23:30:00+07:00", utc(2017, 10, 1, 16, 30)),
    "ISO with Z": ("2017-10-01T16:30:00Z", utc(2017, 10, 1, 16, 30)),
    "ISO without zone is local": ("2017-10-01T23:30:00", utc(2017, 10, 1, 16, 30)),
    "ISO date only is local midnight": ("2017-10-02", utc(2017, 10, 1, 17)),
    "RFC 822 with zone": ("Sun, 01 Oct 2017 16:30:00 +0000", utc(2017, 10, 1, 16, 30)),
    "RFC 822 with GMT": ("Mon, 02 Oct 2017 01:15:00 GMT", utc(2017, 10, 2, 1, 15)),
    "RFC 822 without zone is local": ("Mon, 02 Oct 2017 08:15:00", utc(2017, 10, 2, 1, 15)),
    "day first with time": ("03/10/2017 08:30", utc(2017, 10, 3, 1, 30)),
    "day first with seconds": ("03/10/2017 08:30:45", utc(2017, 10, 3, 1, 30, 45)),
    "weekday and GMT+7": ("Thứ ba, 03/10/2017 08:30 GMT+7", utc(2017, 10, 3, 1, 30)),
    "time first, zone in brackets": ("08:30 | 03/10/2017 (GMT+7)", utc(2017, 10, 3, 1, 30)),
    "GMT+0 is UTC, not local": ("03/10/2017 08:30 GMT", utc(2017, 10, 3, 8, 30)),
    "negative offset": ("03/10/2017 08:30 GMT-5", utc(2017, 10, 3, 13, 30)),
    "offset with minutes": ("03/10/2017 08:30 UTC+05:30", utc(2017, 10, 3, 3, 0)),
    "dashes, day first": ("03-10-2017", utc(2017, 10, 2, 17)),
    "dots, day first": ("3.10.2017", utc(2017, 10, 2, 17)),
    "year first with slashes": ("2017/10/03 20h15", utc(2017, 10, 3, 13, 15)),
    "Vietnamese words": ("ngày 3 tháng 10 năm 2017", utc(2017, 10, 2, 17)),
    "hour with h": ("03/10/2017 8h05", utc(2017, 10, 3, 1, 5)),
    "hour with g": ("03/10/2017 8g05", utc(2017, 10, 3, 1, 5)),
    "spaces folded": ("  03/10/2017\n 08:30 ", utc(2017, 10, 3, 1, 30)),
    "impossible day": ("31/02/2017", None),
    "offset beyond 14 hours is local": ("03/10/2017 08:30 GMT+15", utc(2017, 10, 3, 1, 30)),
    "GMT+14 is the widest real offset": ("03/10/2017 08:30 GMT+14", utc(2017, 10, 2, 18, 30)),
    "a few minutes past 14 hours is local": (
        "03/10/2017 08:30 GMT+14:05",
        utc(2017, 10, 3, 1, 30),
    ),
    "empty": ("", None),
    "none": (None, None),
    "words only": ("hôm qua", None),
}


@pytest.mark.parametrize("raw, expected", PARSE_DATE.values(), ids=PARSE_DATE.keys())
def test_parse_date(raw, expected):
    got = parse_date(raw, VN)
    assert got == expected
    assert got is None or got.tzinfo is UTC  # UTC itself, whatever the machine's zone


def test_parse_date_reads_a_zoneless_date_in_the_zone_it_is_given():
    assert parse_date("03/10/2017 08:30", ZoneInfo("UTC")) == utc(2017, 10, 3, 8, 30)


HAS_ZONE = {
    "Z": ("2017-10-01T16:30:00Z", True),
    "offset": ("2017-10-01T23:30:00+07:00", True),
    "offset without colon": ("Sun, 01 Oct 2017 16:30:00 +0000", True),
    "GMT word": ("03/10/2017 08:30 GMT+7", True),
    "zone name": ("Sun, 01 Oct 2017 16:30:00 ICT", True),
    "none": ("2017-10-01T23:30:00", False),
    "date with dashes is no offset": ("2017-10-01", False),
    "empty": ("", False),
}


@pytest.mark.parametrize("raw, expected", HAS_ZONE.values(), ids=HAS_ZONE.keys())
def test_has_zone(raw, expected):
    assert has_zone(raw) is expected


@pytest.mark.parametrize(
    "raw, expected",
    [("03-10-2017", True), ("2017/10/03", True), ("2017-10-03", False), ("", False)],
)
def test_is_day_first(raw, expected):
    assert is_day_first(raw) is expected


def test_local_fields_are_local_time_and_bad_ones_are_none():
    assert local_fields((2017, 10, 1, 23, 30, 0, 6, 274, 0), VN) == utc(2017, 10, 1, 16, 30)
    assert local_fields((2017, 10, 1, 23, 30, 0), VN).tzinfo is UTC
    assert local_fields((2017, 2, 30, 0, 0, 0), VN) is None
    assert local_fields(None, VN) is None


LISTING_DATES = {
    "date and time": ("Thứ hai, 25/09/2017 08:30", utc(2017, 9, 25, 1, 30)),
    "title runs into the date": ("Nhà ở công nhân12/11/2017 20:05", utc(2017, 11, 12, 13, 5)),
    "time after a separator": ("25/9/2017 - 23:30", utc(2017, 9, 25, 16, 30)),
    "hour with h": ("25-09-2017 9h15", utc(2017, 9, 25, 2, 15)),
    "date alone is local midnight": ("25.09.2017", utc(2017, 9, 24, 17)),
    "first valid date wins": ("31/02/2017 rồi 01/03/2017 07:00", utc(2017, 3, 1)),
    "no date": ("không có ngày", None),
}


@pytest.mark.parametrize("text, expected", LISTING_DATES.values(), ids=LISTING_DATES.keys())
def test_listing_dates_keep_the_time_of_day(text, expected):
    assert parse_vietnamese_date(text, VN) == expected


PARSE_WHEN = {
    "offset": ("2017-10-01T23:30:00+07:00", utc(2017, 10, 1, 16, 30)),
    "local": ("2017-10-01T23:30", utc(2017, 10, 1, 16, 30)),
    "Z": ("2017-10-01T16:30:00Z", utc(2017, 10, 1, 16, 30)),
    "Vietnamese fallback": ("01/10/2017 23:30", utc(2017, 10, 1, 16, 30)),
    "blank": ("  ", None),
}


@pytest.mark.parametrize("value, expected", PARSE_WHEN.values(), ids=PARSE_WHEN.keys())
def test_parse_when(value, expected):
    assert parse_when(value, VN) == expected


def _page(head: str = "", body: str = "") -> str:
    return f"<html><head>{head}</head><body>{body}</body></html>"


def _ld(blob: str) -> str:
    return f'<script type="application/ld+json">{blob}</script>'


ARTICLE_PAGES = {
    "article:published_time": (
        _page('<meta property="article:published_time" content="2017-10-02T08:00:00+07:00">'),
        utc(2017, 10, 2, 1),
    ),
    "meta before JSON-LD": (
        _page(
            '<meta itemprop="datePublished" content="2017-10-02T08:00:00+07:00">'
            + _ld('{"datePublished": "2017-01-01T00:00:00Z"}')
        ),
        utc(2017, 10, 2, 1),
    ),
    "JSON-LD alone": (
        _page(_ld('{"datePublished": "2017-10-01T23:30:00"}')),
        utc(2017, 10, 1, 16, 30),
    ),
    "JSON-LD before <time>": (
        _page(
            _ld('{"@type": "NewsArticle", "datePublished": "2017-10-01T23:30:00+07:00"}'),
            '<time datetime="2017-12-24T00:00:00Z">24/12</time>',
        ),
        utc(2017, 10, 1, 16, 30),
    ),
    "JSON-LD in a graph": (
        _page(_ld('{"@graph": [{"name": "x"}, [{"datePublished": "2017-10-03"}]]}')),
        utc(2017, 10, 2, 17),
    ),
    "JSON-LD in the body": (
        _page(body=_ld('[{"datePublished": "2017-10-03T10:00:00+07:00"}]')),
        utc(2017, 10, 3, 3),
    ),
    "broken JSON-LD, then <time>": (
        _page(_ld('{"datePublished": '), '<time datetime="2017-10-03T10:00">x</time>'),
        utc(2017, 10, 3, 3),
    ),
    "pubdate meta": (_page('<meta name="pubdate" content="2017-10-03">'), utc(2017, 10, 2, 17)),
    "Dublin Core": (
        _page('<meta name="DC.date.issued" content="03/10/2017 10:00">'),
        utc(2017, 10, 3, 3),
    ),
    "nothing": (_page(body="<p>03/10/2017</p>"), None),
}


@pytest.mark.parametrize("html, expected", ARTICLE_PAGES.values(), ids=ARTICLE_PAGES.keys())
def test_article_page_dates(html, expected):
    assert article_date(html, VN) == expected


def test_listing_items_carry_the_time_of_day_in_the_campaign_zone():
    html = (
        '<ul><li><a href="/tin/nha-o-cong-nhan-1001.html">Nhà ở cho công nhân khu công nghiệp'
        "</a> 25/09/2017 23:30</li>"
        '<li><a href="/tin/dai-hoi-1002.html">Đại hội công đoàn cơ sở nhiệm kỳ mới</a>'
        '<time datetime="2017-09-26T07:05:00">x</time></li></ul>'
    )
    items = read_listing(html, "https://cd.example.vn/chuyen-muc/", VN).items
    assert [(i.url.rsplit("/", 1)[-1], i.published) for i in items] == [
        ("nha-o-cong-nhan-1001.html", utc(2017, 9, 25, 16, 30)),
        ("dai-hoi-1002.html", utc(2017, 9, 26, 0, 5)),
    ]
