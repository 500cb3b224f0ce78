"""Feed ingestion rules (issue 10) on feeds the team wrote: identity, titles, dates, links,
formats. Expected values are written out by hand, not computed with production code."""

from __future__ import annotations

import json
import unicodedata
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from auditor.errors import ParseError
from auditor.parse.feeds import BAD_LINK, NO_LINK, declares_entities, parse_feed
from auditor.rules.audit import ColumnFacts, audit_column
from auditor.rules.undated import in_doubt
from auditor.types import Campaign, ColumnSpec

VN = ZoneInfo("Asia/Ho_Chi_Minh")
FEED_URL = "https://bao.example.vn/rss/tin.rss"


def rss(items: str, channel: str = "") -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
        'xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>Báo</title>'
        f"<link>https://elsewhere.example/</link>{channel}{items}</channel></rss>"
    ).encode()


def atom(entries: str, base: str = "") -> bytes:
    xb = f' xml:base="{base}"' if base else ""
    return (
        f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"{xb}>'
        f"<title>Báo</title><id>urn:x</id><updated>2017-10-01T00:00:00Z</updated>{entries}</feed>"
    ).encode()


def one(body: bytes, **kw):
    [article] = parse_feed(body, FEED_URL, **kw).articles
    return article


# -- titles and text ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "title_xml, expected",
    [
        ("Lương &lt; 5 triệu và &gt; 3 triệu", "Lương < 5 triệu và > 3 triệu"),
        ("<![CDATA[Hỏi & đáp: ‹Thiết chế> công đoàn]]>", "Hỏi & đáp: ‹Thiết chế> công đoàn"),
        ("Nhà &amp; đất: &lt;blink&gt; vẫn là chữ", "Nhà & đất: <blink> vẫn là chữ"),
    ],
    ids=["escaped brackets", "cdata ampersand and bracket", "unknown tag stays text"],
)
def test_plain_text_rss_titles_survive(title_xml, expected):
    item = f"<item><title>{title_xml}</title><link>https://bao.example.vn/a</link></item>"
    assert one(rss(item)).title == expected


def test_atom_declared_types_are_respected():
    entries = (
        '<entry><id>urn:1</id><title type="text">a &lt;b&gt; &amp; c</title>'
        '<link href="https://bao.example.vn/1"/><updated>2017-10-01T00:00:00Z</updated></entry>'
        '<entry><id>urn:2</id><title type="html">a &lt;b&gt;đậm&lt;/b&gt; &amp;amp; c</title>'
        '<link href="https://bao.example.vn/2"/><updated>2017-10-01T00:00:00Z</updated></entry>'
    )
    titles = [a.title for a in parse_feed(atom(entries), FEED_URL).articles]
    assert titles == ["a <b> & c", "a đậm & c"]


def test_html_summary_drops_scripts_styles_and_comments_whole():
    summary = (
        "&lt;p&gt;Nhà trẻ&lt;/p&gt;&lt;!-- ghi chú &gt; bí mật --&gt;"
        "&lt;style&gt;p{color:red}&lt;/style&gt; công nhân&lt;script&gt;alert('x') chưa đóng"
    )
    item = (
        f"<item><title>T</title><link>https://bao.example.vn/a</link>"
        f"<description>{summary}</description></item>"
    )
    assert one(rss(item)).summary == "Nhà trẻ công nhân"


def test_titles_are_stored_as_published_in_nfc():
    old_style = "Tỉnh uỷ hoà giải"  # old tone placement: kept, only composed
    item = (
        f"<item><title>{unicodedata.normalize('NFD', old_style)}</title>"
        "<link>https://bao.example.vn/a</link></item>"
    )
    title = one(rss(item)).title
    assert title == unicodedata.normalize("NFC", old_style)
    assert "uỷ" in title and "hoà" in title


# -- dates -----------------------------------------------------------------------------------


def local_week(when: datetime) -> str:
    year, week, _ = when.astimezone(VN).isocalendar()
    return f"{year}-W{week:02d}"


