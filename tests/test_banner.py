"""The banner rule: real-looking positives and near misses."""

import pytest

from auditor.parse.css import imports
from auditor.parse.homepage import css_images, read_page
from auditor.parse.images import ImageInfo, data_uri, sniff, svg_text
from auditor.rules.banner import (
    banner_shaped,
    logo_like,
    match_banner,
    ocr_candidates,
    script_shell,
    shape_candidates,
)

PRESENT = {
    "the directive's words": "Chào mừng đại hội công đoàn các cấp và Đại hội Công đoàn Việt "
    "Nam lần thứ XII",
    "upper case": "CHÀO MỪNG ĐẠI HỘI CÔNG ĐOÀN VIỆT NAM LẦN THỨ XII",
    "line breaks and nbsp": "Chào mừng\nĐại hội\u00a0Công đoàn\r\nViệt Nam lần thứ XII",
    "entities": "Ch&agrave;o mừng Đại hội C&ocirc;ng đo&agrave;n Việt Nam lần thứ XII",
    "short form": "Nhiệt liệt chào mừng Đại hội XII Công đoàn Việt Nam",
    "abbreviations": "Chào mừng ĐH CĐVN lần thứ XII",
    "arabic number": "Chào mừng Đại hội Công đoàn Việt Nam lần thứ 12",
    "congress of delegates": "Chào mừng Đại hội đại biểu toàn quốc Công đoàn Việt Nam lần "
    "thứ XII, nhiệm kỳ 2018 - 2023",
    "only the lower levels": "Chào mừng đại hội công đoàn các cấp",
    "no diacritics (file name)": "chao-mung-dai-hoi-cong-doan-viet-nam-lan-thu-xii.jpg",
    "NFD": "Cha\u0300o mừng Đại hội Công đoàn Việt Nam lần thứ XII",
    "old tone placement": "Chào mừng Đại hội Công đoàn Việt Nam lần thứ XII – khoá XII",
}

ABSENT = {
    "youth union congress": "Chào mừng Đại hội Đoàn TNCS Hồ Chí Minh lần thứ XII",
    "party congress": "Chào mừng Đại hội Đảng bộ tỉnh lần thứ XII",
    "eleventh congress": "Chào mừng Đại hội Công đoàn Việt Nam lần thứ XI",
    "thirteenth congress": "Chào mừng Đại hội Công đoàn Việt Nam lần thứ XIII",
    "column name, no greeting": "Hướng tới Đại hội Công đoàn Việt Nam lần thứ XII",
    "other greeting": "Chào mừng 88 năm ngày thành lập Công đoàn Việt Nam",
    "greeting far from the congress": "Chào mừng quý độc giả đến với trang thông tin điện tử "
    "của Liên đoàn Lao động tỉnh, nơi cập nhật tin tức, sự kiện, hoạt động của các cấp "
    "công đoàn trong tỉnh. Chuyên mục: Đại hội Công đoàn Việt Nam lần thứ XII",
    "sports festival": "Chào mừng Đại hội Thể dục thể thao toàn quốc lần thứ XII",
    "shareholders": "Chào mừng Đại hội đồng cổ đông năm 2018",
    "empty": "",
}


@pytest.mark.parametrize("text", PRESENT.values(), ids=PRESENT.keys())
def test_banner_present(text):
    assert match_banner(text) is not None


@pytest.mark.parametrize("text", ABSENT.values(), ids=ABSENT.keys())
def test_banner_absent(text):
    assert match_banner(text) is None


# -- what a browser would draw: images of a page, read from its HTML and CSS ----------------

BASE = "https://ldld.example.vn/"

