"""The banner check sees what a browser shows: homepages served on 127.0.0.1 whose banner
is lazy-loaded, a CSS background, a <picture> source or an SVG, and pages it cannot judge
(drawn by scripts, images it cannot read) — which are unknown, never absent."""

from __future__ import annotations

import contextlib
import io
import json

import pytest
from portals import BANNER_TEXT, banner_png
from test_crawl import write_config
from test_homepage import ocr_or_skip

from auditor.cli import main
from auditor.fakesite import FakeSite
from auditor.store import Store

PNG = "image/png"


def drawn(size: tuple[int, int], fmt: str = "PNG", text: str = "") -> bytes:
    from PIL import Image, ImageDraw

    img = Image.new("RGB", size, (20, 60, 160))
    if text:
        ImageDraw.Draw(img).text((5, 5), text, fill=(255, 255, 255))
    out = io.BytesIO()
    img.save(out, fmt)
    return out.getvalue()


def html(body: str, head: str = "") -> bytes:
    return (
        f'<!doctype html><html><head><meta charset="utf-8"><title>LĐLĐ tỉnh Mẫu</title>{head}'
        f"</head><body>{body}</body></html>"
    ).encode()


MENU = (
    '<nav class="menu"><a href="/">Trang chủ</a> <a href="/tin-tuc">Tin tức</a> '
    '<a href="/thiet-che">Thiết chế Công đoàn</a></nav>'
    "<main><h2>Tin mới</h2><p>Liên đoàn Lao động tỉnh tổ chức hội nghị tổng kết công tác "
    "năm, khen thưởng các công đoàn cơ sở tiêu biểu và phát động phong trào thi đua "
    "trong công nhân, viên chức, lao động toàn tỉnh.</p></main>"
)
LOGO = '<div id="header"><a href="/"><img src="/img/logo.png" alt=""></a>'


def site(body: str, head: str = "", files: dict | None = None) -> FakeSite:
    """A homepage and the files it links to: path → (bytes, content type)."""
    routes = {"/": lambda h: h.send(200, html(body, head), "text/html; charset=utf-8")}
    files = {"/img/logo.png": (drawn((120, 120)), PNG), **(files or {})}
    for path, (data, ctype) in files.items():
        routes[path] = lambda h, data=data, ctype=ctype: h.send(200, data, ctype)
    return FakeSite(rest="off", routes=routes)


SVG_BANNER = (
    '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="1200" height="120">'
    f'<text x="10" y="60">{BANNER_TEXT}</text></svg>'
).encode()

PAGES = {
    "lazy-loaded image": site(
        LOGO + '</div><div class="banner"><img src="/img/blank.gif" '
        'data-src="/img/chao.png" alt=""></div>' + MENU,
        files={
            "/img/blank.gif": (drawn((1, 1), "GIF"), "image/gif"),
            "/img/chao.png": (banner_png(), PNG),
        },
    ),
    "CSS background in the site's stylesheet": site(
        LOGO + '<div class="top-visual"></div></div>' + MENU,
        '<link rel="stylesheet" href="/css/site.css?ver=6.1">',
        files={
            "/css/site.css": (
                b"/* theme */ body{margin:0} @media (min-width: 800px) {"
                b" #header .top-visual { background: #fff url('../upload/h1.dat') no-repeat;"
                b" height: 140px } }",
                "text/css",
            ),
            # PNG bytes behind a made-up extension and a wrong Content-Type
            "/upload/h1.dat": (banner_png(), "text/plain"),
        },
    ),
    "inline style background": site(
        '<div class="hero" style="background-image: url(/img/nen.jpg); width: 1200px">'
        "</div>" + MENU,
        files={"/img/nen.jpg": (banner_png(), "application/octet-stream")},
    ),
    "picture source": site(
        '<header><picture><source srcset="/img/b-800.png 800w, /img/b-1400.png 1400w">'
        '<img src="/img/b-fallback.gif" alt=""></picture></header>' + MENU,
        files={"/img/b-1400.png": (banner_png(), PNG)},
    ),
    "SVG banner": site(
        '<div class="banner"><img src="/img/chao-mung.svg" alt=""></div>' + MENU,
        files={"/img/chao-mung.svg": (SVG_BANNER, "image/svg+xml")},
    ),
    "JavaScript shell": site(
        '<div id="app"></div><noscript>Bật JavaScript để xem trang</noscript>'
        '<script src="/static/app.js"></script>',
        files={
            "/static/app.js": (b"fetch('/api/header.json').then(r => r.json())", "text/javascript"),
            "/api/header.json": (json.dumps({"banner": BANNER_TEXT}).encode(), "application/json"),
        },
    ),
    "banner image is an HTML page": site(
        LOGO + '</div><div class="slider"><img src="/img/slide1.jpg" alt=""></div>' + MENU,
        files={"/img/slide1.jpg": (html("<p>Không tìm thấy</p>"), "image/jpeg")},
    ),
    "banner image cannot be fetched": site(
        '<div class="banner"><img src="/img/missing.png" width="1000" alt=""></div>' + MENU,
    ),
    "stylesheet cannot be fetched": site(
        '<div class="banner"></div>' + MENU,
        '<link rel="stylesheet" href="/css/broken.css">',
        files={},
    ),
    "only a logo and a dead stylesheet link": site(
        LOGO + "</div>" + MENU, '<link rel="stylesheet" href="/css/gone.css">'
    ),
    "unsized image in a plain div, after a thumbnail": site(
        '<div class="hd"><img src="/img/tin.jpg"><img src="/img/chao.jpg"></div>' + MENU,
        files={
            "/img/tin.jpg": (drawn((400, 300), "JPEG"), "image/jpeg"),
            "/img/chao.jpg": (banner_png(), "image/jpeg"),
        },
    ),
    "background in a stylesheet a child theme imports": site(
        '<div class="site-branding"></div>' + MENU,
        '<link rel="stylesheet" href="/wp-content/themes/con/style.css">',
        files={
            "/wp-content/themes/con/style.css": (
                b'@import url("../me/style.css"); .site-title { color: red }',
                "text/css",
            ),
            "/wp-content/themes/me/style.css": (
                b".site-branding { background-image: url(img/nen.png) }"
                b" .not-on-page { background: url(img/other.png) }",
                "text/css",
            ),
            "/wp-content/themes/me/img/nen.png": (banner_png(), PNG),
        },
    ),
    "a missing unsized image is noted, not held against the page": site(
        '<div class="hd"><img src="/img/gone.jpg"><img src="/img/tin.jpg"></div>' + MENU,
        files={"/img/tin.jpg": (drawn((400, 300), "JPEG"), "image/jpeg")},
    ),
    "an unsized image the server fails (503) is unknown": site(
        '<div class="hd"><img src="/img/slow.jpg"></div>' + MENU,
    ),
    "homepage that moves on by meta refresh": site(
        "<p>Đang chuyển trang…</p>",
        "<meta http-equiv='refresh' content='0; URL=/portal/'>",
        files={"/img/chao.png": (banner_png(), PNG)},
    ),
    "homepage made of frames": site(
        '<frameset rows="150,*"><frame src="/top.asp"><frame src="/main.asp"></frameset>'
    ),
    "a slider longer than what is read": site(
        '<div class="slider">'
        + "".join(f'<img src="/img/slide{n}.png">' for n in range(14))
        + "</div>"
        + MENU,
        files={f"/img/slide{n}.png": (drawn((800, 300)), PNG) for n in range(14)},
    ),
    "another congress in a header image": site(
        '<div id="header"><img src="/img/doan.png" alt=""></div>' + MENU,
        files={
            "/img/doan.png": (
                banner_png("CHÀO MỪNG ĐẠI HỘI ĐOÀN TNCS HỒ CHÍ MINH LẦN THỨ XII"),
                PNG,
            )
        },
    ),
}
PAGES["an unsized image the server fails (503) is unknown"].routes["/img/slow.jpg"] = lambda h: (
    h.send(503, b"busy", "text/plain")
)
PAGES["homepage that moves on by meta refresh"].routes["/portal/"] = lambda h: h.send(
    200, html('<div class="banner"><img data-src="/img/chao.png"></div>' + MENU), "text/html"
)
PAGES["stylesheet cannot be fetched"].routes["/css/broken.css"] = lambda h: h.send(
    500, b"error", "text/plain"
)

