"""auditor.crawl.discover with an in-memory client: from a homepage to feeds, the WordPress API,
each column's section (and its own feed), and the config snippet that explains each."""

from __future__ import annotations

import contextlib

from fakeclient import rss
from test_crawl_layer import CAMPAIGN

from auditor.crawl.discover import discover, looks_like_url, snippet
from auditor.errors import FetchError
from auditor.types import Fetched

SITE = "https://cd.example.vn/"
HTML = "text/html; charset=utf-8"
JSON = "application/json"
RSS = "application/rss+xml"


class Client:
    """Pages by exact URL (query included), every request recorded; anything else 404."""

    def __init__(self, pages: dict[str, tuple]):
        self.pages, self.requested = pages, []

    def get(self, url: str, **_) -> Fetched:
        self.requested.append(url)
        if url not in self.pages:
            raise FetchError(url, "HTTP 404", status=404)
        body, ctype, *headers = self.pages[url]
        headers = {"content-type": ctype, **(headers[0] if headers else {})}
        return Fetched(url, url, 200, headers, body.encode())

    def purpose(self, why: str):
        """The crawl labels its requests (discovery, listing, …); nothing to label here."""
        return contextlib.nullcontext()


def homepage(head: str = "", menu: str = "") -> str:
    return (
        f"<html><head><title>LĐLĐ tỉnh Mẫu</title>{head}</head><body>"
        f"<nav><ul>{menu}</ul></nav><p>Tin hoạt động</p></body></html>"
    )


def alternate(href: str) -> str:
    return f'<link rel="alternate" type="application/rss+xml" href="{href}">'


MENU = (
    '<li><a href="/chuyen-muc/thiet-che/">Thiết chế Công đoàn</a></li>'
    '<li><a href="/tin-tuc/">Tin tức</a></li>'
    '<li><a href="/dai-hoi/">Đại hội Công đoàn</a></li>'
)
PROBES = [
    SITE + "wp-json/wp/v2/categories?per_page=1&_fields=id",
    SITE + "?rest_route=/wp/v2/categories&per_page=1&_fields=id",
]


def portal() -> dict:
    """Not WordPress: feeds announced (a comment feed too), one column's section with a
    feed of its own (and the site's), the other's without."""
    head = alternate(SITE + "feed/") + alternate(SITE + "comments/feed/")
    section_head = alternate(SITE + "chuyen-muc/thiet-che/feed/") + alternate(SITE + "feed/")
    return {
        SITE: (homepage(head, MENU), HTML),
        SITE + "chuyen-muc/thiet-che/": (homepage(section_head), HTML),
        SITE + "dai-hoi/": (homepage(alternate(SITE + "dai-hoi/comments/feed/")), HTML),
    }


def test_a_portal_that_is_not_wordpress():
    client = Client(portal())
    d = discover(SITE, CAMPAIGN, client)
    assert d.reached and d.errors == []
    assert d.title == "LĐLĐ tỉnh Mẫu"
    assert d.feeds == [SITE + "feed/"]  # the comment feed left out
    assert d.feed_note == 'announced by <link rel="alternate">'
    assert d.api_root == ""
    assert d.api_note.startswith("not WordPress")
    assert [(s.column_id, s.url) for s in d.sections] == [
        ("tc", SITE + "chuyen-muc/thiet-che/"),
        ("dh", SITE + "dai-hoi/"),
    ]
    # the section's own feed, not the site's it repeats; a comment feed is no column feed
    assert d.section_feeds == {SITE + "chuyen-muc/thiet-che/": SITE + "chuyen-muc/thiet-che/feed/"}
    assert client.requested[0] == SITE
    assert set(client.requested) == {SITE, *PROBES, *(s.url for s in d.sections)}
    # a menu section that is no column ("Tin tức") is never fetched


def test_the_snippet_of_a_portal_says_where_each_column_is_read_and_why():
    d = discover(SITE, CAMPAIGN, Client(portal()))
    lines = snippet(d).splitlines()
    assert lines[:7] == [
        f"  # discovered from {SITE}",
        "  - id: ldld-tinh-mau",
        '    name: "LĐLĐ tỉnh Mẫu"',
        "    kind: website",
        f'    url: "{SITE}"',
        f'    feeds: ["{SITE}feed/"]  # announced by <link rel="alternate">',
        "    wordpress: false  # not WordPress (no api.w.org link, no answer at /wp-json/ or "
        "?rest_route=/)",
    ]
    assert lines[7:10] == [
        "    columns:",
        f'      tc: {{feed: "{SITE}chuyen-muc/thiet-che/feed/"}}',
        f"      # ↑ nav link 'Thiết chế Công đoàn' → {SITE}chuyen-muc/thiet-che/ matched by name "
        "(its own feed)",
    ]
    assert lines[10] == f'      dh: {{section: "{SITE}dai-hoi/"}}'