@pytest.mark.parametrize(
    "raw, week",
    [
        ("01/10/2017 23:30", "2017-W39"),  # Sunday night, local
        ("02/10/2017 00:15", "2017-W40"),  # Monday just after midnight
        ("Chủ nhật, 01/10/2017 23:30 GMT+7", "2017-W39"),
        ("Thứ hai, 02/10/2017 00:15 (GMT+7)", "2017-W40"),
        ("Thứ ba, 03/10/2017 - 08:30", "2017-W40"),
        ("23:30 | 01/10/2017", "2017-W39"),
        ("01-10-2017", "2017-W39"),
        ("2017-10-01T23:30:00", "2017-W39"),  # ISO without zone is local, not UTC
        ("2017-10-01 23:30", "2017-W39"),
        ("Sun, 01 Oct 2017 23:30:00", "2017-W39"),  # RFC 822 without zone
        ("Sun, 01 Oct 2017 16:30:00 GMT", "2017-W39"),  # with a zone: feedparser's reading
        ("2017-10-01T17:15:00Z", "2017-W40"),  # 00:15 Monday in Hà Nội
        ("ngày 1 tháng 10 năm 2017", "2017-W39"),
    ],
    # ASCII ids (marks dropped): mutmut hands test ids back to pytest
    ids=lambda v: unicodedata.normalize("NFD", v).encode("ascii", "ignore").decode(),
)
def test_each_date_form_lands_in_its_local_week(raw, week):
    item = f"<item><title>T</title><link>https://bao.example.vn/a</link><pubDate>{raw}</pubDate></item>"
    published = one(rss(item)).published
    assert published is not None and published.tzinfo is not None
    assert local_week(published) == week


def test_undated_items_are_counted():
    item = (
        "<item><title>T</title><link>https://bao.example.vn/a</link>"
        "<pubDate>sắp tới</pubDate></item>"
    )
    page = parse_feed(rss(item), FEED_URL)
    assert page.undated == 1 and page.articles[0].published is None


# -- links -----------------------------------------------------------------------------------


def test_relative_links_resolve_against_the_feed_address_not_its_link_element():
    item = "<item><title>T</title><link>../tin/bai-1.html</link></item>"
    assert one(rss(item)).url == "https://bao.example.vn/tin/bai-1.html"
    moved = one(rss(item), base="https://moi.example.vn/feeds/rss/x.rss")
    assert moved.url == "https://moi.example.vn/feeds/tin/bai-1.html"  # after a redirect


def test_xml_base_is_honoured():
    entry = (
        '<entry><id>urn:1</id><title>T</title><link href="bai-2.html"/>'
        "<updated>2017-10-01T00:00:00Z</updated></entry>"
    )
    assert one(atom(entry, base="https://bao.example.vn/chuyen-muc/")).url == (
        "https://bao.example.vn/chuyen-muc/bai-2.html"
    )


@pytest.mark.parametrize("kind", ["rss", "atom", "json"])
def test_guid_stands_in_for_a_missing_link_only_when_http(kind):
    ids = ["https://bao.example.vn/?p=7", "urn:uuid:5d1b", "123"]
    if kind == "rss":
        body = rss(
            "".join(
                f'<item><title>T{i}</title><guid isPermaLink="false">{g}</guid></item>'
                for i, g in enumerate(ids)
            )
        )
    elif kind == "atom":
        body = atom(
            "".join(
                f"<entry><title>T{i}</title><id>{g}</id><updated>2017-10-01T00:00:00Z</updated></entry>"
                for i, g in enumerate(ids)
            )
        )
    else:
        body = json_feed([{"id": g, "title": f"T{i}"} for i, g in enumerate(ids)])
    page = parse_feed(body, FEED_URL)
    assert [a.url for a in page.articles] == ["https://bao.example.vn/?p=7"]
    assert page.skipped == ((NO_LINK, 2),)


