"""The WordPress REST module rule by rule, with exact outputs: where the API is advertised,
how route URLs are built, what counts as a JSON answer, the JSON → terms and posts
mapping, and where a paged collection ends (a fake `get`, no server)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

import pytest

from auditor.errors import FetchError, WordPressError
from auditor.parse import wordpress as wp
from auditor.types import Article, Fetched, Term

LINKS = {
    "quoted rel": ('<https://x.vn/wp-json/>; rel="https://api.w.org/"', "https://x.vn/wp-json/"),
    "bare rel": ("<https://x.vn/wp-json/>; rel=https://api.w.org/", "https://x.vn/wp-json/"),
    "spaces around =": ('<https://x.vn/a/> ; rel = "https://api.w.org/"', "https://x.vn/a/"),
    "relative target, against the base": (
        '</blog/wp-json/>; rel="https://api.w.org/"',
        "https://x.vn/blog/wp-json/",
    ),
    "the second link": (
        '<https://x.vn/?p=5>; rel=shortlink, <https://x.vn/wp-json/>; rel="https://api.w.org/"',
        "https://x.vn/wp-json/",
    ),
    "a comma inside a parameter stays in it": (
        '<https://x.vn/?p=5>; title="a, b"; rel=shortlink, '
        '<https://x.vn/j/>; rel="https://api.w.org/"',
        "https://x.vn/j/",
    ),
    "another rel": ('<https://x.vn/wp-json/>; rel="https://api.w.org/x"', "https://x.vn/wp-json/"),
    "no rel": ("<https://x.vn/wp-json/>; title=api", None),
    "another API": ('<https://x.vn/wp-json/>; rel="https://example.org/"', None),
    "an unbalanced bracket": ('<http://[x/>; rel="https://api.w.org/"', None),
    "empty": ("", None),
    "none": (None, None),
}


@pytest.mark.parametrize("value,api", LINKS.values(), ids=LINKS.keys())
def test_api_from_link_header(value, api):
    assert wp.api_from_link_header(value, "https://x.vn/") == api


HTMLS = {
    "the link tag": ('<link rel="https://api.w.org/" href="/wp-json/">', "https://x.vn/wp-json/"),
    "rel with spaces around": (
        '<link rel=" https://api.w.org/ " href="https://x.vn/j/">',
        "https://x.vn/j/",
    ),
    "the first of two": (
        '<link rel="https://api.w.org/" href="/a/"><link rel="https://api.w.org/" href="/b/">',
        "https://x.vn/a/",
    ),
    "no href": (
        '<link rel="https://api.w.org/"><link rel="https://api.w.org/" href="/b/">',
        ("https://x.vn/b/"),
    ),
    "another rel": ('<link rel="alternate" href="/feed/">', None),
    "an <a>, not a <link>": ('<a rel="https://api.w.org/" href="/wp-json/">', None),
    "no rel": ('<link href="/wp-json/">', None),
    "an unbalanced bracket": ('<link rel="https://api.w.org/" href="http://[x/">', None),
}


@pytest.mark.parametrize("html_text,api", HTMLS.values(), ids=HTMLS.keys())
def test_api_from_html(html_text, api):
    assert wp.api_from_html(html_text, "https://x.vn/") == api


def homepage(headers: dict, body: bytes) -> Fetched:
    return Fetched("https://x.vn/", "https://x.vn/moved/", 200, headers, body)


def test_api_from_homepage_header_first_then_body_against_the_final_address():
    body = b'<link rel="https://api.w.org/" href="wp-json/">'
    assert wp.api_from_homepage(homepage({}, body)) == "https://x.vn/moved/wp-json/"
    header = {"link": '<h/>; rel="https://api.w.org/"'}
    assert wp.api_from_homepage(homepage(header, body)) == "https://x.vn/moved/h/"
    assert wp.api_from_homepage(homepage({}, b"<p>\xff no api</p>")) is None
    # the body is read up to 2 MB: a link past that is not looked for
    fits = b" " * (2_000_000 - len(body)) + body
    assert wp.api_from_homepage(homepage({}, fits)) == "https://x.vn/moved/wp-json/"
    assert wp.api_from_homepage(homepage({}, b" " + fits)) is None


def test_roots_and_routes():
    assert wp.site_base("https://x.vn/blog") == "https://x.vn/blog/"
    assert wp.site_base("https://x.vn/blog/") == "https://x.vn/blog/"
    assert wp.candidate_roots("https://x.vn/blog") == [
        "https://x.vn/blog/wp-json/",
        "https://x.vn/blog/?rest_route=/",
    ]
    assert (
        wp.route_url("https://x.vn/wp-json", "/wp/v2/posts/") == "https://x.vn/wp-json/wp/v2/posts"
    )
    assert (
        wp.route_url("https://x.vn/?rest_route=/", "/wp/v2/tags/", page=1)
        == "https://x.vn/?rest_route=/wp/v2/tags&page=1"
    )
    # a root with another parameter after rest_route (a multilingual site's ?lang=)
    assert (
        wp.route_url("https://x.vn/?rest_route=/&lang=vi", "wp/v2/posts")
        == "https://x.vn/?lang=vi&rest_route=/wp/v2/posts"
    )
    build = wp.page_url("https://x.vn/wp-json/", "wp/v2/posts", "id,link", categories=5)
    assert build(3) == (
        "https://x.vn/wp-json/wp/v2/posts?per_page=100&page=3&_fields=id,link&categories=5"
    )
    assert wp.gmt_param(datetime(2017, 10, 1, 1, 2, 3, tzinfo=timezone(timedelta(hours=7)))) == (
        "2017-09-30T18:02:03"
    )


def answer(body: bytes, url: str = "https://x.vn/wp-json/wp/v2/posts") -> Fetched:
    return Fetched(url, url, 200, {}, body)


JSON_OK = {
    "a list": (b"[1, 2]", [1, 2]),
    "an object": (b'{"a": 1}', {"a": 1}),
    "a BOM and spaces": (b"\xef\xbb\xbf \n[]\n", []),
    "another error code passes": (b'{"code": "rest_other"}', {"code": "rest_other"}),
}


@pytest.mark.parametrize("body,payload", JSON_OK.values(), ids=JSON_OK.keys())
def test_decode_json(body, payload):
    assert wp.decode_json(answer(body)) == payload


JSON_BAD = {
    "an HTML page": (b"  <!DOCTYPE html><html>", "HTML instead of JSON"),
    "an html tag": (b"<HTML><body>", "HTML instead of JSON"),
    "text": (b"Forbidden", "something else instead of JSON"),
    "a tag that is not html": (b"<?xml version='1.0'?><rss>", "something else instead of JSON"),
    "empty": (b"", "something else instead of JSON"),
    "broken": (b'{"a": ', "broken JSON: "),
    "REST disabled": (b'{"code": "rest_disabled"}', "API answered rest_disabled"),
    "REST forbidden": (b'{"code":"rest_forbidden","message":"x"}', "API answered rest_forbidden"),
    "no route": (b'{"code":"rest_no_route"}', "API answered rest_no_route"),
    "login required": (b'{"code":"rest_login_required"}', "API answered rest_login_required"),
    "not logged in": (b'{"code":"rest_not_logged_in"}', "API answered rest_not_logged_in"),
    "cannot access": (b'{"code":"rest_cannot_access"}', "API answered rest_cannot_access"),
}


@pytest.mark.parametrize("body,message", JSON_BAD.values(), ids=JSON_BAD.keys())
def test_decode_json_refuses(body, message):
    with pytest.raises(WordPressError) as e:
        wp.decode_json(answer(body))
    assert e.value.url == "https://x.vn/wp-json/wp/v2/posts"
    assert str(e.value).startswith(f"WordPress REST API unusable: {message}")


def test_error_code():
    def code(body: bytes) -> str:
        return wp.error_code(FetchError("u", "HTTP 400", status=400, body=body))

    assert code(b'\xef\xbb\xbf{"code": "rest_post_invalid_page_number"}') == (
        "rest_post_invalid_page_number"
    )
    assert code(b'{"message": "x"}') == ""
    assert code(b"[1]") == ""
    assert code(b"") == ""


def test_parse_terms():
    items = [
        {
            "id": 3,
            "name": "Thiết chế &amp; Công đoàn",
            "slug": "thiet-che",
            "link": "https://x.vn/c/",
        },
        {"id": "4", "name": "Cha\u0300o"},
        {"name": "no id"},
        "not a dict",
        {"id": "x", "name": 5},
    ]
    assert wp.parse_terms(items, "tag") == [
        Term("tag", "Thiết chế & Công đoàn", "thiet-che", 3, "https://x.vn/c/"),
        Term("tag", "Chào", "", 4, ""),
        Term("tag", "5", "", None, ""),
    ]


def test_parse_posts():
    known = {
        ("category", 3): Term("category", "Thiết chế", "thiet-che", 3),
        ("tag", 9): Term("tag", "Nhà ở", "nha-o", 9),
    }
    items = [
        "not a dict",
        {"id": 1, "title": "no link"},
        {"id": 2, "link": "javascript:void(0)"},
        {
            "id": "7",
            "link": "/a/?utm_source=x",
            "date_gmt": "2017-10-01T01:00:00",
            "modified_gmt": "2017-10-02T02:00:00",
            "title": {"rendered": "<b>Nhà</b> &amp; ở"},
            "guid": {"rendered": " https://x.vn/?p=7 "},
            "excerpt": {"rendered": "<p>Tóm tắt</p>"},
            "content": {"rendered": "<p>Một</p><p>Hai</p>"},
            "categories": [3, 4, "x"],
            "tags": [9, 10],
        },
        {"link": "https://x.vn/b/", "title": "plain", "categories": "3", "tags": None},
    ]
    got = wp.parse_posts(items, known, "https://x.vn/")
    assert got == [
        Article(
            url="https://x.vn/a",  # canonical: tracking dropped, no trailing slash
            title="Nhà & ở",
            published=datetime(2017, 10, 1, 1, tzinfo=UTC),
            modified=datetime(2017, 10, 2, 2, tzinfo=UTC),
            source="rest",
            guid="https://x.vn/?p=7",
            wp_id=7,
            summary="Tóm tắt",
            text="Một Hai",
            terms=(
                Term("category", "Thiết chế", "thiet-che", 3),
                Term("category", "", "", 4),
                Term("tag", "Nhà ở", "nha-o", 9),
                Term("tag", "", "", 10),
            ),
        ),
        Article(
            url="https://x.vn/b",
            title="plain",
            published=None,
            modified=None,
            source="rest",
            guid="",
            wp_id=None,
            summary="",
            text="",
            terms=(),
        ),
    ]


GMT = {
    "no offset is UTC": ("2017-10-29T16:30:00", datetime(2017, 10, 29, 16, 30, tzinfo=UTC)),
    "Z": ("2017-10-29T16:30:00Z", datetime(2017, 10, 29, 16, 30, tzinfo=UTC)),
    "an offset is honoured": (
        "2017-10-29T23:30:00+07:00",
        datetime(2017, 10, 29, 16, 30, tzinfo=UTC),
    ),
    "zeros": ("0000-00-00T00:00:00", None),
    "empty": ("", None),
    "not a string": (1509294600, None),
    "garbage": ("hôm qua", None),
}


@pytest.mark.parametrize("value,when", GMT.values(), ids=GMT.keys())
def test_parse_gmt(value, when):
    got = wp.parse_gmt(value)
    assert got == when
    if got is not None:
        assert got.utcoffset() == timedelta(0)


@pytest.mark.parametrize(
    "value,number",
    [(5, 5), ("5", 5), (" 5 ", 5), (None, None), ("x", None), (float("inf"), None), ([], None)],
)
def test_int(value, number):
    assert wp._int(value) == number


# -- paging ---------------------------------------------------------------------------------


def listing_page(n: int, total: int | None = None) -> Fetched:
    headers = {"x-wp-totalpages": str(total)} if total is not None else {}
    return Fetched("u", "u", 200, headers, json.dumps([{"id": i} for i in range(n)]).encode())


class Pages:
    """A fake `get` over page number → answer (a Fetched or a FetchError to raise)."""

    def __init__(self, answers: dict):
        self.answers, self.asked = answers, []

    def __call__(self, url: str) -> Fetched:
        n = int(url)
        self.asked.append(n)
        found = self.answers[n]
        if isinstance(found, Exception):
            raise found
        return found


def past_end(code: str = "rest_post_invalid_page_number", status: int = 400) -> FetchError:
    return FetchError(
        "u", f"HTTP {status}", status=status, body=json.dumps({"code": code}).encode()
    )


FULL = 100
PAGING = {
    "the announced last page": (
        {1: listing_page(FULL, 2), 2: listing_page(FULL, 2)},
        9,
        200,
        2,
        True,
    ),
    "one announced page": ({1: listing_page(FULL, 1)}, 9, 100, 1, True),
    "past the announced total": ({1: listing_page(FULL, 1)}, 9, 100, 1, True),
    "announced more, the next page is full": (
        {1: listing_page(FULL, 3), 2: listing_page(FULL, 3), 3: listing_page(5, 3)},
        9,
        205,
        3,
        True,
    ),
    "a short page with more announced goes on": (
        {1: listing_page(3, 2), 2: listing_page(2, 2)},
        9,
        5,
        2,
        True,
    ),
    "no total: a short page ends it": ({1: listing_page(99)}, 9, 99, 1, True),
    "no total: a full page goes on": ({1: listing_page(FULL), 2: listing_page(0)}, 9, 100, 2, True),
    "an empty page ends it, whatever is announced": ({1: listing_page(0, 5)}, 9, 0, 1, True),
    "an unreadable total is no total": (
        {
            1: Fetched("u", "u", 200, {"x-wp-totalpages": "many"}, b"[1, 2]"),
        },
        9,
        2,
        1,
        True,
    ),
    "the page cap leaves it incomplete": (
        {1: listing_page(FULL, 5), 2: listing_page(FULL, 5)},
        2,
        200,
        2,
        False,
    ),
    "the cap exactly at the last page is complete": (
        {1: listing_page(FULL, 2), 2: listing_page(FULL, 2)},
        2,
        200,
        2,
        True,
    ),
    "a cap of one": ({1: listing_page(FULL, 5)}, 1, 100, 1, False),
    "the 400 past the last page": ({1: listing_page(FULL), 2: past_end()}, 9, 100, 1, True),
}


@pytest.mark.parametrize("answers,cap,items,pages,complete", PAGING.values(), ids=PAGING.keys())
def test_list_collection(answers, cap, items, pages, complete):
    got = wp.list_collection(Pages(answers), str, cap)
    assert (len(got.items), got.pages, got.complete) == (items, pages, complete)


@pytest.mark.parametrize(
    "answers",
    [
        {1: past_end()},  # on the first page it means no collection at all
        {1: listing_page(FULL), 2: past_end("rest_forbidden")},
        {1: listing_page(FULL), 2: past_end(status=404)},
        {1: listing_page(FULL), 2: FetchError("u", "timeout")},
    ],
    ids=["on page 1", "another code", "another status", "no status"],
)
def test_list_collection_raises_other_failures(answers):
    with pytest.raises(FetchError):
        wp.list_collection(Pages(answers), str, 9)


def test_list_collection_wants_a_list():
    get = Pages({1: Fetched("u", "u", 200, {}, b'{"id": 1}')})
    with pytest.raises(WordPressError) as e:
        wp.list_collection(get, str, 9)
    assert (e.value.url, e.value.reason) == ("1", "expected a JSON list")


def test_list_collection_asks_page_by_page():
    get = Pages({1: listing_page(FULL, 3), 2: listing_page(FULL, 3), 3: listing_page(FULL, 3)})
    wp.list_collection(get, str, 9)
    assert get.asked == [1, 2, 3]


def test_probe():
    asked = []

    def get_for(body: bytes | Exception):
        def get(url: str) -> Fetched:
            asked.append(url)
            if isinstance(body, Exception):
                raise body
            return answer(body, url)

        return get

    assert wp.probe(get_for(b"[]"), "https://x.vn/wp-json/") is True
    assert asked == ["https://x.vn/wp-json/wp/v2/categories?per_page=1&_fields=id"]
    assert wp.probe(get_for(b'{"id": 1}'), "https://x.vn/wp-json/") is False
    assert wp.probe(get_for(b"<html>"), "https://x.vn/wp-json/") is False
    assert wp.probe(get_for(FetchError("u", "HTTP 404", status=404)), "https://x.vn/") is False


@pytest.fixture
def machine_in_hanoi(monkeypatch):
    """The machine's own zone set to UTC+7: nothing read as UTC may depend on it."""
    import time

    monkeypatch.setenv("TZ", "Asia/Ho_Chi_Minh")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_gmt_values_never_depend_on_the_machine_zone(machine_in_hanoi):
    naive = wp.parse_gmt("2017-10-29T16:30:00")
    assert naive.isoformat() == "2017-10-29T16:30:00+00:00"
    aware = wp.parse_gmt("2017-10-29T23:30:00+07:00")
    assert aware.isoformat() == "2017-10-29T16:30:00+00:00"
    assert wp.gmt_param(datetime(2017, 10, 29, 16, 30, tzinfo=UTC)) == "2017-10-29T16:30:00"


def test_bytes_that_are_not_utf8_are_replaced_not_fatal():
    assert wp.decode_json(answer(b'["a\xffb"]')) == ["a\ufffdb"]
    e = FetchError("u", "HTTP 400", status=400, body=b'{"code": "rest_x", "m": "\xff"}')
    assert wp.error_code(e) == "rest_x"


def test_missing_names_and_renderings_are_empty():
    assert wp.parse_terms([{"id": 5}], "category") == [Term("category", "", "", 5, "")]
    [post] = wp.parse_posts(
        [{"link": "https://x.vn/a", "title": {"raw": "x"}, "guid": {}, "excerpt": None}],
        {},
        "https://x.vn/",
    )
    assert (post.title, post.guid, post.summary) == ("", "", "")
