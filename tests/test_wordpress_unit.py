"""WordPress quirks met on a real 6.1 site, each pinned by a test."""

from datetime import UTC, datetime

from auditor.errors import FetchError
from auditor.parse.wordpress import (
    api_from_link_header,
    error_code,
    list_collection,
    parse_gmt,
    parse_posts,
    route_url,
)
from auditor.types import Fetched


def test_route_url_for_both_root_forms():
    assert (
        route_url("https://x.vn/wp-json/", "wp/v2/posts", page=2)
        == "https://x.vn/wp-json/wp/v2/posts?page=2"
    )
    # sites without pretty permalinks advertise index.php?rest_route=/
    assert (
        route_url("http://x.vn/index.php?rest_route=/", "wp/v2/posts", page=2)
        == "http://x.vn/index.php?rest_route=/wp/v2/posts&page=2"
    )


def test_link_header_with_several_links():
    value = '<https://x.vn/wp-json/>; rel="https://api.w.org/", <https://x.vn/?p=5>; rel=shortlink'
    assert api_from_link_header(value, "https://x.vn/") == "https://x.vn/wp-json/"
    assert api_from_link_header("<https://x.vn/?p=5>; rel=shortlink", "https://x.vn/") is None


def test_gmt_dates_have_no_offset_and_zero_means_unset():
    assert parse_gmt("2017-10-29T16:30:00") == datetime(2017, 10, 29, 16, 30, tzinfo=UTC)
    assert parse_gmt("0000-00-00T00:00:00") is None
    assert parse_gmt(None) is None


def test_entities_in_rendered_titles():
    [post] = parse_posts(
        [
            {
                "id": 7,
                "link": "https://x.vn/a/",
                "date_gmt": "2017-10-01T01:00:00",
                "title": {"rendered": "Nhà ở &#8211; &#8220;an cư&#8221; &amp; việc làm"},
                "categories": [3],
            }
        ],
        {},
        "https://x.vn/",
    )
    assert post.title == "Nhà ở – “an cư” & việc làm"
    assert [t.term_id for t in post.terms] == [3]


def page(items, total_pages=None):
    headers = {"x-wp-totalpages": str(total_pages)} if total_pages else {}
    import json

    return Fetched("u", "u", 200, headers, json.dumps(items).encode())


def test_listing_ends_at_the_400_past_the_last_page():
    answers = {1: page([{"id": i} for i in range(100)]), 2: page([{"id": 100}])}

    def get(url):
        n = int(url)
        if n in answers:
            return answers[n]
        raise FetchError(
            url, "HTTP 400", status=400, body=b'{"code":"rest_post_invalid_page_number"}'
        )

    # no X-WP-TotalPages and a full first page: the second, short page ends it
    listing = list_collection(get, str, 10)
    assert listing.complete and len(listing.items) == 101
    answers[2] = page([{"id": i} for i in range(100, 200)])
    listing = list_collection(get, str, 10)
    assert listing.complete and len(listing.items) == 200 and listing.pages == 2


def test_error_code_of_a_json_error_page():
    e = FetchError("u", "HTTP 401", status=401, body=b'{"code":"rest_not_logged_in"}')
    assert error_code(e) == "rest_not_logged_in"
    assert error_code(FetchError("u", "HTTP 403", status=403, body=b"<html>")) == ""