def test_a_section_that_fails_is_an_error_line_and_the_rest_goes_on():
    pages = portal()
    del pages[SITE + "chuyen-muc/thiet-che/"]
    d = discover(SITE, CAMPAIGN, Client(pages))
    assert d.errors == [f"section {SITE}chuyen-muc/thiet-che/: HTTP 404"]
    assert d.section_feeds == {}
    assert [s.column_id for s in d.sections] == ["tc", "dh"]
    assert f"  # error: section {SITE}chuyen-muc/thiet-che/: HTTP 404" in snippet(d)


def test_wordpress_advertised_by_a_link_header_is_not_probed():
    link = {"link": f'<{SITE}wp-json/>; rel="https://api.w.org/"'}
    client = Client({SITE: (homepage(alternate(SITE + "feed/"), MENU), HTML, link)})
    d = discover(SITE, CAMPAIGN, client)
    assert (d.api_root, d.api_note) == (SITE + "wp-json/", "advertised by the homepage")
    assert not set(PROBES) & set(client.requested)
    text = snippet(d)
    assert f'    wordpress: "{SITE}wp-json/"  # advertised by the homepage' in text
    # on WordPress the columns come from its categories: the menu is only a comment
    assert "    columns:" not in text
    assert "    # WordPress: columns are found from its categories; menu sections seen:" in text
    assert f'    # tc: {{section: "{SITE}chuyen-muc/thiet-che/"}}' in text


def test_wordpress_without_pretty_links_found_by_the_rest_route_probe():
    client = Client({SITE: (homepage(), HTML), PROBES[1]: ('[{"id": 1}]', JSON)})
    d = discover(SITE, CAMPAIGN, client)
    assert (d.api_root, d.api_note) == (SITE + "?rest_route=/", "answered a probe")


def test_a_probe_answering_something_else_than_a_list_is_not_wordpress():
    client = Client({SITE: (homepage(), HTML), PROBES[0]: ('{"code": "x"}', JSON)})
    assert discover(SITE, CAMPAIGN, client).api_root == ""


def test_no_feed_announced_then_the_common_paths_are_tried_in_order():
    feed = rss([(SITE + "2017/10/02/a/", "Bài", "Mon, 02 Oct 2017 02:00:00 +0000")])
    client = Client(
        {
            SITE: (homepage(), HTML),
            SITE + "feed/": ("<html>not a feed</html>", HTML),
            SITE + "rss.xml": (feed, RSS),
            SITE + "feed.xml": (feed, RSS),
        }
    )
    d = discover(SITE, CAMPAIGN, client)
    assert (d.feeds, d.feed_note) == ([SITE + "rss.xml"], "found at the common path rss.xml")
    assert client.requested[1:4] == [SITE + "feed/", SITE + "rss/", SITE + "rss.xml"]


def test_no_feed_anywhere_is_said_in_the_snippet():
    d = discover(SITE, CAMPAIGN, Client({SITE: (homepage(), HTML)}))
    assert d.feeds == [] and d.feed_note == "no feed announced or at the common paths"
    assert "    # feeds: none found (no feed announced or at the common paths)" in snippet(d)


def test_an_unreachable_homepage_is_an_error_not_an_empty_outlet():
    d = discover(SITE, CAMPAIGN, Client({}))
    assert (d.reached, d.errors, d.sections, d.feeds) == (False, ["homepage: HTTP 404"], [], [])
    assert snippet(d, outlet_id="mau").splitlines()[:3] == [
        f"  # discovered from {SITE}",
        "  # error: homepage: HTTP 404",
        "  - id: mau",
    ]


LOOKS = {
    "https": ("https://cd.vn/", True),
    "http with spaces around": ("  http://cd.vn  ", True),
    "no scheme": ("congdoan.vn", False),
    "another scheme": ("ftp://cd.vn/", False),
    "no host": ("https:///x", False),
}


def test_looks_like_url():
    assert {k: looks_like_url(u) for k, (u, _) in LOOKS.items()} == {
        k: expected for k, (_, expected) in LOOKS.items()
    }


def test_a_feed_every_section_announces_is_no_sections_own():
    """The crawl's rule (coverage.own_feeds): a feed on both columns' pages, not the site's
    announced one, belongs to neither column."""
    pages = portal()
    shared = alternate(SITE + "tin-moi/feed/")
    pages[SITE + "chuyen-muc/thiet-che/"] = (homepage(shared), HTML)
    pages[SITE + "dai-hoi/"] = (homepage(shared), HTML)
    d = discover(SITE, CAMPAIGN, Client(pages))
    assert d.errors == [] and len(d.sections) == 2
    assert d.section_feeds == {}
