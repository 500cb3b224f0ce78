"""Fake Vietnamese union portals that are not WordPress, served by FakeSite routes."""

from __future__ import annotations

import hashlib
import io
from datetime import datetime, timedelta
from html import escape
from typing import ClassVar

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


def rss(h, title: str, link: str, items) -> None:
    """An RSS 2.0 feed of (path, title, when) items, without categories: a custom CMS."""
    import email.utils

    host = f"http://{h.headers['Host']}"
    body = "".join(
        f"<item><title>{escape(t)}</title><link>{host}{u}</link><guid>{host}{u}</guid>"
        f"<pubDate>{email.utils.format_datetime(w)}</pubDate></item>"
        for u, t, w in items
    )
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        f"<title>{escape(title)}</title><link>{host}{link}</link>{body}</channel></rss>"
    ).encode()
    etag = '"' + hashlib.sha1(xml).hexdigest()[:16] + '"'
    if h.headers.get("If-None-Match") == etag:
        h.send(304, b"", "application/rss+xml", {"ETag": etag})
        return
    h.send(200, xml, "application/rss+xml; charset=utf-8", {"ETag": etag})


class SectionFeedPortal:
    """A portal that is not WordPress: each section has its own feed showing only its
    latest SECTION_ITEMS items, and a home feed shows the latest HOME_ITEMS of all sections.
    The homepage announces all four feeds; each section page announces its own and the
    home feed. The sections publish at different rates, so their feeds reach back to
    different dates."""

    SECTION_ITEMS = 10
    HOME_ITEMS = 25
    FEEDS: ClassVar[dict[str, tuple[str, str]]] = {
        "thiet_che_cong_doan": ("/rss/thiet-che.rss", "/chuyen-muc/thiet-che-cong-doan.html"),
        "loi_ich_doan_vien": ("/rss/loi-ich.rss", "/chuyen-muc/loi-ich.html"),
        "dai_hoi_cong_doan": ("/rss/dai-hoi.rss", "/chuyen-muc/dai-hoi.html"),
    }
    HOME_FEED = "/rss/trang-chu.rss"

    def __init__(self):
        last = datetime(2017, 12, 17, 23, 0, tzinfo=VN)
        self.posts: dict[str, list[tuple[str, str, datetime]]] = {}
        # one article every 5 days
        self._add("thiet_che_cong_doan", "thiet-che", datetime(2017, 9, 19, 9, tzinfo=VN), 5, last)
        # sparse until late November, then one a day
        self._add(
            "loi_ich_doan_vien",
            "loi-ich",
            datetime(2017, 9, 20, 10, tzinfo=VN),
            9,
            datetime(2017, 11, 26, tzinfo=VN),
        )
        self._add("loi_ich_doan_vien", "loi-ich-moi", datetime(2017, 12, 4, 10, tzinfo=VN), 1, last)
        # Monday and Thursday, none in the week of 20 Nov, one in the week of 30 Oct
        congress = []
        monday = datetime(2017, 9, 18, 8, tzinfo=VN)
        while monday < last:
            for days in (0, 3):
                when = monday + timedelta(days=days)
                week = when.isocalendar()[1]
                if week == 47 or (week == 44 and days == 3) or when > last:
                    continue
                congress.append(when)
            monday += timedelta(days=7)
        self.posts["dai_hoi_cong_doan"] = [
            (f"/tin/dai-hoi-{i}.html", f"Hướng tới Đại hội XII: tin số {i}", w)
            for i, w in enumerate(congress)
        ]
        self.site = FakeSite(name="LĐLĐ tỉnh Mẫu", rest="off", routes=self.routes())

    def _add(self, column_id, slug, first, step_days, until):
        items = self.posts.setdefault(column_id, [])
        when = first
        while when <= until:
            n = len(items)
            items.append((f"/tin/{slug}-{n}.html", f"{slug} tin số {n}", when))
            when += timedelta(days=step_days)

    def latest(self, column_id: str | None, count: int):
        pool = (
            self.posts[column_id]
            if column_id
            else [p for items in self.posts.values() for p in items]
        )
        return sorted(pool, key=lambda p: p[2], reverse=True)[:count]

    def _alternate(self, *paths: str) -> str:
        return "".join(
            f'<link rel="alternate" type="application/rss+xml" href="{p}">' for p in paths
        )

    def routes(self) -> dict:
        section_feeds = [f for f, _ in self.FEEDS.values()]
        routes = {
            "/": lambda h: page(
                h, menu() + "<p>Tin mới</p>", self._alternate(self.HOME_FEED, *section_feeds)
            ),
            self.HOME_FEED: lambda h: rss(h, "Tin mới", "/", self.latest(None, self.HOME_ITEMS)),
        }
        for column_id, (feed, section) in self.FEEDS.items():
            routes[feed] = self._feed(column_id, section)
            routes[section] = self._section(feed)
        return routes

    def _feed(self, column_id: str, section: str):
        return lambda h: rss(h, column_id, section, self.latest(column_id, self.SECTION_ITEMS))

    def _section(self, feed: str):
        return lambda h: page(
            h, menu() + "<p>Chuyên mục</p>", self._alternate(feed, self.HOME_FEED)
        )