IMAGES = {
    "plain img": ('<img src="/a.png" width="800">', ("https://ldld.example.vn/a.png", "img")),
    "lazy data-src over its placeholder": (
        '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" data-src="/b.jpg">',
        ("https://ldld.example.vn/b.jpg", "lazy img"),
    ),
    "lazy data-original": (
        '<img src="/blank.gif" data-original="up/c.jpg">',
        ("https://ldld.example.vn/up/c.jpg", "lazy img"),
    ),
    "largest of a srcset": (
        '<img src="/s.jpg" srcset="/s-480.jpg 480w,/s-1600.jpg 1600w, /s-800.jpg 800w">',
        ("https://ldld.example.vn/s-1600.jpg", "srcset"),
    ),
    "densities in a lazy srcset": (
        '<img data-srcset="/d.jpg 1x, /d@2x.jpg 2x">',
        ("https://ldld.example.vn/d@2x.jpg", "srcset"),
    ),
    "picture source": (
        '<picture><source srcset="/p.webp" type="image/webp"><img src="/p.jpg"></picture>',
        ("https://ldld.example.vn/p.webp", "picture"),
    ),
    "inline background": (
        "<div style=\"background:#fff url('/bg.png') no-repeat\"></div>",
        ("https://ldld.example.vn/bg.png", "inline style"),
    ),
    "lazy background": (
        '<div data-bg="/lazy-bg.jpg"></div>',
        ("https://ldld.example.vn/lazy-bg.jpg", "lazy background"),
    ),
}


@pytest.mark.parametrize("html_text,expected", IMAGES.values(), ids=IMAGES.keys())
def test_images_a_browser_draws(html_text, expected):
    page = read_page(html_text, BASE)
    assert (page.images[0].src, page.images[0].origin) == expected


def test_a_source_outside_picture_is_no_image():
    page = read_page('<video><source src="/v.mp4"></video>', BASE)
    assert page.images == []


def test_page_counts_scripts_and_visible_text_and_keeps_styles():
    page = read_page(
        "<html><head><title>Một tiêu đề rất dài không hiện trên trang</title>"
        '<link rel="stylesheet" href="/css/a.css"><style>.x{background:url(x.png)}</style>'
        '</head><body><div id="app"></div><noscript>Bật JavaScript</noscript>'
        '<script src="/app.js"></script><script>var a = "chữ";</script></body></html>',
        BASE,
    )
    assert (page.scripts, page.visible_chars) == (2, 0)
    assert page.stylesheets == ["https://ldld.example.vn/css/a.css"]
    assert page.styles == [".x{background:url(x.png)}"]
    assert script_shell(page)
    assert not script_shell(
        read_page("<p>" + "Tin tức công đoàn. " * 20 + "</p><script></script>", BASE)
    )
    assert not script_shell(read_page("<p>Ngắn</p>", BASE))  # short, but no scripts


def test_stylesheet_backgrounds_are_placed_by_their_selectors():
    page = read_page('<div id="header"><div class="visual"></div></div><div class="x"></div>', BASE)
    css = (
        "/* a comment with url(no.png) */ @font-face { src: url(font.woff) }"
        '@media screen and (min-width: 900px) { .visual { background-image: url("h.jpg");'
        " width: 1000px } } footer .x { background: url(f.png) } .x { color: red;"
        " background: none } .slider-item{background:url( s.jpg )} .y{background:url(y.png)}"
    )
    got = [(i.src, i.region, i.width) for i in css_images(page, css, BASE + "css/site.css")]
    assert got == [
        ("https://ldld.example.vn/css/h.jpg", "header", 1000),
        ("https://ldld.example.vn/css/f.png", "footer", 0),
        ("https://ldld.example.vn/css/s.jpg", "slider", 0),
        ("https://ldld.example.vn/css/y.png", "stylesheet", 0),
    ]


def drawn_bytes(fmt: str, size=(1400, 140)) -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, (200, 0, 0)).save(out, fmt)
    return out.getvalue()


@pytest.mark.parametrize(
    "fmt,name",
    [
        ("PNG", "png"),
        ("JPEG", "jpeg"),
        ("GIF", "gif"),
        ("WEBP", "webp"),
        ("BMP", "bmp"),
        ("TIFF", "tiff"),
    ],
)
def test_image_format_and_size_come_from_the_bytes(fmt, name):
    info = sniff(drawn_bytes(fmt, (1400, 140)))
    assert info.format == name
    if name != "tiff":
        assert (info.width, info.height) == (1400, 140)


def test_lossless_webp_size():
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (333, 77)).save(out, "WEBP", lossless=True)
    assert sniff(out.getvalue()) == ImageInfo("webp", 333, 77)