def test_a_link_that_is_not_http_is_skipped_with_its_reason():
    item = "<item><title>T</title><link>mailto:toasoan@bao.example.vn</link></item>"
    assert parse_feed(rss(item), FEED_URL).skipped == ((BAD_LINK, 1),)


# -- identity within one feed ------------------------------------------------------------------


def test_same_guid_under_three_urls_is_one_article_with_aliases():
    guid = '<guid isPermaLink="false">tag:bao.example.vn,2017:123</guid>'
    items = (
        f"<item><title>Bản mới</title><link>https://bao.example.vn/tin/ten-moi</link>{guid}"
        "<pubDate>Mon, 02 Oct 2017 08:00:00 +0700</pubDate>"
        "<atom:updated>2017-10-03T09:00:00+07:00</atom:updated><category>Mới</category></item>"
        f"<item><title>Bản cũ</title><link>https://bao.example.vn/tin/ten-cu</link>{guid}"
        "<pubDate>Mon, 02 Oct 2017 08:00:00 +0700</pubDate></item>"
        f"<item><title>Bản cũ</title><link>http://www.bao.example.vn/tin/ten-cu/?utm_source=x</link>"
        f"{guid}<pubDate>Mon, 02 Oct 2017 08:00:00 +0700</pubDate></item>"
    )
    page = parse_feed(rss(items), FEED_URL)
    [a] = page.articles
    assert page.merged == 2
    assert a.title == "Bản mới" and [t.name for t in a.terms] == ["Mới"]  # newest, whole
    assert a.url == "https://bao.example.vn/tin/ten-moi"
    assert set(a.aliases) == {
        "https://bao.example.vn/tin/ten-cu",
        "http://www.bao.example.vn/tin/ten-cu",
    }


def test_duplicate_merge_does_not_depend_on_order():
    copies = [
        "<item><title>A</title><link>https://bao.example.vn/x</link>"
        "<pubDate>Mon, 02 Oct 2017 08:00:00 +0700</pubDate></item>",
        "<item><title>B</title><link>https://bao.example.vn/x/</link>"
        "<pubDate>Tue, 03 Oct 2017 08:00:00 +0700</pubDate></item>",
    ]
    forward = one(rss("".join(copies)))
    backward = one(rss("".join(reversed(copies))))
    assert forward == backward and forward.title == "B"


def test_a_guid_shared_by_many_different_articles_is_not_an_identity():
    items = "".join(
        f"<item><title>Bài {n}</title><link>https://bao.example.vn/{n}</link>"
        '<guid isPermaLink="false">https://bao.example.vn/</guid></item>'
        for n in range(4)
    )
    assert len(parse_feed(rss(items), FEED_URL).articles) == 4


# -- formats ------------------------------------------------------------------------------------


def json_feed(items: list[dict], version: str = "https://jsonfeed.org/version/1.1") -> bytes:
    return json.dumps({"version": version, "title": "Báo JSON", "items": items}).encode()


@pytest.mark.parametrize(
    "version", ["https://jsonfeed.org/version/1", "https://jsonfeed.org/version/1.1"]
)
def test_json_feed_is_read_like_rss(version):
    body = json_feed(
        [
            {
                "id": "1",
                "url": "/tin/bai-1",
                "title": "Lương < 5 triệu & hơn",
                "content_html": "<p>Nhà trẻ</p><script>x()</script>",
                "date_published": "2017-10-01T23:30:00+07:00",
                "tags": ["Thiết chế Công đoàn"],
            }
        ],
        version,
    )
    page = parse_feed(body, FEED_URL, "application/feed+json")
    [a] = page.articles
    assert page.title == "Báo JSON"
    assert a.url == "https://bao.example.vn/tin/bai-1" and a.title == "Lương < 5 triệu & hơn"
    assert a.published == datetime(2017, 10, 1, 16, 30, tzinfo=UTC) and a.text == "Nhà trẻ"
    assert [t.name for t in a.terms] == ["Thiết chế Công đoàn"]


