import unicodedata
from datetime import UTC, datetime

import pytest

from auditor.errors import ParseError
from auditor.parse.feeds import parse_feed
from auditor.text import TONES

RSS = """<?xml version="1.0" encoding="{enc}"?><rss version="2.0"><channel><title>Báo</title>
<link>https://bao.vn/</link><item><title>{title}</title><link>/tin/bai-1.html?utm_source=rss</link>
<guid>https://bao.vn/?p=17</guid><pubDate>Sun, 01 Oct 2017 23:30:00 +0700</pubDate>
<category>Thiết chế Công đoàn</category><description>&lt;p&gt;Nhà trẻ&lt;/p&gt;</description></item>
</channel></rss>"""


def test_item_fields():
    page = parse_feed(
        RSS.format(enc="UTF-8", title="Nhà trẻ công đoàn").encode(), "https://bao.vn/rss"
    )
    [a] = page.articles
    assert a.url == "https://bao.vn/tin/bai-1.html"  # relative link resolved, utm dropped
    assert a.published == datetime(2017, 10, 1, 16, 30, tzinfo=UTC)
    assert [t.name for t in a.terms] == ["Thiết chế Công đoàn"]
    assert a.summary == "Nhà trẻ" and a.guid == "https://bao.vn/?p=17"


def test_nfd_title_becomes_nfc():
    title = unicodedata.normalize("NFD", "Thiết chế Công đoàn")
    [a] = parse_feed(RSS.format(enc="UTF-8", title=title).encode(), "https://bao.vn/rss").articles
    assert a.title == "Thiết chế Công đoàn"


def to_windows_1258(text: str) -> bytes:
    """Windows-1258 has ô, ơ, ư, đ… precomposed but tone marks only as combining bytes."""
    out = []
    for ch in text:
        parts = unicodedata.normalize("NFD", ch)
        tones = "".join(c for c in parts if c in TONES)
        out.append(unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONES)))
        out.append(tones)
    return "".join(out).encode("cp1258")


def test_windows_1258_feed():
    body = to_windows_1258(RSS.format(enc="windows-1258", title="Thiết chế Công đoàn"))
    [a] = parse_feed(body, "https://bao.vn/rss").articles
    assert a.title == "Thiết chế Công đoàn"
    assert [t.name for t in a.terms] == ["Thiết chế Công đoàn"]


def test_entity_declarations_are_refused():
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]>'
        b'<rss version="2.0"><channel><title>&b;</title></channel></rss>'
    )
    with pytest.raises(ParseError, match="entities"):
        parse_feed(bomb, "u")


@pytest.mark.parametrize(
    "body",
    [b"", "<html><body>Trang chủ</body></html>".encode(), b"\x00\xff" * 50],
    ids=["empty", "html", "binary"],  # ASCII ids: mutmut passes them back to pytest
)
def test_garbage_is_a_parse_error(body):
    with pytest.raises(ParseError, match="not a feed"):
        parse_feed(body, "u")


def test_a_body_naming_a_local_file_is_not_that_file(tmp_path):
    # an outlet answering with the path of a file on the auditor's machine: the body is
    # parsed as the bytes it is, never opened as a file name (feedparser would)
    local = tmp_path / "local-feed.xml"
    local.write_text(RSS.format(enc="UTF-8", title="Bí mật"), encoding="utf-8")
    with pytest.raises(ParseError):
        parse_feed(str(local).encode(), "https://bao.vn/rss")