def test_what_is_not_an_image():
    assert sniff(b"<!doctype html><html><body>404</body></html>") is None
    assert sniff(b"") is None
    assert sniff(b"\xff\xd8\xff") == ImageInfo("jpeg")  # truncated: format known, size not
    svg = (
        b'<?xml version="1.0"?>\n<svg><title>x</title><text>Ch&#224;o m\xe1\xbb\xabng</text></svg>'
    )
    assert sniff(svg) == ImageInfo("svg")
    assert svg_text(svg) == "x Chào mừng"
    assert data_uri("data:image/gif;base64,R0lGODlh", 100) == b"GIF89a"
    assert data_uri("data:image/gif;base64,!!!", 100) is None
    assert data_uri("data:text/plain,a%20b", 100) == b"a b"


LOGOS = {
    "square logo": ((120, 120), True),
    "tall small icon": ((64, 100), True),
    "placeholder pixel": ((1, 1), True),
    "thin strip": ((1200, 30), True),
    "banner": ((1400, 140), False),
    "slide": ((800, 400), False),
    "unknown size": ((0, 0), False),
    "large square ad": ((600, 600), False),
}


@pytest.mark.parametrize("size,logo", LOGOS.values(), ids=LOGOS.keys())
def test_small_square_logo_is_no_banner(size, logo):
    assert logo_like(*size) is logo


def test_ocr_candidates_leave_out_logos_and_read_banner_regions_first():
    page = read_page(
        '<div id="header"><img src="/logo.png" width="120" height="120"><img src="/h.png"></div>'
        '<div class="banner"><img data-src="/b.png"></div><img src="/wide.png" width="900">'
        '<img src="/small.png">',
        BASE,
    )
    got = [i.src.rsplit("/", 1)[-1] for i in ocr_candidates(page.images)]
    assert got == ["b.png", "h.png", "wide.png"]


def test_inline_svg_banner_is_read_by_its_drawn_words():
    svg = (
        '<div class="banner"><svg viewBox="0 0 1200 120"><title>Ảnh</title><style>.t{}</style>'
        '<path d="M0 0"/><text x="0" y="40">Chào mừng Đại hội</text>'
        '<text y="80"><tspan>Công đoàn Việt Nam lần thứ XII</tspan></text></svg></div>'
        "<p>Tin mới</p>"
    )
    page = read_page(svg, BASE)
    assert [(b.text, b.region) for b in page.blocks] == [
        ("Chào mừng Đại hội Công đoàn Việt Nam lần thứ XII", "banner"),
        ("Tin mới", "body"),
    ]
    assert page.visible_chars == len("ChàomừngĐạihộiCôngđoànViệtNamlầnthứXIITinmới")


def test_unsized_images_of_the_page_are_sized_by_fetching_them():
    page = read_page(
        '<nav><img src="/menu-bg.png"></nav><div class="hd"><img src="/a.jpg">'
        '<img src="/thumb.jpg" width="300" height="200"><img src="/wide.jpg" width="900"></div>'
        '<div id="header"><img src="/h.png"></div><footer><img src="/f.png"></footer>',
        BASE,
    )
    prominent = ocr_candidates(page.images)
    assert [i.src.rsplit("/", 1)[-1] for i in prominent] == ["h.png", "wide.jpg"]
    later = shape_candidates(page.images, prominent)
    assert [i.src.rsplit("/", 1)[-1] for i in later] == ["a.jpg"]
    assert banner_shaped(1400, 140) and banner_shaped(1000, 500)
    assert not banner_shaped(400, 300) and not banner_shaped(800, 600)


def test_stylesheet_imports():
    css = '/* @import "no.css"; */ @import url("../parent/style.css"); @import \'print.css\' print;'
    assert imports(css, "https://x.vn/child/style.css") == [
        "https://x.vn/parent/style.css",
        "https://x.vn/child/print.css",
    ]


def test_meta_refresh_target():
    head = '<meta http-equiv="Refresh" content="3;url=\'home.aspx\'">'
    assert read_page(head, "https://x.vn/a/").refresh == "https://x.vn/a/home.aspx"
    assert read_page('<meta http-equiv="refresh" content="300">', BASE).refresh == ""
