"""The homepage reader with exact outputs: charsets, the regions text and images sit in,
what counts as visible text, feeds, frames, refresh, stylesheets, images a browser draws,
srcset choice, and the menu links that name a column (with their evidence)."""

from __future__ import annotations

from datetime import date

import pytest

from auditor.parse.homepage import (
    Block,
    Image,
    Link,
    _int,
    _largest,
    _region,
    _selector_region,
    css_images,
    decode_html,
    menu_sections,
    read_page,
)
from auditor.types import Campaign, ColumnSpec, SectionSeen

B = "https://cd.example.vn/a/"
TEXT = "Chào mừng Đại hội"

DECODE = {
    "charset from the content type": (
        TEXT.encode("utf-16-le"),
        "text/html; charset=UTF-16LE",
        TEXT,
    ),
    "quoted charset, then another parameter": (
        TEXT.encode("utf-16-be"),
        'text/html; charset="utf-16-be";x=1',  # no space needed before the next
        TEXT,
    ),
    # a page in UTF-16 cannot declare itself in ASCII: these bytes only test the reading
    "charset from a meta tag, quoted": (
        b'<meta charset="utf-16-le">',
        "",
        b'<meta charset="utf-16-le">'.decode("utf-16-le"),
    ),
    "charset from a meta tag, single quotes": (
        b"<meta charset='utf-16-be'>",
        "",
        b"<meta charset='utf-16-be'>".decode("utf-16-be"),
    ),
    "charset from a meta tag, unquoted": (
        b"<meta charset=utf-16-le>",
        "",
        b"<meta charset=utf-16-le>".decode("utf-16-le"),
    ),
    # koi8-r below: a charset that is not the windows-1258 fallback, so reading it shows
    "unquoted, ended by the tag": (b"<meta charset=koi8-r>x\xd0", "", "<meta charset=koi8-r>xп"),
    "a semicolon after the name": (
        b"<meta content=charset=koi8-r;x>\xd0",
        "",
        "<meta content=charset=koi8-r;x>п",
    ),
    "an empty name before a semicolon": (b"charset=;\xc4\x91", "", "charset=;đ"),
    "http-equiv content type, charset before a quote": (
        b"<meta http-equiv='Content-Type' content='text/html; charset=cp1258'>\xd0",
        "",
        "<meta http-equiv='Content-Type' content='text/html; charset=cp1258'>\u0110",
    ),
    "charset then a semicolon": (
        b'<meta content="charset=cp1258;x" x>\xd0',
        "",
        '<meta content="charset=cp1258;x" x>\u0110',
    ),
    "charset then a space": (
        b"<meta content=charset=cp1258 x>\xd0",
        "",
        "<meta content=charset=cp1258 x>\u0110",
    ),
    "the header wins over the page": (
        b'<meta charset="cp1258">\xc4\x91',
        "text/html; charset=utf-8",
        '<meta charset="cp1258">\u0111',
    ),
    "unknown charset: utf-8": (b"charset=nope \xc4\x91", "", "charset=nope \u0111"),
    "empty charset: utf-8": (b'charset="" \xc4\x91', "", 'charset="" \u0111'),
    "not utf-8: windows-1258": ("Đoàn".encode("cp1258"), "", "Đoàn"),
    "neither: utf-8 with replacement": (b"\x81\xff", "", "\ufffd\ufffd"),
    "a charset past the first 4096 bytes is not read": (
        b" " * 4096 + b'<meta charset="cp1258">\xc4\x91',
        "",
        " " * 4096 + '<meta charset="cp1258">\u0111',
    ),
}


@pytest.mark.parametrize("body,ctype,text", DECODE.values(), ids=DECODE.keys())
def test_decode_html(body, ctype, text):
    assert decode_html(body, ctype) == text


