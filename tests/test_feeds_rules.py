"""Feed parsing rule by rule, with exact outputs: which date of an entry is its publication,
which of its links is its address, its text and categories, what a page counts (skipped,
undated, merged, dropped), and the entity guard's edges. Feeds written by hand; expected
values read off them (times in UTC; a date without a zone is local time)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from auditor.errors import ParseError
from auditor.parse.feeds import (
    BAD_LINK,
    NO_LINK,
    ROOT_LINK,
    FeedPage,
    _short,
    declares_entities,
    parse_feed,
)
from auditor.types import Article, Term

VN = ZoneInfo("Asia/Ho_Chi_Minh")
PARIS = ZoneInfo("Europe/Paris")
URL = "https://bao.example.vn/rss/tin.rss"


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def rss(items: str, channel: str = "") -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Báo</title>'
        f"{channel}{items}</channel></rss>"
    ).encode()


def atom(entries: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>Báo</title><id>urn:x</id>{entries}</feed>"
    ).encode()


def item(body: str, link: str = "https://bao.example.vn/tin/a-1.html") -> str:
    return f"<item><title>Tin</title><link>{link}</link>{body}</item>"


def one(body: bytes, tz: ZoneInfo = VN) -> Article:
    [article] = parse_feed(body, URL, tz=tz).articles
    return article


# -- dates ----------------------------------------------------------------------------------

RSS_DATES = {
    "RFC 822 with an offset": ("Sun, 01 Oct 2017 23:30:00 +0700", utc(2017, 10, 1, 16, 30)),
    "GMT": ("Sun, 01 Oct 2017 23:30:00 GMT", utc(2017, 10, 1, 23, 30)),
    "no zone: local time": ("Sun, 01 Oct 2017 23:30:00", utc(2017, 10, 1, 16, 30)),
    "a date alone, no zone: local midnight": ("Oct 1 2017", utc(2017, 9, 30, 17)),
    "day first, no zone": ("03-10-2017 08:00", utc(2017, 10, 3, 1)),
    "day first with slashes": ("03/10/2017", utc(2017, 10, 2, 17)),
    # feedparser takes a zone name it does not know for UTC: Vietnam's own, ICT, is one
    "ICT, Indochina time": ("Sun, 01 Oct 2017 23:30:00 ICT", utc(2017, 10, 1, 16, 30)),
    # and drops the time of an ISO date whose offset is written "+07"
    "ISO with a short offset": ("2017-10-01 23:30:00 +07", utc(2017, 10, 1, 16, 30)),
    "unreadable": ("hôm qua", None),
}


@pytest.mark.parametrize("raw,when", RSS_DATES.values(), ids=RSS_DATES.keys())
def test_rss_dates(raw, when):
    assert one(rss(item(f"<pubDate>{raw}</pubDate>"))).published == when


@pytest.mark.parametrize(
    "raw,when",
    [
        ("Sun, 12 Nov 2017 08:30:00", utc(2017, 11, 12, 7, 30)),
        ("12-11-2017 08:30", utc(2017, 11, 12, 7, 30)),
        ("Sun, 12 Nov 2017 08:30:00 +0700", utc(2017, 11, 12, 1, 30)),
    ],
    ids=["no zone", "day first", "an offset wins"],
)
def test_dates_without_a_zone_are_read_in_the_zone_given(raw, when):
    assert one(rss(item(f"<pubDate>{raw}</pubDate>")), tz=PARIS).published == when


def entry(body: str, link: str = '<link href="https://bao.example.vn/tin/a-1.html"/>') -> str:
    return f"<entry><id>urn:a</id><title>Tin</title>{link}{body}</entry>"


ATOM_DATES = {
    "published, and updated as modified": (
        "<published>2017-10-01T23:30:00+07:00</published><updated>2017-10-05T00:00:00Z</updated>",
        utc(2017, 10, 1, 16, 30),
        utc(2017, 10, 5),
    ),
    "updated only: it is both": (
        "<updated>2017-10-05T08:00:00</updated>",
        utc(2017, 10, 5, 1),
        utc(2017, 10, 5, 1),
    ),
    "neither": ("", None, None),
}


@pytest.mark.parametrize("body,published,modified", ATOM_DATES.values(), ids=ATOM_DATES.keys())
def test_atom_dates(body, published, modified):
    a = one(atom(entry(body)))
    assert (a.published, a.modified) == (published, modified)


def test_updated_without_a_zone_is_read_in_the_zone_given():
    a = one(atom(entry("<updated>2017-11-12T08:30:00</updated>")), tz=PARIS)
    assert (a.published, a.modified) == (utc(2017, 11, 12, 7, 30), utc(2017, 11, 12, 7, 30))


# -- links ----------------------------------------------------------------------------------

LINKS = {
    "an enclosure first, then the entry's own link": (
        '<link rel="enclosure" href="https://bao.example.vn/a.mp3"/>'
        '<link href="https://bao.example.vn/tin/b-2.html"/>',
        "https://bao.example.vn/tin/b-2.html",
    ),
    "an alternate link without an address is passed over": (
        '<link rel="alternate" href=""/><link rel="alternate" href="/tin/c-3.html"/>',
        "https://bao.example.vn/tin/c-3.html",
    ),
}


@pytest.mark.parametrize("links,url", LINKS.values(), ids=LINKS.keys())
def test_atom_links(links, url):
    assert one(atom(entry("", links))).url == url


SKIPS = {
    "no link, a urn guid": ("<item><title>a</title><guid>urn:uuid:1</guid></item>", NO_LINK),
    "a mailto link": (item("", "mailto:a@b.vn"), BAD_LINK),
    "the homepage, no guid": (item("", "https://bao.example.vn/"), ROOT_LINK),
    "the homepage with a query is an address": (item("", "https://bao.example.vn/?p=5"), None),
    "the homepage, a guid that is a homepage too": (
        item('<guid isPermaLink="false">http://bao.example.vn</guid>', "https://bao.example.vn/"),
        ROOT_LINK,
    ),
}


@pytest.mark.parametrize("body,reason", SKIPS.values(), ids=SKIPS.keys())
def test_skipped_entries(body, reason):
    page = parse_feed(rss(body), URL)
    if reason is None:
        assert len(page.articles) == 1 and page.skipped == ()
    else:
        assert (page.articles, page.skipped) == ((), ((reason, 1),))


def test_a_homepage_link_gives_way_to_an_http_guid():
    body = item('<guid isPermaLink="false">https://bao.example.vn/?p=5</guid>', "/")
    assert one(rss(body)).url == "https://bao.example.vn/?p=5"


# -- text and categories --------------------------------------------------------------------


def test_content_html_becomes_text_and_several_parts_are_joined():
    body = atom(
        entry(
            '<summary type="html">&lt;p&gt;Tóm &amp;amp; tắt&lt;/p&gt;</summary>'
            '<content type="html">&lt;p&gt;Đoạn &lt;b&gt;một&lt;/b&gt;&lt;/p&gt;</content>'
        )
    )
    a = one(body)
    assert (a.summary, a.text) == ("Tóm &amp; tắt".replace("&amp;", "&"), "Đoạn một")
    rss_body = rss(
        item(
            "<description>Tóm &lt;b&gt;tắt&lt;/b&gt;</description>"
            "<content:encoded><![CDATA[<p>Một</p> <p>Hai</p>]]></content:encoded>"
        )
    )
    a = one(rss_body)
    assert (a.summary, a.text) == ("Tóm tắt", "Một Hai")


def test_plain_text_content_keeps_its_brackets():
    body = atom(entry('<content type="text">a &lt;b&gt; c</content>'))
    assert one(body).text == "a <b> c"


def test_categories_term_or_label():
    body = atom(
        entry(
            '<category term="Thiết chế &amp;amp; Công đoàn"/><category label="Nhà ở"/>'
            '<category term="" label=""/><category scheme="x"/>'
        )
    )
    assert one(body).terms == (
        Term("category", "Thiết chế & Công đoàn"),
        Term("category", "Nhà ở"),
    )


# -- the page -------------------------------------------------------------------------------


def test_page_counts():
    items = (
        item("<pubDate>Sun, 01 Oct 2017 10:00:00 +0700</pubDate>", "/tin/a-1.html")
        + item("<pubDate>Mon, 02 Oct 2017 10:00:00 +0700</pubDate>", "/tin/a-1.html?utm_source=x")
        + item("", "/tin/b-2.html")
        + item("<pubDate>Tue, 03 Oct 2017 10:00:00 +0700</pubDate>", "/tin/c-3.html")
        + "<item><title>x</title><guid>123</guid><category>Thiết chế</category>"
        "<pubDate>Wed, 04 Oct 2017 10:00:00 +0700</pubDate></item>"
        + "<item><title>y</title><link>javascript:x()</link></item>"
    )
    page = parse_feed(
        rss(items, "<generator>https://WordPress.org/?v=6.1</generator>"),
        URL,
        base="https://bao.example.vn/feeds/",
    )
    assert [a.url for a in page.articles] == [
        "https://bao.example.vn/tin/a-1.html",
        "https://bao.example.vn/tin/b-2.html",
        "https://bao.example.vn/tin/c-3.html",
    ]
    assert page.title == "Báo"
    assert page.url == URL
    assert page.is_wordpress and page.generator == "https://WordPress.org/?v=6.1"
    assert page.undated == 1
    assert page.merged == 1
    assert page.skipped == ((BAD_LINK, 1), (NO_LINK, 1))
    assert page.oldest == utc(2017, 10, 2, 3)  # of the two copies, the later one won
    assert [(d.url, d.guid, d.published, d.terms) for d in page.dropped] == [
        ("", "123", utc(2017, 10, 4, 3), (Term("category", "Thiết chế"),)),
        ("", "", None, ()),
    ]


def test_an_empty_feed_is_a_page_and_not_wordpress():
    page = parse_feed(rss(""), URL)
    assert (page.articles, page.undated, page.merged, page.skipped, page.oldest) == (
        (),
        0,
        0,
        (),
        None,
    )
    assert not page.is_wordpress and page.generator == ""
    assert FeedPage("u", "t", ()).oldest is None


# -- refusals -------------------------------------------------------------------------------


def test_parse_error_messages_are_cut_at_160_characters():
    assert _short("x" * 159) == "x" * 159
    assert _short("x" * 160) == "x" * 160 + "…"
    assert _short(ValueError("y" * 200)) == "y" * 160 + "…"


def test_not_a_feed_says_why():
    with pytest.raises(ParseError) as e:
        parse_feed(b"<html><body>Trang chu</body></html>", URL)
    assert e.value.url == URL and "not a feed: " in str(e.value)


ENTITIES = {
    "an internal subset with no entity": (
        b'<!DOCTYPE rss [<!ELEMENT x ANY>]><rss version="2.0">',
        False,
    ),
    "an entity mentioned after the subset": (
        b"<!DOCTYPE rss [<!ELEMENT x ANY>]><rss><![CDATA[<!ENTITY x>]]>",
        False,
    ),
    "a subset never closed": (b"<!DOCTYPE rss [<!ELEMENT x ANY>", True),
    "a subset end inside an earlier comment": (
        b'<!-- ]> --><!DOCTYPE x [<!ENTITY a "b">]><rss/>',
        True,
    ),
    "after a processing instruction and a comment": (
        b'<?xml version="1.0"?>\n<!-- c --> <!DOCTYPE x [<!ENTITY a "b">]>',
        True,
    ),
    "a public DOCTYPE": (b'<!DOCTYPE rss PUBLIC "-//x//EN" "http://x/rss.dtd"><rss/>', False),
    "a BOM first": (b'\xef\xbb\xbf<!DOCTYPE x [<!ENTITY a "b">]>', True),
    "UTF-32 LE": ('<!DOCTYPE x [<!ENTITY a "b">]>'.encode("utf-32"), True),
    "UTF-32 BE": (b"\x00\x00\xfe\xff" + '<!DOCTYPE x [<!ENTITY a "b">]>'.encode("utf-32-be"), True),
    "UTF-16 BE": (b"\xfe\xff" + '<!DOCTYPE x [<!ENTITY a "b">]>'.encode("utf-16-be"), True),
    "UTF-16 LE without entities": (
        b"\xff\xfe" + "<!DOCTYPE x [<!ELEMENT a>]>".encode("utf-16-le"),
        False,
    ),
}


@pytest.mark.parametrize("body,refused", ENTITIES.values(), ids=ENTITIES.keys())
def test_declares_entities(body, refused):
    assert declares_entities(body) is refused


def test_the_guard_reads_the_first_64_kib():
    head = b"<!DOCTYPE x [" + b" " * (65536 - 13 - 1)
    # the subset's end is the window's last byte: "]" seen, ">" not, so never closed: refused
    assert declares_entities(head + b"]>") is True
    assert declares_entities(head[:-1] + b"]>") is False


# -- what feedparser is given, and what a refusal says -------------------------------------


def test_the_declared_charset_of_the_answer_is_honoured():
    body = rss(item("")).replace(b"<title>Tin</title>", "<title>Đoàn</title>".encode("cp1258"))
    [a] = parse_feed(body, URL, "application/xml; charset=windows-1258").articles
    assert a.title == "Đoàn"


def refusal(body: bytes) -> ParseError:
    with pytest.raises(ParseError) as e:
        parse_feed(body, URL)
    assert e.value.url == URL
    return e.value


def test_refusals_name_the_feed_and_the_reason():
    bomb = b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "x">]><rss version="2.0"/>'
    assert refusal(bomb).reason == "feed declares XML entities; refused for safety"
    assert refusal(b"<html><body>Trang chu</body></html>").reason == (
        "not a feed: no RSS, Atom or JSON Feed found"
    )
    # a feed cut short with no entry is not a feed; the XML parser's words say why
    cut = refusal(b'<rss version="2.0"><channel><title>x</title>')
    assert cut.reason.startswith("not a feed: <unknown>:")
    assert cut.reason.endswith(": no element found")
    # feedparser's own failure on an encoding name it cannot read
    odd = refusal(b'<?xml version="1.0" encoding="\x80TF-8"?><rss/>')
    assert odd.reason.startswith("not a feed: the feed parser failed: 'utf-8' codec can't")


def test_a_json_feed_page():
    body = (
        b'{"version": "https://jsonfeed.org/version/1.1", "title": "JSON", "items": ['
        b'{"id": "1", "url": "/tin/a-1.html", "title": "A",'
        b' "date_published": "2017-11-12T08:30:00"}'
        b"]}"
    )
    page = parse_feed(
        body, URL, "application/feed+json", base="https://bao.example.vn/x/", tz=PARIS
    )
    assert (page.url, page.title) == (URL, "JSON")
    assert [(a.url, a.published) for a in page.articles] == [
        ("https://bao.example.vn/tin/a-1.html", utc(2017, 11, 12, 7, 30))
    ]
    with pytest.raises(ParseError) as e:
        parse_feed(b'{"version": "https://jsonfeed.org/version/1", "items": [', URL)
    assert e.value.url == URL


GUIDS = {
    "an http guid": ("http://bao.example.vn/?p=5", "http://bao.example.vn/?p=5", None),
    "an upper-case scheme": ("HTTPS://bao.example.vn/?p=6", "https://bao.example.vn/?p=6", None),
    "a guid with an unbalanced bracket": ("http://[bao/1", None, BAD_LINK),
    "a homepage guid": ("https://bao.example.vn", None, NO_LINK),
}


@pytest.mark.parametrize("guid,url,reason", GUIDS.values(), ids=GUIDS.keys())
def test_a_guid_stands_in_for_a_missing_link(guid, url, reason):
    page = parse_feed(rss(f"<item><title>a</title><guid>{guid}</guid></item>"), URL)
    assert [a.url for a in page.articles] == ([url] if url else [])
    assert page.skipped == (((reason, 1),) if reason else ())


def test_a_homepage_without_a_slash_is_a_homepage():
    page = parse_feed(rss(item("", "https://bao.example.vn")), URL)
    assert page.skipped == ((ROOT_LINK, 1),)


def test_the_guard_reads_utf16_with_vietnamese_text_and_a_cut_character():
    text = '<!-- Báo Đoàn --><!DOCTYPE x [<!ENTITY a "b">]>'
    assert declares_entities(b"\xff\xfe" + text.encode("utf-16-le") + b"\x00") is True
    assert declares_entities(b"\xfe\xff" + text.encode("utf-16-be")[:-1]) is True


def test_two_content_parts_are_joined_by_a_space():
    body = rss(item("<content:encoded>Một</content:encoded><content:encoded>Hai</content:encoded>"))
    assert one(body).text == "Một Hai"


def test_a_skipped_entry_keeps_its_date_in_the_zone_given():
    body = rss(
        "<item><title>x</title><guid>urn:1</guid>"
        "<pubDate>Sun, 12 Nov 2017 08:30:00</pubDate></item>"
    )
    [dropped] = parse_feed(body, URL, tz=PARIS).dropped
    assert dropped.published == utc(2017, 11, 12, 7, 30)
