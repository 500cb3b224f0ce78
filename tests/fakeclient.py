"""A fetch.Client without a network: pages from a dict, every request recorded.

For the crawl layer's decisions (paging, coverage, merging, removal), which depend on what
the pages say, not on HTTP. HTTP semantics are tested against loopback servers elsewhere.
"""

from __future__ import annotations

import contextlib
import json
from datetime import UTC, datetime
from urllib.parse import parse_qsl, urlsplit

from auditor.errors import FetchError
from auditor.types import Fetched, RequestRecord

AT = datetime(2017, 10, 20, tzinfo=UTC)
RSS = "application/rss+xml; charset=utf-8"
HTML = "text/html; charset=utf-8"
JSON = "application/json"


def route(url: str) -> str:
    """A URL without the query parameters a test does not care about (REST paging adds
    per_page and _fields): path plus the parameters that pick a page."""
    parts = urlsplit(url)
    keep = [
        f"{k}={v}"
        for k, v in sorted(parse_qsl(parts.query))
        if k in ("page", "paged", "feed", "category_name", "modified_after")
    ]
    return parts.path + ("?" + "&".join(keep) if keep else "")


class FakeClient:
    """pages: route(url) → (status, body, content type, headers) or (body, content type).
    Anything else answers 404."""

    def __init__(self, pages: dict[str, tuple], host: str = "https://cd.example.vn"):
        self.pages = pages
        self.host = host
        self.requested: list[str] = []
        self.records: list[RequestRecord] = []
        self.new_validators: dict[str, dict] = {}
        self.retry_after = None
        self.why = "listing"

    @contextlib.contextmanager
    def purpose(self, why: str):
        before, self.why = self.why, why
        try:
            yield
        finally:
            self.why = before

    def get(self, url: str, *, conditional: bool = False, check_robots: bool = True) -> Fetched:
        key = route(url)
        self.requested.append(key)
        answer = self.pages.get(key, (404, b"not found", "text/plain", {}))
        if len(answer) == 2:
            answer = (200, *answer, {})
        status, body, ctype, headers = answer
        body = body.encode() if isinstance(body, str) else body
        self.records.append(RequestRecord(url, status, len(body), 1, AT, purpose=self.why))
        if status >= 400:
            raise FetchError(url, f"HTTP {status}", status=status, body=body[:2000])
        return Fetched(url, url, status, {"content-type": ctype, **headers}, body)


def rss(items: list[tuple[str, str, str]], wordpress: bool = True) -> str:
    """items: (link, title, RFC 822 date or ""), plus an optional guid after a space in link."""
    generator = "<generator>https://wordpress.org/?v=6.4</generator>" if wordpress else ""
    out = []
    for link, title, date in items:
        link, _, guid = link.partition(" ")
        out.append(
            f"<item><title>{title}</title><link>{link}</link>"
            + (f'<guid isPermaLink="false">{guid}</guid>' if guid else "")
            + (f"<pubDate>{date}</pubDate>" if date else "")
            + "</item>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>CĐ</title>'
        f"<link>https://cd.example.vn/</link>{generator}{''.join(out)}</channel></rss>"
    )


def rest(items: list[dict], total_pages: int | None = None) -> tuple:
    headers = {} if total_pages is None else {"x-wp-totalpages": str(total_pages)}
    return 200, json.dumps(items), JSON, headers