EXPECTED = {
    "lazy-loaded image": ("present", "lazy img"),
    "CSS background in the site's stylesheet": ("present", "stylesheet"),
    "inline style background": ("present", "inline style"),
    "picture source": ("present", "picture"),
    "SVG banner": ("present", "SVG text"),
    "JavaScript shell": ("unknown", "drawn by scripts"),
    "banner image is an HTML page": ("unknown", "not an image"),
    "banner image cannot be fetched": ("unknown", "HTTP 404"),
    "stylesheet cannot be fetched": ("unknown", "stylesheet"),
    "only a logo and a dead stylesheet link": ("absent", "left out for their size or shape: 1"),
    "another congress in a header image": ("absent", "images read: 1"),
    "homepage made of frames": ("unknown", "made of frames"),
    "a slider longer than what is read": ("unknown", "2 more prominent images not read"),
    "homepage that moves on by meta refresh": ("present", "image in banner (lazy img, OCR)"),
    "unsized image in a plain div, after a thumbnail": ("present", "image in body (img, OCR)"),
    "background in a stylesheet a child theme imports": ("present", "stylesheet"),
    "a missing unsized image is noted, not held against the page": (
        "absent",
        "not sized: http",
    ),
    "an unsized image the server fails (503) is unknown": ("unknown", "HTTP 503"),
}


@pytest.fixture(scope="module")
def verdicts(tmp_path_factory):
    from auditor.fakesite import Server

    ocr_or_skip()
    folder = tmp_path_factory.mktemp("banner")
    servers = [Server(s).__enter__() for s in PAGES.values()]
    try:
        outlets = "".join(
            f'- {{id: o{i}, name: "o{i}", kind: website, url: "{s.url}/"}}\n'
            for i, s in enumerate(servers)
        )
        config = write_config(
            folder, outlets, http="{timeout_s: 5, per_host_delay_s: 0, retries: 0}"
        )
        out = folder / "out.json"
        db = folder / "a.db"
        with open(out, "w") as f, contextlib.redirect_stdout(f):
            main(["-q", "--config", config, "--db", str(db), "banner", "--json"])
        got = {r["outlet_id"]: r for r in json.loads(out.read_text())}
        stored = Store(db)._q("SELECT outlet_id, verdict, error FROM banner_checks")
        return {name: (got[f"o{i}"], stored) for i, name in enumerate(PAGES)}
    finally:
        for s in servers:
            s.__exit__(None, None, None)


@pytest.mark.parametrize("name", EXPECTED, ids=EXPECTED.keys())
def test_banner_verdict(verdicts, name):
    got, stored = verdicts[name]
    verdict, evidence = EXPECTED[name]
    assert got["verdict"] == verdict, got
    said = f"{got['location']} {got['error']} {got['evidence']}"
    assert evidence in said, got
    if verdict == "present":
        assert "LẦN THỨ XII" in got["ocr_text"] or BANNER_TEXT in got["ocr_text"]
    if verdict == "unknown":
        assert got["error"]  # the reason is kept
    assert (got["outlet_id"], verdict) in {(r["outlet_id"], r["verdict"]) for r in stored}
