"""A bounded fuzz target over the parsers of outlet bytes: feeds, WordPress JSON, homepages.

The contract: whatever an outlet sends, a parser returns a value or raises the error it
declares (ParseError for feeds, WordPressError for REST answers); anything else is a crash.
Inputs are random bytes, mutations of real-looking seeds, and random JSON shaped like posts.

The budget is fixed: AUDITOR_FUZZ_EXAMPLES examples per target (default 60, a few seconds
each on a loaded 2-core machine). For a longer hunt: AUDITOR_FUZZ_EXAMPLES=20000 pytest
tests/test_fuzz.py. Every crash found is kept in tests/data/fuzz/ and replayed below.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditor.errors import ParseError, WordPressError
from auditor.fakesite import FakePost, FakeSite, Handler
from auditor.parse import homepage, wordpress
from auditor.parse import listing as sections
from auditor.parse.feeds import parse_feed
from auditor.types import Campaign, ColumnSpec, Fetched

VN = ZoneInfo("Asia/Ho_Chi_Minh")
CASES = Path(__file__).parent / "data" / "fuzz"
FUZZ = settings(
    max_examples=int(os.environ.get("AUDITOR_FUZZ_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,  # nothing written beside the tests; crashes are kept by hand in CASES
)
CAMPAIGN = Campaign(
    "c",
    "",
    date(2017, 9, 20),
    date(2018, 9, 30),
    2,
    (
        ColumnSpec("loi_ich", "Công đoàn vì lợi ích đoàn viên"),
        ColumnSpec("thiet_che", "Thiết chế Công đoàn", ("Thiết chế",)),
    ),
)

# -- seeds: what outlets really send, to mutate ---------------------------------------------


def _fake_rss() -> bytes:
    site = FakeSite(categories={3: ("Thiết chế Công đoàn", "thiet-che")})
    site.posts = [
        FakePost(i, f"Bài số {i} – Công đoàn & <đoàn viên>", datetime(2018, 1, i, tzinfo=UTC), (3,))
        for i in range(1, 4)
    ]
    handler = Handler.__new__(Handler)
    handler.site = site
    handler.headers = {"Host": "cd.example.vn"}
    return handler.rss(site.published()).encode()


ATOM = (
    b'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
    b"<title>C\xc3\xb4ng \xc4\x91o\xc3\xa0n</title><link href='https://cd.example.vn/'/>"
    b"<entry><title>Tin</title><link href='/2018/01/02/tin/'/><id>urn:1</id>"
    b"<updated>2018-01-02T03:04:05+07:00</updated><summary>x</summary></entry></feed>"
)
HOMEPAGE = (
    '<!doctype html><html><head><meta charset="utf-8"><title>Công đoàn</title>'
    '<link rel="alternate" type="application/rss+xml" href="/feed/">'
    '<link rel="https://api.w.org/" href="https://cd.example.vn/wp-json/">'
    '<meta property="article:published_time" content="2018-01-02T08:00:00+07:00">'
    '<script type="application/ld+json">{"datePublished": "2018-01-02"}</script></head>'
    '<body><nav><ul><li><a href="/chuyen-muc/thiet-che-cong-doan/">Thiết chế Công đoàn</a>'
    '</li><li><a href="/loi-ich/" title="Công đoàn vì lợi ích đoàn viên">Lợi ích</a></li></ul>'
    '</nav><main><div class="item"><a href="/tin/2018/01/bai-viet-so-mot.html">Một bài viết '
    'khá dài về công đoàn</a><span>02/01/2018 08:00</span></div><img src="/banner.png" '
    'alt="Chào mừng Đại hội XII Công đoàn Việt Nam"><a href="?page=2">Trang sau</a></main>'
    "</body></html>"
).encode()
POSTS = json.dumps(
    [
        {
            "id": 7,
            "date_gmt": "2018-01-02T01:00:00",
            "modified_gmt": "2018-01-03T01:00:00",
            "link": "https://cd.example.vn/2018/01/02/bai-7/",
            "title": {"rendered": "Bài &amp; viết"},
            "excerpt": {"rendered": "<p>x</p>"},
            "content": {"rendered": "<p>y</p>"},
            "categories": [3],
            "tags": [9],
            "guid": {"rendered": "https://cd.example.vn/?p=7"},
        }
    ],
    ensure_ascii=False,
).encode()
TERMS = b'[{"id": 3, "name": "Thi\\u1ebft ch\\u1ebf", "slug": "thiet-che", "link": "/c/"}]'


@st.composite
def mutated(draw, seeds: list[bytes]) -> bytes:
    """A seed with a few edits: bytes replaced, inserted, deleted, or a span repeated."""
    data = bytearray(draw(st.sampled_from(seeds)))
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(data)))
        op = draw(st.sampled_from(["replace", "insert", "delete", "repeat", "cut"]))
        chunk = draw(
            st.binary(max_size=8) | st.sampled_from([b"<", b"&", b"]]>", b"\x00", b"\xff\xfe"])
        )
        if op == "replace":
            data[at : at + len(chunk)] = chunk
        elif op == "insert":
            data[at:at] = chunk
        elif op == "delete":
            del data[at : at + draw(st.integers(1, 64))]
        elif op == "repeat":
            data[at:at] = data[at : at + draw(st.integers(1, 200))] * draw(st.integers(2, 5))
        else:
            del data[at:]
    return bytes(data)


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=20)
    | st.sampled_from(["0000-00-00T00:00:00", "2018-01-02T03:04:05", "9999-12-31T23:59:59+14:00"]),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
post_keys = st.sampled_from(
    [
        "id",
        "date_gmt",
        "modified_gmt",
        "link",
        "title",
        "excerpt",
        "content",
        "categories",
        "tags",
        "guid",
        "name",
        "slug",
    ]
)
post_like = st.dictionaries(
    post_keys, json_values | st.just("https://cd.example.vn/a/"), max_size=10
)


# -- the targets ----------------------------------------------------------------------------


def feed_target(body: bytes) -> None:
    try:
        page = parse_feed(body, "https://cd.example.vn/feed/", "application/rss+xml")
    except ParseError:
        return
    for article in page.articles:
        assert article.url.startswith(("http://", "https://"))
        assert article.published is None or article.published.tzinfo is not None


def json_target(body: bytes) -> None:
    page = Fetched("https://cd.example.vn/wp-json/wp/v2/posts", "", 200, {}, body)
    try:
        payload = wordpress.decode_json(page)
    except WordPressError:
        return
    items_target(payload)


def items_target(payload: object) -> None:
    items = payload if isinstance(payload, list) else [payload]
    terms = {(t.kind, t.term_id): t for t in wordpress.parse_terms(items, "category")}
    for article in wordpress.parse_posts(items, terms, "https://cd.example.vn/"):
        assert article.published is None or article.published.tzinfo is not None


def html_target(body: bytes) -> None:
    text = homepage.decode_html(body, "text/html")
    page = homepage.read_page(text, "https://cd.example.vn/")
    homepage.menu_sections(page, CAMPAIGN)
    wordpress.api_from_html(text, "https://cd.example.vn/")
    sections.read_listing(text, "https://cd.example.vn/chuyen-muc/x/", VN)
    sections.article_date(text, VN)


TARGETS = {"feed": feed_target, "json": json_target, "html": html_target}


@FUZZ
@given(st.binary(max_size=2048) | mutated([_fake_rss(), ATOM]))
def test_fuzz_feed_parser(body):
    feed_target(body)


@FUZZ
@given(st.binary(max_size=512) | mutated([POSTS, TERMS]))
def test_fuzz_wordpress_json(body):
    json_target(body)


@FUZZ
@given(st.lists(post_like, max_size=5) | json_values)
def test_fuzz_wordpress_items(payload):
    items_target(payload)


@FUZZ
@given(st.binary(max_size=2048) | mutated([HOMEPAGE]))
def test_fuzz_homepage_parsers(body):
    html_target(body)


# -- crashes found, replayed ----------------------------------------------------------------


@pytest.mark.parametrize(
    "case", sorted(CASES.glob("*")) if CASES.exists() else [], ids=lambda p: p.name
)
def test_fuzz_regressions(case):
    """tests/data/fuzz/<target>-<what>.bin: bytes that once crashed that target."""
    TARGETS[case.name.split("-", 1)[0]](case.read_bytes())


def test_bad_posts_are_skipped_and_good_ones_kept():
    """The fixes behind tests/data/fuzz/json-*: one odd post no longer loses the page."""
    items = [
        {"id": 1e999, "link": "https://cd.example.vn/a/", "categories": True, "tags": [3, "x"]},
        {"id": 2, "link": "http://[", "title": "no URL to count it by"},
        {"id": 3, "link": "javascript:alert(1)"},
        {"id": 4, "link": "/b/", "categories": [1e999, 5]},
    ]
    posts = wordpress.parse_posts(items, {}, "https://cd.example.vn/")
    assert [p.url for p in posts] == ["https://cd.example.vn/a", "https://cd.example.vn/b"]
    assert [p.wp_id for p in posts] == [None, 4]
    assert [t.term_id for t in posts[0].terms] == [3] and [t.term_id for t in posts[1].terms] == [5]


def test_feed_items_without_a_web_link_are_skipped():
    page = parse_feed((CASES / "feed-atom-urn-id-without-link.xml").read_bytes(), "https://x.vn/f")
    assert page.articles == ()
