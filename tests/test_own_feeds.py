"""coverage.own_feeds: which feeds a column's section page announces as its own. The crawl
and `discover` both ask it, so they agree on a section's feed."""

import pytest

from auditor.rules.coverage import own_feeds

SITE = "https://ldld.example.vn/"
HOME = "https://ldld.example.vn/feed/"
A = "https://ldld.example.vn/chuyen-muc/thiet-che/feed/"
B = "https://ldld.example.vn/chuyen-muc/dai-hoi/feed/"


@pytest.mark.parametrize(
    ("announced", "expected"),
    [
        pytest.param([("tc", [A])], [[A]], id="one section, its feed"),
        pytest.param([("tc", [A]), ("dh", [B])], [[A], [B]], id="two sections, a feed each"),
        pytest.param(
            [("tc", [A, HOME]), ("dh", [B, HOME])], [[A], [B]], id="the home feed on every page"
        ),
        pytest.param([("tc", [HOME])], [[]], id="the main feed alone is the site's"),
        pytest.param(
            [("tc", [A]), ("dh", [A])], [[], []], id="one feed on two columns' pages is neither's"
        ),
        pytest.param(
            [("tc", [A]), ("tc", [A])], [[A], [A]], id="two pages of one column share its feed"
        ),
        pytest.param(
            [("tc", ["https://ldld.example.vn/comments/feed/", A])], [[A]], id="comment feeds"
        ),
        pytest.param([("tc", [])], [[]], id="a page without feeds"),
        pytest.param([], [], id="no section at all"),
    ],
)
def test_own_feeds(announced, expected):
    assert own_feeds(announced, SITE) == expected
