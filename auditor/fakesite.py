"""A small fake union outlet on 127.0.0.1: a WordPress-like REST API and RSS feeds.

It backs `auditor demo` and the loopback tests. It behaves like WordPress where the auditor
depends on it: X-WP-Total / X-WP-TotalPages, the 400 past the last page, `_fields`,
`modified_after`, `?rest_route=` without pretty permalinks, feeds of 10 items with
`?paged=N` (404 past the end), category feeds, ETag / 304, and a REST API that can be
switched off (401, like a security plugin).
"""

from __future__ import annotations

import email.utils
import hashlib
import json
import math
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit
from xml.sax.saxutils import escape

FEED_SIZE = 10


@dataclass
class FakePost:
    id: int
    title: str
    date: datetime  # aware
    categories: tuple[int, ...] = ()
    tags: tuple[int, ...] = ()
    status: str = "publish"
    content: str = ""
    modified: datetime | None = None

    @property
    def date_gmt(self) -> str:
        return self.date.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")

    @property
    def modified_gmt(self) -> str:
        return (self.modified or self.date).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")


@dataclass
class FakeSite:
    name: str = "Công đoàn Mẫu"
    categories: dict[int, tuple[str, str]] = field(default_factory=dict)  # id → (name, slug)
    tags: dict[int, tuple[str, str]] = field(default_factory=dict)
    posts: list[FakePost] = field(default_factory=list)
    pretty: bool = True
    rest: str = "open"  # open | blocked | off
    wordpress_feeds: bool = True  # False: no generator, ?paged= ignored (a custom CMS)
    routes: dict[str, Any] = field(default_factory=dict)  # path → callable(handler) for faults
    log: list[str] = field(default_factory=list)

    def published(self) -> list[FakePost]:
        return sorted(
            (p for p in self.posts if p.status == "publish"),
            key=lambda p: (p.date, p.id),
            reverse=True,
        )

    def permalink(self, base: str, post: FakePost) -> str:
        if not self.pretty:
            return f"{base}/?p={post.id}"
        return f"{base}/{post.date:%Y/%m/%d}/bai-{post.id}/"