PAGE = """<html><head><title>LĐLĐ  tỉnh</title>
<meta http-equiv="REFRESH" content="5; URL='/portal/'">
<link rel="Alternate" type="Application/RSS+XML" href="/feed/">
<link rel="alternate" type="application/atom+xml" href="">
<link rel="alternate" type="text/html" href="/amp/">
<link rel="feed" type="application/rss+xml" href="/not-alternate/">
<link rel="alternate stylesheet" href="alt.css">
<link rel="stylesheet" href="">
<style>.a{}</style><script>var x="<p>no</p>";</script><noscript><p>bật js</p></noscript>
</head><body>
<div id="top-bar" class="Main  wrap"><h1 title=" Trang chủ " aria-label="   ">Báo<br>Công đoàn</h1>
<nav><a href="/tin-tuc" title="Tin">Tin <b>tức</b></a><a href="">rỗng</a><a>no href</a></nav></div>
<aside><p>Bên lề</p><iframe src="/video"></iframe><frame src=""></aside>
<div class="site-footer" id="Main"><span>Chân</span> trang</p></div>
<marquee>Chạy chữ</marquee>
<img src="javascript:void(0)" alt="js"><img src="/x.png" width=" 800px " height="80%">
<div data-background="/bg1.jpg" data-background-image=" /bg2.jpg "
 style="background:url(/bg3.jpg);width:700px;height:90px"></div>
<img src="data:image/png;base64,AAA" width="abc" aria-label="Ảnh">
</body></html>"""


def test_a_whole_page():
    p = read_page(PAGE, B)
    assert p.blocks == [
        Block("LĐLĐ tỉnh", "body"),
        Block("Báo Công đoàn", "top"),
        Block("Tin tứcrỗngno href", "nav"),
        Block("Bên lề", "sidebar"),
        Block("Chân trang", "footer"),
        Block("Chạy chữ", "marquee"),
    ]
    assert p.attributes == [
        Block("Trang chủ", "top h1[title]"),
        Block("Tin", "nav a[title]"),
        Block("js", "body img[alt]"),
        Block("Ảnh", "body img[aria-label]"),
    ]
    h = "https://cd.example.vn/"
    assert p.images == [
        Image(h + "x.png", "body", "", 800, 0, "img"),
        Image(h + "bg1.jpg", "body", "", 700, 90, "lazy background"),
        Image(h + "bg2.jpg", "body", "", 700, 90, "lazy background"),
        Image(h + "bg3.jpg", "body", "", 700, 90, "inline style"),
        Image("data:image/png;base64,AAA", "body", "", 0, 0, "img"),
    ]
    assert p.links == [Link(h + "tin-tuc", "Tin tức", "nav", "Tin")]
    assert p.feeds == [h + "feed/"]
    assert p.stylesheets == [B + "alt.css"]
    assert p.styles == [".a{}"]
    assert p.scripts == 1
    # BáoCôngđoàn Tintức rỗng nohref Bênlề Chântrang Chạychữ: not the title, not <noscript>
    assert p.visible_chars == 11 + 6 + 4 + 6 + 5 + 9 + 7
    assert p.regions == {"top-bar": "top", "Main": "top", "wrap": "top", "site-footer": "footer"}
    assert p.refresh == h + "portal/"
    assert p.frames == [h + "video"]


