"""Section listings of sites that are not WordPress, rule by rule with exact outputs: which
block a date belongs to, what is an article link (not the menu, not the page itself, not
another site), where the next page is, and an article page's own date when the listing
gives none. (Date forms themselves: tests/test_dates_table.py.)"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from auditor.parse.listing import _looks_like_article, article_date, parse_when, read_listing

VN = ZoneInfo("Asia/Ho_Chi_Minh")
PARIS = ZoneInfo("Europe/Paris")
SITE = "https://cd.example.vn/"
PAGE = SITE + "chuyen-muc/thiet-che/"
TITLE = "Bài thật của chuyên mục"  # 23 characters: long enough to be an article's title


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def one(href: str) -> str:
    return f'<p><a href="{href}">{TITLE}</a> 12/11/2017</p>'


NOV12 = utc(2017, 11, 11, 17)  # 12/11/2017, midnight in Hà Nội

LISTINGS = {
    "a date in the link's own block, or in a block around it": (
        '<ul><li><div><a href="/tin/mot-1.html">Tiêu đề bài số một dài</a></div>'
        "<p>12/11/2017 08:30</p></li>"
        '<li><h3><a href="/tin/hai-2002">Tiêu đề bài số hai dài</a></h3>'
        '<time datetime="2017-11-13T09:00:00+07:00"></time> 14/11/2017</li></ul>',
        [
            ("tin/mot-1.html", "Tiêu đề bài số một dài", utc(2017, 11, 12, 1, 30)),
            ("tin/hai-2002", "Tiêu đề bài số hai dài", utc(2017, 11, 13, 2)),
        ],
        "",
    ),
    "a <time> inside a child block dates its parent": (
        f'<div><p><a href="/tin/x-1.html">{TITLE}</a></p>'
        '<span><time datetime="2017-11-12">x</time></span></div>',
        [("tin/x-1.html", TITLE, NOV12)],
        "",
    ),
    "a date in a child block dates the links of its parent": (
        f'<div><a href="/tin/x-1.html">{TITLE}</a><p>12/11/2017</p></div>',
        [("tin/x-1.html", TITLE, NOV12)],
        "",
    ),
    "menus, headers and footers hold no articles": (
        '<header><div><a href="/tin/menu-1001.html">Một mục menu rất dài</a> 12/11/2017</div>'
        '</header><div class="menu"><p><a href="/tin/menu-1002.html">Một mục menu rất dài nữa'
        "</a> 12/11/2017</p></div><nav><p>"
        '<a href="/tin/n-1005.html">Một mục menu rất dài ba</a> 12/11/2017</p></nav>'
        '<footer><p><a href="/tin/f-1003.html">Chân trang rất dài nhé</a> 12/11/2017</p>'
        "</footer>" + one("/tin/that-1004.html"),
        [("tin/that-1004.html", TITLE, NOV12)],
        "",
    ),
    "next page: rel=next, first seen wins": (
        '<link rel="next" href="?page=2">'
        + one("/tin/x-1.html")
        + '<p><a href="?page=3"> Trang sau </a></p><a rel="next" href="?page=4">x</a>',
        [("tin/x-1.html", TITLE, NOV12)],
        PAGE + "?page=2",
    ),
    "next page: rel is a list of words": (
        '<a rel="Prefetch NEXT" href="?page=5">x</a><a rel="next">no href</a>',
        [],
        PAGE + "?page=5",
    ),
    "next page: a next word in a dated block": (
        f'<p><a href="/tin/x-1.html">{TITLE}</a> 12/11/2017 <a href="?p=2">»</a></p>'
        '<a href="?p=3">Xem tiếp</a>',
        [("tin/x-1.html", TITLE, NOV12)],
        PAGE + "?p=2",
    ),
    "next page: a next word at the top": ('<a href="?p=3"> Trang tiếp </a>', [], PAGE + "?p=3"),
    "next page: a next word in an undated block": (
        '<div><a href="?p=4">›</a></div><a href="?p=5">next</a>',
        [],
        PAGE + "?p=4",
    ),
    "links outside any dated block are undated articles": (
        '<a href="/tin/khong-ngay-1.html">Bài không có ngày đăng</a>'
        '<a href="mailto:a@b.vn">Liên hệ với chúng tôi qua thư</a>'
        '<a href="/tin/ngan-2.html">Ngắn</a>'
        '<a href="/tin/mot-ten-3.html">Mười hai chữ</a>'
        '<a href="/tin/mot-ten-4.html">Mười một ch</a>'
        '<a href="/tin/khong-co-so">Bài không có số ở cuối</a>'
        '<a href="/tin/co-ba-gach-noi">Bài có ba gạch nối đây</a>'
        '<a href="/tin/khong-ngay-1.html#top">Bài không có ngày đăng</a>'
        '<a href="https://www.cd.example.vn/tin/www-5.html">Cùng trang, có www</a>'
        '<a href="https://khac.example.vn/tin/khac-6.html">Trang khác hoàn toàn</a>',
        [
            ("tin/khong-ngay-1.html", "Bài không có ngày đăng", None),
            ("tin/mot-ten-3.html", "Mười hai chữ", None),
            ("tin/co-ba-gach-noi", "Bài có ba gạch nối đây", None),
            ("https://www.cd.example.vn/tin/www-5.html", "Cùng trang, có www", None),
        ],
        "",
    ),
    "scripts and styles are no text": (
        "<p><script>var a = \"<a href='/tin/s-1.html'>Bài trong script dài</a> 01/01/2017\";"
        f'</script><a href="/tin/x-1.html">{TITLE}</a> <style>.x{{}}</style>12/11/2017</p>',
        [("tin/x-1.html", TITLE, NOV12)],
        "",
    ),
    "a stray end of script changes nothing": (
        "</script></style>" + one("/tin/x-1.html"),
        [("tin/x-1.html", TITLE, NOV12)],
        "",
    ),
    "blocks left open are closed at the end": (
        f'<div><p><a href="/tin/x-1.html">{TITLE}</a> 12/11/2017',
        [("tin/x-1.html", TITLE, NOV12)],
        "",
    ),
    "an impossible date is passed over for the next": (
        f'<p><a href="/tin/x-1.html">{TITLE}</a> 31/02/2017 12/11/2017 7h30</p>',
        [("tin/x-1.html", TITLE, utc(2017, 11, 12, 0, 30))],
        "",
    ),
    "an end tag of another block does not close this one": (
        f'<div><p><a href="/tin/x-1.html">{TITLE}</a></span></li> 12/11/2017</p></div>',
        [("tin/x-1.html", TITLE, NOV12)],
        "",
    ),
    "entities in a title are read": (
        '<p><a href="/tin/x-1.html">Nhà &amp; đất &#273;ây nhé</a> 12/11/2017</p>',
        [("tin/x-1.html", "Nhà & đất đây nhé", NOV12)],
        "",
    ),
    "a date and its time in two blocks": (
        f'<div><a href="/tin/x-1.html">{TITLE}</a><p>12/11/2017</p><p>08:30</p></div>',
        [("tin/x-1.html", TITLE, utc(2017, 11, 12, 1, 30))],
        "",
    ),
    "a date cut by an inline tag": (
        f'<p><a href="/tin/x-1.html">{TITLE}</a> 12/11/<b>2017</b></p>',
        [("tin/x-1.html", TITLE, NOV12)],
        "",
    ),
    "a block's own <time> stays when a child block closes": (
        '<div><time datetime="2017-11-12T08:00:00">x</time>'
        f'<a href="/tin/x-1.html">{TITLE}</a><p>khác</p></div>',
        [("tin/x-1.html", TITLE, utc(2017, 11, 12, 1))],
        "",
    ),
    "only <time> gives a datetime attribute": (
        f'<p><a href="/tin/x-1.html">{TITLE}</a><del datetime="2016-01-01">cũ</del> 12/11/2017</p>',
        [("tin/x-1.html", TITLE, NOV12)],
        "",
    ),
    "skipped tags inside skipped tags": (
        f'<p><a href="/tin/x-1.html">{TITLE}</a><svg><style>.a{{}}</style>'
        "<text>31/12/2016</text></svg> 12/11/2017</p>",
        [("tin/x-1.html", TITLE, NOV12)],
        "",
    ),
    "a single block left open": (
        f'<div><a href="/tin/x-1.html">{TITLE}</a> 12/11/2017',
        [("tin/x-1.html", TITLE, NOV12)],
        "",
    ),
    "a menu's other links are still read for the next page": (
        '<nav><a href="/tin/menu-1001.html">Một mục menu rất dài</a>'
        '<a href="?page=2">Trang sau</a></nav>',
        [],
        PAGE + "?page=2",
    ),
    "a next link without an address": ('<a rel="next" href>x</a>', [], ""),
    "an end tag named like the root": (
        "</root>" + one("/tin/x-1.html") + "</root>",
        [("tin/x-1.html", TITLE, NOV12)],
        "",
    ),
    "a link's words are joined and trimmed": (
        '<p><a href="/tin/x-1.html"> Bài <b>thật</b>\n của  chuyên mục </a> 12/11/2017</p>',
        [("tin/x-1.html", TITLE, NOV12)],
        "",
    ),
}


@pytest.mark.parametrize("html_text,items,next_url", LISTINGS.values(), ids=LISTINGS.keys())
def test_read_listing(html_text, items, next_url):
    listing = read_listing(html_text, PAGE, VN)
    got = [(i.url.removeprefix(SITE), i.title, i.published) for i in listing.items]
    assert got == items
    assert listing.next_url == next_url


def test_the_page_itself_is_not_an_item():
    page = SITE + "chuyen-muc/thiet-che-cong-doan-12.html"
    html_text = one("/chuyen-muc/thiet-che-cong-doan-12.html?utm_source=x") + one("/tin/x-1.html")
    assert [i.url for i in read_listing(html_text, page, VN).items] == [SITE + "tin/x-1.html"]


def test_listing_dates_are_read_in_the_zone_given():
    html_text = f'<p><a href="/tin/x-1.html">{TITLE}</a> 12/11/2017 08:30</p>'
    [item] = read_listing(html_text, PAGE, PARIS).items
    assert item.published == utc(2017, 11, 12, 7, 30)  # Paris is UTC+1 in November


ARTICLE_PATHS = {
    ".html": ("/tin/a.html", True),
    ".htm": ("/tin/a.htm", True),
    ".shtml": ("/tin/a.shtml", True),
    ".php is no article": ("/tin/a.php", False),
    "three digits": ("/tin/a123", True),
    "two digits": ("/tin/a12", False),
    "three dashes": ("/tin/a-b-c-d", True),
    "two dashes": ("/tin/a-b-c", False),
    "a trailing slash": ("/tin/a-b-c-d/", True),
    "digits in a folder only": ("/2017/tin", False),
    "html in a folder only": ("/a.html/tin", False),
    "the query is not the path": ("/tin?id=12345", False),
    "no path at all": ("", False),
}


@pytest.mark.parametrize("path,article", ARTICLE_PATHS.values(), ids=ARTICLE_PATHS.keys())
def test_looks_like_article(path, article):
    assert _looks_like_article("https://cd.example.vn" + path) is article


def page(head: str = "", body: str = "") -> str:
    return f"<html><head>{head}</head><body>{body}</body></html>"


def meta(attr: str, key: str, value: str) -> str:
    return f'<meta {attr}="{key}" content="{value}">'


def ld(blob: str) -> str:
    return f'<script type="application/LD+JSON">{blob}</script>'


ARTICLES = {
    "og:article:published_time": (
        page(meta("property", "og:article:published_time", "2017-10-02T08:00:00")),
        utc(2017, 10, 2, 1),
    ),
    "article:published_time before og:": (
        page(
            meta("property", "og:article:published_time", "2017-01-01T00:00:00Z")
            + meta("property", "Article:Published_Time", "2017-10-02T08:00:00+07:00")
        ),
        utc(2017, 10, 2, 1),
    ),
    "og: before datePublished": (
        page(
            meta("itemprop", "datePublished", "2017-01-01T00:00:00Z")
            + meta("property", "og:article:published_time", "2017-10-02T08:00:00+07:00")
        ),
        utc(2017, 10, 2, 1),
    ),
    "the first of two equal metas": (
        page(
            meta("name", "datePublished", "2017-10-02T08:00:00+07:00")
            + meta("name", "datepublished", "2017-01-01T00:00:00Z")
        ),
        utc(2017, 10, 2, 1),
    ),
    "an empty meta is passed over": (
        page(
            meta("property", "article:published_time", " ") + ld('{"datePublished": "2017-10-03"}')
        ),
        utc(2017, 10, 2, 17),
    ),
    "a meta that is not a date is passed over": (
        page(
            meta("property", "article:published_time", "hôm qua")
            + meta("name", "pubdate", "2017-10-03")
        ),
        utc(2017, 10, 2, 17),
    ),
    "JSON-LD: a datePublished that is not a string is passed over": (
        page(ld('{"datePublished": 2017, "x": {"datePublished": "2017-10-03T10:00:00+07:00"}}')),
        utc(2017, 10, 3, 3),
    ),
    "JSON-LD: the second script": (
        page(ld('{"@type": "Organization"}') + ld('{"datePublished": "2017-10-03T10:00:00Z"}')),
        utc(2017, 10, 3, 10),
    ),
    "JSON-LD: text outside the script is not read": (
        page(ld("") + '<p>{"datePublished": "2017-10-03T10:00:00Z"}</p>'),
        None,
    ),
    "JSON-LD: another script type is not read": (
        page('<script type="text/javascript">{"datePublished": "2017-10-03T10:00:00Z"}</script>'),
        None,
    ),
    "JSON-LD: a date in an earlier item of a list": (
        page(ld('[{"datePublished": "2017-10-03T10:00:00Z"}, {"x": 1}]')),
        utc(2017, 10, 3, 10),
    ),
    "JSON-LD: a date beside a list": (
        page(ld('{"b": {"datePublished": "2017-10-03T10:00:00Z"}, "a": [1]}')),
        utc(2017, 10, 3, 10),
    ),
    "a script without a type is no JSON-LD": (
        page("<script>var a = 1;</script>" + meta("name", "pubdate", "2017-10-03")),
        utc(2017, 10, 2, 17),
    ),
    "<time> before pubdate": (
        page(meta("name", "pubdate", "2017-01-01"), '<time datetime="2017-10-03T10:00Z">x</time>'),
        utc(2017, 10, 3, 10),
    ),
    "the first <time>": (
        page(
            body='<time>x</time><time datetime="2017-10-03T10:00Z"></time>'
            '<time datetime="2018-01-01"></time>'
        ),
        utc(2017, 10, 3, 10),
    ),
    "pubdate before Dublin Core": (
        page(meta("name", "DC.date.issued", "2017-01-01") + meta("name", "pubdate", "2017-10-03")),
        utc(2017, 10, 2, 17),
    ),
    "a link tag's property is not a meta": (
        page('<link property="article:published_time" content="2017-10-03">'),
        None,
    ),
}


@pytest.mark.parametrize("html_text,when", ARTICLES.values(), ids=ARTICLES.keys())
def test_article_date(html_text, when):
    assert article_date(html_text, VN) == when


def test_article_dates_without_a_zone_are_read_in_the_zone_given():
    html_text = page(meta("property", "article:published_time", "2017-11-12T08:30:00"))
    assert article_date(html_text, PARIS) == utc(2017, 11, 12, 7, 30)
    assert article_date(page(ld('{"datePublished": "2017-11-12T08:30"}')), PARIS) == utc(
        2017, 11, 12, 7, 30
    )
    assert parse_when("12/11/2017 08:30", PARIS) == utc(2017, 11, 12, 7, 30)
    assert parse_when(None, VN) is None


def test_dates_come_out_in_utc_whatever_the_machine_zone(monkeypatch):
    import time

    monkeypatch.setenv("TZ", "Asia/Tokyo")
    time.tzset()
    try:
        listing = read_listing(one("/tin/x-1.html"), PAGE, VN)
        assert listing.items[0].published.isoformat() == "2017-11-11T17:00:00+00:00"
        assert parse_when("2017-11-12T08:30:00+07:00", VN).isoformat() == (
            "2017-11-12T01:30:00+00:00"
        )
    finally:
        monkeypatch.undo()
        time.tzset()