class Handler(BaseHTTPRequestHandler):
    site: FakeSite
    protocol_version = "HTTP/1.1"

    def log_message(self, *args) -> None:  # keep test output quiet
        pass

    @property
    def base(self) -> str:
        return f"http://{self.headers.get('Host')}"

    def do_GET(self) -> None:
        self.site.log.append(self.path)
        parts = urlsplit(self.path)
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        custom = self.site.routes.get(parts.path)
        if custom is not None:
            custom(self)
            return
        route = query.pop("rest_route", None) if not self.site.pretty else None
        if route is None and parts.path.startswith("/wp-json"):
            route = parts.path.removeprefix("/wp-json") or "/"
        if route is not None:
            self.rest(route, query)
        elif parts.path == "/robots.txt":
            self.send(200, b"User-agent: *\nDisallow: /wp-admin/\n", "text/plain")
        elif parts.path.endswith("/feed/") or "feed" in query:
            self.feed(parts.path, query)
        elif parts.path == "/":
            self.homepage()
        else:
            self.send(404, b"<html><body>Not found</body></html>", "text/html")

    # -- responses --------------------------------------------------------------------------

    def send(self, status: int, body: bytes, ctype: str, headers: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def send_json(self, status: int, payload: Any, headers: dict | None = None) -> None:
        body = json.dumps(payload, ensure_ascii=False).encode()
        self.send(status, body, "application/json; charset=UTF-8", headers)

    def api_root(self) -> str:
        return f"{self.base}/wp-json/" if self.site.pretty else f"{self.base}/?rest_route=/"

    def homepage(self) -> None:
        feed = f"{self.base}/feed/" if self.site.pretty else f"{self.base}/?feed=rss2"
        html = (
            f'<!doctype html><html><head><meta charset="utf-8"><title>{escape(self.site.name)}'
            f'</title><link rel="alternate" type="application/rss+xml" title="Tin mới" '
            f'href="{feed}"><link rel="https://api.w.org/" href="{self.api_root()}"></head>'
            f"<body><h1>{escape(self.site.name)}</h1></body></html>"
        )
        link = f'<{self.api_root()}>; rel="https://api.w.org/"'
        self.send(200, html.encode(), "text/html; charset=UTF-8", {"Link": link})

    # -- REST -------------------------------------------------------------------------------

    def rest(self, route: str, query: dict) -> None:
        if self.site.rest == "off":
            self.send(404, b"<html>Not found</html>", "text/html")
            return
        if self.site.rest == "blocked":
            self.send_json(
                401,
                {
                    "code": "rest_not_logged_in",
                    "message": "Chỉ thành viên.",
                    "data": {"status": 401},
                },
            )
            return
        if route.rstrip("/") == "/wp/v2/posts":
            self.collection(self.rest_posts(query), query, "rest_post_invalid_page_number")
        elif route.rstrip("/") in ("/wp/v2/categories", "/wp/v2/tags"):
            terms = (
                self.site.categories
                if route.endswith("categories/") or route.rstrip("/").endswith("categories")
                else self.site.tags
            )
            items = [
                {"id": i, "name": n, "slug": s, "link": f"{self.base}/c/{s}/", "count": 0}
                for i, (n, s) in sorted(terms.items())
            ]
            self.collection(items, query, "rest_term_invalid_page_number")
        elif route in ("/", ""):
            self.send_json(200, {"name": self.site.name, "namespaces": ["wp/v2"]})
        else:
            self.send_json(404, {"code": "rest_no_route", "data": {"status": 404}})

    def rest_posts(self, query: dict) -> list[dict]:
        posts = self.site.published()
        if "modified_after" in query:
            posts = [p for p in posts if p.modified_gmt > query["modified_after"]]
        return [
            {
                "id": p.id,
                "date_gmt": p.date_gmt,
                "modified_gmt": p.modified_gmt,
                "link": self.site.permalink(self.base, p),
                "title": {"rendered": p.title},
                "excerpt": {"rendered": f"<p>{escape(p.content[:80])}</p>"},
                "content": {"rendered": f"<p>{escape(p.content)}</p>"},
                "categories": list(p.categories),
                "tags": list(p.tags),
                "guid": {"rendered": f"{self.base}/?p={p.id}"},
            }
            for p in posts
        ]

    def collection(self, items: list[dict], query: dict, past_end_code: str) -> None:
        per_page = int(query.get("per_page", 10))
        page = int(query.get("page", 1))
        pages = max(1, math.ceil(len(items) / per_page)) if items else 0
        if items and page > pages:
            self.send_json(400, {"code": past_end_code, "data": {"status": 400}})
            return
        chunk = items[(page - 1) * per_page : page * per_page]
        fields = [f for f in query.get("_fields", "").split(",") if f]
        if fields:
            chunk = [{k: v for k, v in item.items() if k in fields} for item in chunk]
        self.send_json(200, chunk, {"X-WP-Total": str(len(items)), "X-WP-TotalPages": str(pages)})

    # -- feeds ------------------------------------------------------------------------------

    def feed(self, path: str, query: dict) -> None:
        posts = self.site.published()
        slug = query.get("category_name") or (
            path.split("/category/")[1].split("/")[0] if "/category/" in path else ""
        )
        if slug:
            ids = [i for i, (_, s) in self.site.categories.items() if s == slug]
            if not ids:
                self.send(404, b"<html>Not found</html>", "text/html")
                return
            posts = [p for p in posts if ids[0] in p.categories]
        page = int(query.get("paged", 1)) if self.site.wordpress_feeds else 1
        chunk = posts[(page - 1) * FEED_SIZE : page * FEED_SIZE]
        if page > 1 and not chunk:
            self.send(404, b"<html>Not found</html>", "text/html")
            return
        body = self.rss(chunk).encode()
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        if self.headers.get("If-None-Match") == etag:
            self.send(304, b"", "application/rss+xml", {"ETag": etag})
            return
        self.send(200, body, "application/rss+xml; charset=UTF-8", {"ETag": etag})

    def rss(self, posts: list[FakePost]) -> str:
        items = "".join(self.rss_item(p) for p in posts)
        return (
            '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
            f"<title>{escape(self.site.name)}</title><link>{self.base}/</link>"
            "<generator>https://wordpress.org/?v=6.1</generator>"
            f"{items}</channel></rss>"
        )

    def rss_item(self, p: FakePost) -> str:
        cats = "".join(
            f"<category><![CDATA[{self.site.categories[c][0]}]]></category>"
            for c in p.categories
            if c in self.site.categories
        )
        return (
            f"<item><title>{escape(p.title)}</title>"
            f"<link>{self.site.permalink(self.base, p)}</link>"
            f'<guid isPermaLink="false">{self.base}/?p={p.id}</guid>'
            f"<pubDate>{email.utils.format_datetime(p.date.astimezone(UTC))}</pubDate>"
            f"{cats}<description>{escape(p.content[:80])}</description></item>"
        )


class Server:
    """A FakeSite served on a loopback address (127.0.0.1 unless told) in a background
    thread."""

    def __init__(self, site: FakeSite, address: str = "127.0.0.1"):
        handler = type("BoundHandler", (Handler,), {"site": site})
        self.site = site
        self.address = address
        self.httpd = ThreadingHTTPServer((address, 0), handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://{self.address}:{self.httpd.server_address[1]}"

    def __enter__(self) -> Server:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
