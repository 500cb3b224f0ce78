"""The banner rules one by one, with exact outputs: the key the rule reads, the verdict of a
page and its evidence, the script-shell reasons, and the size limits that choose which
images are worth reading (each limit tried on both sides of its edge)."""

from __future__ import annotations

import pytest

from auditor.parse.homepage import Block, Image, Page
from auditor.rules.banner import (
    BannerMatch,
    PageVerdict,
    banner_key,
    banner_shaped,
    check_page,
    logo_like,
    match_banner,
    ocr_candidates,
    script_shell,
    shape_candidates,
)

KEYS = {
    "file name: dashes, underscores, dots": (
        "Chao-mung_dai.hoi/cong-doan.jpg",
        "chao mung dai hoi cong doan jpg",
    ),
    "entities and marks": ("Ch&agrave;o m&#7915;ng &amp; Đ", "chao mung d"),
    "punctuation becomes one space": ("Chào mừng!!!  (Đại hội)", "chao mung dai hoi"),
    "dhcd": ("ĐHCĐ XII", "dai hoi cong doan xii"),
    "cdvn": ("CĐVN", "cong doan viet nam"),
    "dh and cd": ("ĐH CĐ", "dai hoi cong doan"),
    "tld": ("TLĐ", "tong lien doan"),
    "an abbreviation inside a word stays": ("cdvnx dhx", "cdvnx dhx"),
    "empty": ("", ""),
    "none": (None, ""),
}


@pytest.mark.parametrize("text,key", KEYS.values(), ids=KEYS.keys())
def test_banner_key(text, key):
    assert banner_key(text) == key


MATCHES = {
    "the long form": (
        "Nhiệt liệt chào mừng Đại hội Công đoàn Việt Nam lần thứ XII!",
        BannerMatch(
            "chao mung dai hoi cong doan viet nam lan thu xii",
            "dai hoi cong doan viet nam lan thu xii",
        ),
    ),
    "the lower levels": (
        "Chào mừng đại hội công đoàn các cấp",
        BannerMatch("chao mung dai hoi cong doan cac cap", "dai hoi cong doan cac cap"),
    ),
    "a gap before the congress is kept in the match": (
        "Chào mừng thành công Đại hội XII Công đoàn Việt Nam",
        BannerMatch(
            "chao mung thanh cong dai hoi xii cong doan viet nam",
            "dai hoi xii cong doan viet nam",
        ),
    ),
    "12 followed by a letter is another number": ("Chào mừng Đại hội CĐVN lần thứ 12a", None),
    "120 characters of gap are allowed": (
        "chào mừng " + "x" * 118 + " đại hội công đoàn các cấp",
        BannerMatch(
            "chao mung " + "x" * 118 + " dai hoi cong doan cac cap", "dai hoi cong doan cac cap"
        ),
    ),
    "121 are not": ("chào mừng " + "x" * 119 + " đại hội công đoàn các cấp", None),
}


@pytest.mark.parametrize("text,match", MATCHES.values(), ids=MATCHES.keys())
def test_match_banner_exact(text, match):
    assert match_banner(text) == match


BANNER = "Chào mừng Đại hội Công đoàn Việt Nam lần thứ XII"
FILE = "chao-mung-dai-hoi-cong-doan-viet-nam-lan-thu-xii.jpg"


def page(**parts) -> Page:
    return Page(**parts)


VERDICTS = {
    "a text block, cut to 300 characters": (
        page(blocks=[Block("Tin", "body"), Block(BANNER + " " + "x" * 400, "slider")]),
        PageVerdict("present", (BANNER + " " + "x" * 400)[:300], "text in slider"),
    ),
    "an alt text, after the blocks": (
        page(
            blocks=[Block("Tin mới", "body")],
            attributes=[Block("Logo", "header img[alt]"), Block(BANNER, "banner img[alt]")],
        ),
        PageVerdict("present", BANNER, "banner img[alt]"),
    ),
    "a block wins over an attribute": (
        page(blocks=[Block(BANNER, "top")], attributes=[Block(BANNER, "banner img[title]")]),
        PageVerdict("present", BANNER, "text in top"),
    ),
    "an image file name": (
        page(images=[Image("https://x.vn/a/logo.png", "header"), Image(f"/up/{FILE}", "banner")]),
        PageVerdict("present", FILE, "image file name in banner (img)", f"/up/{FILE}"),
    ),
    "the file name only, not its folder": (
        page(images=[Image("https://x.vn/chao-mung-dai-hoi-cong-doan-cac-cap/a.jpg", "banner")]),
        PageVerdict("unknown", location="not in the page's text; its images not read"),
    ),
    "an alt text, cut to 300 characters": (
        page(attributes=[Block(BANNER + " " + "y" * 400, "banner img[alt]")]),
        PageVerdict("present", (BANNER + " " + "y" * 400)[:300], "banner img[alt]"),
    ),
    "a bare file name": (
        page(images=[Image(FILE, "body", origin="srcset")]),
        PageVerdict("present", FILE, "image file name in body (srcset)", FILE),
    ),
    "a data: image has no file name": (
        page(images=[Image("data:image/png;base64," + FILE, "banner", origin="lazy img")]),
        PageVerdict("unknown", location="not in the page's text; its images not read"),
    ),
    "nothing": (
        page(blocks=[Block("Tin tức", "body")]),
        PageVerdict("unknown", "", "not in the page's text; its images not read", ""),
    ),
}


@pytest.mark.parametrize("the_page,verdict", VERDICTS.values(), ids=VERDICTS.keys())
def test_check_page(the_page, verdict):
    assert check_page(the_page) == verdict