PAGES = {
    "inline svg: its <text> lines only; a stray end tag stays inside": (
        '<div class="banner"><svg><title>Ảnh</title><text>Chào</text><g></p><text>mừng</text>'
        "</g></svg>Sau</div><p>Tiếp</p>",
        [("Chào mừng", "banner"), ("Sau", "banner"), ("Tiếp", "body")],
        len("ChàomừngSauTiếp"),
    ),
    "a nested svg closes only itself": (
        "<svg><text>A</text><svg><text>B</text></svg><text>C</text><title>Z</title></svg><p>D</p>",
        [("A", "body"), ("B", "body"), ("C", "body"), ("D", "body")],
        4,
    ),
    "two <text> lines are two words": (
        "<svg><text>A</text><text>B</text></svg>",
        [("A B", "body")],
        2,
    ),
    "words loose in an svg are not drawn": (
        "<svg><text>A</text>loose</svg>",
        [("A", "body")],
        1,
    ),
    "an svg's group region ends with the svg": (
        '<div class="banner"><svg><g class="slider"><text>A</text></g></svg>Sau</div>',
        [("A", "banner"), ("Sau", "banner")],
        4,
    ),
    "an end tag of a block outside the svg stays inside it": (
        '<div class="banner"><svg><text>A</text></div><text>B</text></svg>C</div><p>D</p>',
        [("A B", "banner"), ("C", "banner"), ("D", "body")],
        4,
    ),
    "an end tag closes what it opened and all inside": (
        '<div id="slider"><p>a<span>b</div>c</p>',
        [("ab", "slider"), ("c", "body")],
        3,
    ),
    "an end tag nobody opened changes nothing": (
        '<div class="slide"></span>a</div>',
        [("a", "slide")],
        1,
    ),
    "skipped tags nest and never go below zero": (
        "</script><script><style></style>x</script>y<p>z</p>",
        [("y", "body"), ("z", "body")],
        2,
    ),
    "the title's text is a block but not visible text": (
        "<title>Tựa</title><p>ab</p>",
        [("Tựa", "body"), ("ab", "body")],
        2,
    ),
    "a title inside a block closes at its own end": (
        "<div><title>T</title>ab</div>",
        [("T", "body"), ("ab", "body")],
        2,
    ),
}


@pytest.mark.parametrize("html_text,blocks,chars", PAGES.values(), ids=PAGES.keys())
def test_blocks_and_visible_text(html_text, blocks, chars):
    p = read_page(html_text, B)
    assert [(b.text, b.region) for b in p.blocks] == blocks
    assert p.visible_chars == chars


H = "https://cd.example.vn/"
IMAGES = {
    "lazy source over src, trimmed, with its alt": (
        '<header class="slider"><img src=p.png data-lazy-src=" /lazy.png " alt="A"></header>',
        [Image(H + "lazy.png", "header", "A", 0, 0, "lazy img")],
    ),
    "data-url": ('<img data-url="/u.png">', [Image(H + "u.png", "body", "", 0, 0, "lazy img")]),
    "data-lazy": ('<img data-lazy="/l.png">', [Image(H + "l.png", "body", "", 0, 0, "lazy img")]),
    "a blank lazy source is passed over": (
        '<img data-src="  " src="/s.png">',
        [Image(H + "s.png", "body", "", 0, 0, "img")],
    ),
    "lazy srcset before srcset": (
        '<div class="nav-top"><img data-lazy-srcset="/l1.jpg 100w, /l2.jpg 300w" '
        'srcset="/s.jpg 900w" src="/ph.gif"></div>',
        [Image(H + "l2.jpg", "top", "", 0, 0, "srcset")],
    ),
    "an img inside a picture is an img": (
        '<picture><img src="/p.jpg" srcset="/p1.jpg 1x, /p2.jpg 2x"></picture>',
        [Image(H + "p2.jpg", "body", "", 0, 0, "srcset")],
    ),
    "a picture source, lazy srcset": (
        '<picture><source data-srcset="/a.webp 1x, /b.webp 2x"></picture>',
        [Image(H + "b.webp", "body", "", 0, 0, "picture")],
    ),
    "a source outside a picture": ('<video><source srcset="/v.jpg"></video>', []),
    "a javascript: lazy source": ('<img data-src="JavaScript:x()">', []),
    "a data background, sized by its attributes": (
        '<div data-bg="/b.jpg" width="900" height="100"></div>',
        [Image(H + "b.jpg", "body", "", 900, 100, "lazy background")],
    ),
    "attribute sizes win over the style's": (
        '<div width="10" style="background-image:url(/c.jpg);width:900px;height:99px"></div>',
        [Image(H + "c.jpg", "body", "", 10, 99, "inline style")],
    ),
    "an img without a source": ("<img alt='x'>", []),
}