def test_json_that_is_not_a_feed_is_a_parse_error():
    with pytest.raises(ParseError, match="jsonfeed"):
        parse_feed(b'{"posts": []}', FEED_URL, "application/json")


def test_entity_refusal_looks_at_the_internal_subset_only():
    mention = rss(
        "<item><title><![CDATA[Cú pháp <!ENTITY x> trong XML]]></title><link>https://bao.example.vn/a</link></item>"
    )
    assert not declares_entities(mention)
    assert one(mention).title == "Cú pháp <!ENTITY x> trong XML"
    public = b'<?xml version="1.0"?><!DOCTYPE rss PUBLIC "-//N//DTD RSS 0.91//EN" "x.dtd"><rss/>'
    assert not declares_entities(public)
    bomb = b'<?xml version="1.0"?><!-- c --><!DOCTYPE r [<!ENTITY a "aa">]><r>&a;</r>'
    assert declares_entities(bomb)
    assert declares_entities(bomb.decode().encode("utf-16"))


# -- undated articles leave their weeks open ---------------------------------------------------


def test_an_undated_article_keeps_a_covered_week_from_being_missed():
    campaign = Campaign(
        "c",
        "c",
        datetime(2017, 9, 20).date(),
        datetime(2017, 10, 31).date(),
        2,
        (ColumnSpec("k", "K"),),
    )
    seen = ((datetime(2017, 9, 1, tzinfo=UTC), datetime(2017, 11, 1, tzinfo=UTC)),)
    span = ((datetime(2017, 10, 4, tzinfo=UTC), datetime(2017, 10, 5, tzinfo=UTC)),)
    now = datetime(2017, 11, 1, tzinfo=UTC)
    plain, _ = audit_column("o", ColumnFacts("k", "x", (), seen), campaign, VN, now)
    doubted, _ = audit_column("o", ColumnFacts("k", "x", (), seen, undated=span), campaign, VN, now)
    assert {w.week: w.status for w in plain}["2017-W40"] == "missed"
    statuses = {w.week: w.status for w in doubted}
    assert statuses["2017-W40"] == "unknown"
    assert statuses["2017-W39"] == statuses["2017-W41"] == "missed"  # outside the span


def test_in_doubt_is_an_overlap():
    a, b, c = (datetime(2017, 10, d, tzinfo=UTC) for d in (2, 9, 16))
    assert in_doubt(a, b, [(a, a)]) and not in_doubt(b, c, [(a, a)])


def test_a_homepage_is_neither_an_article_address_nor_an_identity():
    root = "https://bao.example.vn/"
    items = (
        f"<item><title>Một</title><link>{root}</link><guid>{root}</guid></item>"
        f"<item><title>Hai</title><link>{root}</link><guid>https://bao.example.vn/tin/2</guid></item>"
        + "".join(
            f'<item><title>{t}</title><link>{root}tin/{n}</link><guid isPermaLink="false">'
            f"{root}</guid></item>"
            for n, t in ((3, "Ba"), (4, "Bốn"))
        )
    )
    page = parse_feed(rss(items), FEED_URL)
    assert [a.url for a in page.articles] == [
        "https://bao.example.vn/tin/2",
        "https://bao.example.vn/tin/3",
        "https://bao.example.vn/tin/4",
    ]
    assert page.skipped == (("link is the site's homepage", 1),)


def test_rest_titles_are_stored_as_published_too():
    from auditor.parse.wordpress import parse_posts

    title = unicodedata.normalize("NFD", "Tỉnh uỷ &#8220;hoà&#8221; <em>khoẻ</em>")
    [post] = parse_posts(
        [{"id": 5, "link": "https://bao.example.vn/5", "title": {"rendered": title}}],
        {},
        "https://bao.example.vn/",
    )
    assert post.title == "Tỉnh uỷ \u201choà\u201d khoẻ"
