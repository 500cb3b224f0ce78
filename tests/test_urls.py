"""auditor.urls case by case: one article per outlet and canonical URL."""

from __future__ import annotations

import pytest

from auditor import urls

SITE = "https://cd.example.vn/tin/"

CANONICAL = {
    "scheme and host lower-cased, default port, fragment, tracking and slash dropped, "
    "parameters sorted": (
        "HTTP://CongDoan.VN:80/Tin-Tuc/?utm_source=fb&b=2&a=1#top",
        "http://congdoan.vn/Tin-Tuc?a=1&b=2",
    ),
    "https default port dropped, an empty path is /": ("https://cd.vn:443", "https://cd.vn/"),
    "another port kept": ("https://cd.vn:8443/a/", "https://cd.vn:8443/a"),
    "an IPv6 literal keeps its brackets": ("http://[::1]:8080/x/", "http://[::1]:8080/x"),
    "relative link resolved against the page, spaces trimmed": (
        "  /bai-1/ ",
        "https://cd.example.vn/bai-1",
    ),
    "a relative path resolved below the page": ("bai-2/", "https://cd.example.vn/tin/bai-2"),
    "every tracking parameter dropped, the post id kept": (
        "http://cd.vn/?p=12&fbclid=x&amp=1&ref=a&gclid=g&zarsrc=30&UTM_Medium=m",
        "http://cd.vn/?p=12",
    ),
    "a blank parameter kept": ("http://cd.vn/a/?q=", "http://cd.vn/a?q="),
    "a parameter merely starting like a tracking one kept": (
        "http://cd.vn/a?reference=1",
        "http://cd.vn/a?reference=1",
    ),
}


@pytest.mark.parametrize("url,expected", CANONICAL.values(), ids=CANONICAL.keys())
def test_canonical_url(url, expected):
    assert urls.canonical_url(url, SITE) == expected


URL_KEY = {
    "http and https, www. or not, are one page": (
        ["https://www.CD.vn/a/?x=1", "http://cd.vn/a?x=1", "http://www.cd.vn/a/?x=1&utm_source=z"],
        "cd.vn/a?x=1",
    ),
    "no query: no question mark": (["http://cd.vn/a", "https://www.cd.vn/a/#c"], "cd.vn/a"),
    "a port stays part of the host": (["http://cd.vn:8080/a"], "cd.vn:8080/a"),
}


@pytest.mark.parametrize("variants,expected", URL_KEY.values(), ids=URL_KEY.keys())
def test_url_key(variants, expected):
    assert [urls.url_key(v) for v in variants] == [expected] * len(variants)


def test_url_key_keeps_other_subdomains_apart():
    assert urls.url_key("https://tin.cd.vn/a") != urls.url_key("https://cd.vn/a")


JOIN = {
    "empty href is no link (not the page itself)": ("", None),
    "blank href is no link": ("   ", None),
    "relative href, spaces trimmed": ("  b ", "https://cd.vn/a/b"),
    "absolute href": ("http://other.vn/x", "http://other.vn/x"),
    "an unbalanced [ in the host is refused, not raised": ("http://[bad/", None),
}


@pytest.mark.parametrize("href,expected", JOIN.values(), ids=JOIN.keys())
def test_join_url(href, expected):
    assert urls.join_url("https://cd.vn/a/", href) == expected


WEB = {
    "a urn id is no web page": ("urn:uuid:1", None),
    "javascript: is no web page": ("javascript:void(0)", None),
    "mailto: is no web page": ("mailto:cd@cd.vn", None),
    "a relative link made absolute and canonical": ("/x/?utm_source=a", "https://cd.vn/x"),
    "a broken host refused": ("http://[bad/", None),
    "blank": ("  ", None),
    "a scheme without a host": ("http:///x", None),
}


@pytest.mark.parametrize("url,expected", WEB.values(), ids=WEB.keys())
def test_web_url(url, expected):
    assert urls.web_url(url, "https://cd.vn/") == expected


POST_ID = {
    "short link": ("https://cd.vn/?p=123", 123),
    "among other parameters": ("https://cd.vn/?cat=1&p=7", 7),
    "not a number": ("https://cd.vn/?p=abc", None),
    "a page id is not a post id": ("https://cd.vn/?page_id=5", None),
    "a permalink has none": ("https://cd.vn/2017/10/02/bai-5/", None),
    "negative is not an id": ("https://cd.vn/?p=-3", None),
}


@pytest.mark.parametrize("url,expected", POST_ID.values(), ids=POST_ID.keys())
def test_wp_post_id(url, expected):
    assert urls.wp_post_id(url) == expected


def test_with_params_replaces_and_appends_keeping_the_rest():
    assert (
        urls.with_params("https://cd.vn/feed/?paged=2&x=1#f", paged=3, per_page=100)
        == "https://cd.vn/feed/?x=1&paged=3&per_page=100#f"
    )


def test_with_params_leaves_slashes_and_commas_readable():
    assert (
        urls.with_params("https://cd.vn/?rest_route=/wp/v2/posts", _fields="id,date")
        == "https://cd.vn/?rest_route=/wp/v2/posts&_fields=id,date"
    )


SAME_SITE = {
    "www. and case and scheme do not matter": ("https://www.CD.vn/a", "http://cd.vn/", True),
    "a host that merely starts with the site's is another site": (
        "https://cd.vn.evil.com/",
        "https://cd.vn/",
        False,
    ),
    "a subdomain is another site": ("https://tin.cd.vn/", "https://cd.vn/", False),
}


@pytest.mark.parametrize("url,site,expected", SAME_SITE.values(), ids=SAME_SITE.keys())
def test_same_site(url, site, expected):
    assert urls.same_site(url, site) is expected


PREFIX = {
    "a page below the section": ("https://cd.vn/tin-tuc/bai-1", "https://cd.vn/tin-tuc/", True),
    "the section itself, slash or not": ("https://cd.vn/tin-tuc/", "https://cd.vn/tin-tuc", True),
    "a sibling whose name starts the same is not below": (
        "https://cd.vn/tin-tuc-khac",
        "https://cd.vn/tin-tuc",
        False,
    ),
    "scheme and host case do not matter": (
        "HTTPS://CD.VN/tin-tuc/a",
        "https://cd.vn/tin-tuc",
        True,
    ),
    "another host is not below": ("https://cd2.vn/tin-tuc/a", "https://cd.vn/tin-tuc", False),
}


@pytest.mark.parametrize("url,prefix,expected", PREFIX.values(), ids=PREFIX.keys())
def test_under_prefix(url, prefix, expected):
    assert urls.under_prefix(url, prefix) is expected


def test_a_space_before_the_fragment_goes_with_it():
    # found by the idempotence property: "0 #" gave "http:///0 ", whose form was "http:///0"
    once = urls.canonical_url("0 #")
    assert once == urls.canonical_url(once) == "http:///0"
    assert urls.canonical_url("https://a.vn/bai-1 #top") == "https://a.vn/bai-1"