@pytest.mark.parametrize("html_text,images", IMAGES.values(), ids=IMAGES.keys())
def test_images(html_text, images):
    assert read_page(html_text, B).images == images


SRCSETS = {
    "largest width": ("a.jpg 480w, b.jpg 1600w, c.jpg 800w", "b.jpg"),
    "no space after the comma": ("a.jpg 480w,b.jpg 1600w", "b.jpg"),
    "a bare candidate is 1x": ("a.jpg, b.jpg 2x", "b.jpg"),
    "a density under 1x loses to a bare one": ("a.jpg 0.5x, b.jpg", "b.jpg"),
    "fractional densities": ("a.jpg 1.5x, b.jpg 1x", "a.jpg"),
    "ties keep the first": ("a.jpg 2x, b.jpg 2x", "a.jpg"),
    "an unknown descriptor is 1x": ("a.jpg big, b.jpg", "a.jpg"),
    "a descriptor must be whole": ("a.jpg 9wide, b.jpg 2x", "b.jpg"),
    "empty candidates are passed over": (" , a.jpg", "a.jpg"),
    "nothing": ("", ""),
}


@pytest.mark.parametrize("srcset,best", SRCSETS.values(), ids=SRCSETS.keys())
def test_largest_srcset_candidate(srcset, best):
    assert _largest(srcset) == best


@pytest.mark.parametrize(
    "value,number",
    [("800", 800), (" 800px ", 800), ("80%", 0), (None, 0), ("12.5", 0), (7, 7), ("", 0)],
)
def test_int(value, number):
    assert _int(value) == number


REGIONS = {
    "header tag": ("header", {}, "header"),
    "nav tag": ("nav", {"class": "banner"}, "nav"),
    "footer tag": ("footer", {}, "footer"),
    "marquee tag": ("marquee", {}, "marquee"),
    "aside is a sidebar": ("aside", {}, "sidebar"),
    "a class word, case-blind": ("div", {"class": "Home-SLIDER"}, "slider"),
    "marquee before slider": ("div", {"class": "slider-marquee"}, "marquee"),
    "slider before slide": ("div", {"id": "x", "class": "slides slider"}, "slider"),
    "an id word": ("div", {"id": "sidebar-right"}, "sidebar"),
    "nothing": ("div", {"class": "content"}, ""),
    "id and class are not run together": ("div", {"id": "ba", "class": "nner"}, ""),
}


@pytest.mark.parametrize("tag,attrs,region", REGIONS.values(), ids=REGIONS.keys())
def test_region(tag, attrs, region):
    assert _region(tag, attrs) == region


SELECTORS = {
    "the last name with a region word": ("#main .banner-img", {}, "banner"),
    "the name drawn is read first": (".slider .header-x", {}, "header"),
    "a name placed on the page": ("#x .visual", {"visual": "top"}, "top"),
    "a name placed in the body is read on": (".hd .visual", {"visual": "body", "hd": "nav"}, "nav"),
    "a tag in the selector": ("div > footer a.x", {}, "footer"),
    "the last tag": ("header nav", {}, "nav"),
    "aside tag": ("aside p", {}, "sidebar"),
    "a tag word inside a name is no tag": ("my-footer p", {}, "stylesheet"),
    "a tag after an attribute": ('[data-x="1"]footer', {}, "footer"),
    "a name on the page, no region": (".content", {"content": "body"}, "body"),
    "a name not on the page": (".gone", {"other": "body"}, "stylesheet"),
}


@pytest.mark.parametrize("selector,regions,region", SELECTORS.values(), ids=SELECTORS.keys())
def test_selector_region(selector, regions, region):
    assert _selector_region(selector, regions) == region


CAMPAIGN = Campaign(
    "1476",
    "",
    date(2017, 9, 20),
    date(2018, 9, 30),
    2,
    (
        ColumnSpec("thiet-che", "Thiết chế Công đoàn"),
        ColumnSpec("dai-hoi", "Hướng tới Đại hội", ("Đại hội XII",)),
    ),
)


