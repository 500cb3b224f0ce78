"""Fake Vietnamese union portals that are not WordPress, served by FakeSite routes."""

from __future__ import annotations

import io
from datetime import datetime, timedelta
from html import escape

from expect import VN

from auditor.fakesite import FakeSite

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
BANNER_TEXT = "Chào mừng Đại hội Công đoàn Việt Nam lần thứ XII"


def page(h, body: str, head: str = "") -> None:
    html = (
        f'<!doctype html><html><head><meta charset="utf-8"><title>LĐLĐ tỉnh Mẫu</title>'
        f"{head}</head><body>{body}</body></html>"
    )
    h.send(200, html.encode(), "text/html; charset=utf-8")


def menu(banner_html: str = "") -> str:
    return (
        f'<div id="header">{banner_html}</div>'
        '<nav class="main-menu"><ul>'
        '<li><a href="/">Trang chủ</a></li><li><a href="/tin-tuc.html">Tin tức</a></li>'
        '<li><a href="/chuyen-muc/thiet-che-cong-doan.html">Thiết chế CĐ</a></li>'
        '<li><a href="/chuyen-muc/loi-ich.html">Vì lợi ích đoàn viên</a></li>'
        '<li><a href="/chuyen-muc/dai-hoi.html">Hướng tới Đại hội XII</a></li>'
        "</ul></nav>"
    )


class Portal:
    """A provincial federation's portal: menu sections, dated listings over three pages,
    one section with its own RSS, one whose dates are only on the article pages."""

    def __init__(self, banner_html: str = f"<marquee>{BANNER_TEXT}</marquee>"):
        start = datetime(2017, 9, 25, 8, 30, tzinfo=VN)
        self.institution = [
            (
                f"/tin/thiet-che-{n}-nha-o-cong-nhan.html",
                f"Thiết chế công đoàn: bài số {n} về nhà ở công nhân",
                start + timedelta(days=2 * n),
            )
            for n in range(25)
        ]
        self.benefit = [
            (
                f"/tin/uu-dai-{n}-cho-doan-vien.html",
                f"Ưu đãi cho đoàn viên: bài số {n} từ đối tác",
                start + timedelta(days=3 * n, hours=2),
            )
            for n in range(12)
        ]
        self.congress = [
            (
                f"/tin/dai-hoi-{n}-cdcs-nhiem-ky-moi.html",
                f"Đại hội công đoàn cơ sở nhiệm kỳ mới, bài số {n}",
                start + timedelta(days=7 * n, hours=1),
            )
            for n in range(6)
        ]
        self.banner_html = banner_html
        self.site = FakeSite(name="LĐLĐ tỉnh Mẫu", rest="off", routes=self.routes())

    def routes(self) -> dict:
        routes = {
            "/": lambda h: page(h, menu(self.banner_html) + "<p>Tin mới</p>"),
            "/chuyen-muc/thiet-che-cong-doan.html": self.listing(1),
            "/chuyen-muc/thiet-che-cong-doan/trang-2.html": self.listing(2),
            "/chuyen-muc/thiet-che-cong-doan/trang-3.html": self.listing(3),
            "/chuyen-muc/loi-ich.html": lambda h: page(
                h,
                menu() + "<p>Vì lợi ích đoàn viên</p>",
                '<link rel="alternate" type="application/rss+xml" href="/rss/loi-ich.rss">',
            ),
            "/rss/loi-ich.rss": self.rss,
            "/chuyen-muc/dai-hoi.html": self.undated_listing,
        }
        for path, title, when in self.congress:
            routes[path] = self.article(title, when)
        return routes

    def listing(self, number: int):
        items = sorted(self.institution, key=lambda x: x[2], reverse=True)
        chunk = items[(number - 1) * 10 : number * 10]

        def route(h):
            rows = "".join(
                f'<li class="news-item"><a href="{u}">{escape(t)}</a>'
                f'<span class="date">{w:%d/%m/%Y %H:%M}</span></li>'
                for u, t, w in chunk
            )
            more = (
                (f'<a href="/chuyen-muc/thiet-che-cong-doan/trang-{number + 1}.html">Trang sau</a>')
                if number < 3
                else ""
            )
            page(h, menu() + f'<ul class="list-news">{rows}</ul><div class="paging">{more}</div>')

        return route

    def undated_listing(self, h):
        rows = "".join(
            f'<div class="item"><h3><a href="{u}">{escape(t)}</a></h3></div>'
            for u, t, _ in self.congress
        )
        page(h, menu() + rows)

    def article(self, title: str, when: datetime):
        def route(h):
            page(
                h,
                f"<h1>{escape(title)}</h1><p>Nội dung</p>",
                f'<meta property="article:published_time" content="{when.isoformat()}">',
            )

        return route

    def rss(self, h):
        import email.utils

        items = "".join(
            f"<item><title>{escape(t)}</title><link>http://{h.headers['Host']}{u}"
            f"</link><pubDate>{email.utils.format_datetime(w)}</pubDate></item>"
            for u, t, w in self.benefit
        )
        body = (
            f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
            f"<title>Vì lợi ích đoàn viên</title>{items}</channel></rss>"
        )
        h.send(200, body.encode(), "application/rss+xml; charset=utf-8")


def banner_png(text: str = BANNER_TEXT.upper()) -> bytes:
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(FONT, 40)
    img = Image.new("RGB", (1400, 140), (255, 250, 235))
    ImageDraw.Draw(img).text((20, 40), text, font=font, fill=(190, 0, 0))
    out = io.BytesIO()
    img.save(out, "PNG")
    return out.getvalue()