SHELLS = {
    "scripts and little text": (
        page(visible_chars=12, scripts=3),
        "the page is drawn by scripts (12 characters of visible text, 3 scripts): "
        "what it shows is not in its HTML",
    ),
    "199 characters is still little": (
        page(visible_chars=199, scripts=1),
        "the page is drawn by scripts (199 characters of visible text, 1 scripts): "
        "what it shows is not in its HTML",
    ),
    "200 characters is a page": (page(visible_chars=200, scripts=1), ""),
    "frames, the first three named": (
        page(visible_chars=0, frames=["a", "b", "c", "d"]),
        "the page is made of frames (0 characters of visible text; a, b, c): "
        "what they show is not in its HTML",
    ),
    "scripts are named before frames": (
        page(scripts=1, frames=["a"]),
        "the page is drawn by scripts (0 characters of visible text, 1 scripts): "
        "what it shows is not in its HTML",
    ),
    "little text, no scripts, no frames": (page(visible_chars=5), ""),
}


@pytest.mark.parametrize("the_page,reason", SHELLS.values(), ids=SHELLS.keys())
def test_script_shell(the_page, reason):
    assert script_shell(the_page) == reason


LOGO_EDGES = {
    "199 wide": ((199, 1000), True),
    "200 wide, tall": ((200, 1000), False),
    "39 high": ((1000, 39), True),
    "40 high, wide": ((1000, 40), False),
    "width unknown, 39 high": ((0, 39), True),
    "height unknown, 199 wide": ((199, 0), True),
    "299 square": ((299, 299), True),
    "300 wide square": ((300, 250), False),
    "300 high": ((250, 300), False),
    "ratio exactly 2": ((290, 145), True),
    "ratio just over 2": ((291, 145), False),
    "tall, small": ((210, 299), True),
    "ratio 1.25, small": ((250, 200), True),
    "negative sizes are unknown": ((-5, -5), False),
    "1 px wide": ((1, 1000), True),
    "1 px high": ((1000, 1), True),
    "height unknown, 250 wide": ((250, 0), False),
}


@pytest.mark.parametrize("size,logo", LOGO_EDGES.values(), ids=LOGO_EDGES.keys())
def test_logo_like_edges(size, logo):
    assert logo_like(*size) is logo


SHAPES = {
    "500 by 250": ((500, 250), True),
    "499 wide": ((499, 100), False),
    "501 by 251": ((501, 251), False),
    "height unknown": ((800, 0), False),
    "1000 by 500": ((1000, 500), True),
    "1 px high": ((500, 1), True),
}


@pytest.mark.parametrize("size,shaped", SHAPES.values(), ids=SHAPES.keys())
def test_banner_shaped(size, shaped):
    assert banner_shaped(*size) is shaped


def names(images) -> list[str]:
    return [i.src.rsplit("/", 1)[-1] for i in images]


H = "https://x.vn/"


def test_ocr_candidates_order_limit_and_sources():
    images = [
        Image(H + "wide.png", "body", width=500),
        Image("http://x.vn/plain-http.png", "body", width=800),
        Image(H + "narrow.png", "body", width=499),
        Image(H + "head.png", "header"),
        Image(H + "top.png", "top"),
        Image(H + "marq.png", "marquee"),
        Image(H + "carousel.png", "carousel"),
        Image(H + "slide.png", "slide"),
        Image(H + "slider.png", "slider"),
        Image(H + "banner.png", "banner"),
        Image(H + "banner.png", "banner"),  # the same source twice is read once
        Image("data:image/png;base64,AAAA", "banner"),
        Image("/relative.png", "banner"),
        Image("ftp://x.vn/f.png", "banner"),
        Image(H + "logo.png", "banner", width=100, height=100),
        Image(H + "nav.png", "nav", width=0),
    ]
    got = ocr_candidates(images)
    assert names(got) == [
        "marq.png",
        "carousel.png",
        "slide.png",
        "slider.png",
        "banner.png",
        "png;base64,AAAA",
        "head.png",
        "top.png",
        "wide.png",
        "plain-http.png",
    ]
    assert names(ocr_candidates(images, 2)) == ["marq.png", "carousel.png"]
    assert ocr_candidates(images, 0) == []


def test_shape_candidates_rules():
    images = [
        Image(H + "prominent.jpg", "banner"),
        Image(H + "plain.jpg", "body"),
        Image(H + "plain.jpg", "body"),  # taken once
        Image("http://x.vn/http.jpg", "body"),
        Image("/relative.jpg", "body"),
        Image("data:image/png;base64,AA", "body"),
        Image(H + "nav.jpg", "nav"),
        Image(H + "menu.jpg", "menu"),
        Image(H + "foot.jpg", "footer"),
        Image(H + "side.jpg", "sidebar"),
        Image(H + "css.jpg", "stylesheet"),
        Image(H + "sized.jpg", "body", width=900, height=100),
        Image(H + "w499.jpg", "body", width=499),
        Image(H + "w500.jpg", "body", width=500),
        Image(H + "h-only.jpg", "body", height=100),
    ]
    prominent = [images[0]]
    got = shape_candidates(images, prominent)
    assert names(got) == ["plain.jpg", "http.jpg", "png;base64,AA", "w500.jpg", "h-only.jpg"]
    assert names(shape_candidates(images, prominent, limit=1)) == ["plain.jpg"]
    assert names(shape_candidates(images, [])) == [
        "prominent.jpg",
        "plain.jpg",
        "http.jpg",
        "png;base64,AA",
        "w500.jpg",
        "h-only.jpg",
    ]
    assert len(shape_candidates([Image(f"{H}{n}.jpg", "body") for n in range(9)], [])) == 6