def test_stylesheet_images_are_whole():
    page = read_page('<div class="top-x"></div>', B)
    css = ".top-x { background: url(/t.png); width: 900px; height: 90px }"
    assert css_images(page, css, B) == [Image(H + "t.png", "top", "", 900, 90, "stylesheet")]


def test_a_refresh_to_a_broken_address_goes_nowhere():
    page = read_page('<meta http-equiv="refresh" content="0; url=http://[bad/">', B)
    assert page.refresh == ""


def test_menu_sections():
    page = read_page(
        '<nav><a href="/chuyen-muc/thiet-che-cong-doan/">Thiết chế Công đoàn</a>'
        '<a href="/chuyen-muc/thiet-che-cong-doan/">Thiết chế Công đoàn</a>'
        '<a href="/c/huong-toi-dai-hoi.html" title="x"><img src="/i.png"></a>'
        '<a href="/dh12" title="Đại hội XII"></a><a href="/tin">Tin tức</a>'
        '<a href="/c2/huong-toi-dai-hoi/" title="y"></a></nav>'
        '<a href="/khac/thiet-che-cong-doan">Thiết chế công đoàn</a>',
        B,
    )
    assert menu_sections(page, CAMPAIGN) == [
        SectionSeen(
            "thiet-che",
            H + "chuyen-muc/thiet-che-cong-doan/",
            f"nav link 'Thiết chế Công đoàn' → {H}chuyen-muc/thiet-che-cong-doan/ matched by name",
        ),
        SectionSeen(
            "dai-hoi",
            H + "c/huong-toi-dai-hoi.html",
            f"nav link 'x' → {H}c/huong-toi-dai-hoi.html matched by slug",
        ),
        SectionSeen("dai-hoi", H + "dh12", f"nav link 'Đại hội XII' → {H}dh12 matched by alias"),
        SectionSeen(
            "dai-hoi",
            H + "c2/huong-toi-dai-hoi/",
            f"nav link 'y' → {H}c2/huong-toi-dai-hoi/ matched by slug",
        ),
        SectionSeen(
            "thiet-che",
            H + "khac/thiet-che-cong-doan",
            f"body link 'Thiết chế công đoàn' → {H}khac/thiet-che-cong-doan matched by name",
        ),
    ]


ODDITIES = {
    "entities in text": (
        "<p>Nhà &amp; đất &#273;ây</p>",
        "blocks",
        [Block("Nhà & đất đây", "body")],
    ),
    "a skipped tag inside another": (
        "<noscript><style>.a{}</style>bật JS</noscript><p>x</p>",
        "blocks",
        [Block("x", "body")],
    ),
    "a refresh kept past a later meta": (
        '<meta http-equiv="refresh" content="0; url=/p/"><meta name="viewport" content="w">',
        "refresh",
        "https://cd.example.vn/p/",
    ),
    "a refresh without content": ('<meta http-equiv="refresh">', "refresh", ""),
    "a meta that is no refresh": ('<meta name="x" content="5; url=/other/">', "refresh", ""),
    "a frame without a source": ("<iframe></iframe><frame>", "frames", []),
    "a stylesheet link without an address": ('<link rel="stylesheet">', "stylesheets", []),
    "a feed link without an address": (
        '<link rel="alternate" type="application/rss+xml">',
        "feeds",
        [],
    ),
    "a link tag without rel": ('<link href="/x.css">', "stylesheets", []),
    "an <a> is no feed link": (
        '<a rel="alternate" type="application/rss+xml" href="/f/">RSS</a>',
        "feeds",
        [],
    ),
    "a picture source without a srcset": (
        '<picture><source type="image/webp"></picture>',
        "images",
        [],
    ),
}


@pytest.mark.parametrize("html_text,part,expected", ODDITIES.values(), ids=ODDITIES.keys())
def test_oddities(html_text, part, expected):
    assert getattr(read_page(html_text, B), part) == expected
