"""RSS / Atom bytes → articles. Pure: feedparser parses bytes that fetch.py got, never a URL."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

import feedparser

from auditor.errors import ParseError
from auditor.text import clean, html_to_text
from auditor.types import Article, Term
from auditor.urls import web_url

# Entity declarations are how "billion laughs" and external-entity attacks start; a real
# news feed never needs one, so such a document is refused before any parser sees it.
_ENTITY_DECL = re.compile(rb"<!ENTITY", re.I)


@dataclass(frozen=True)
class FeedPage:
    url: str
    title: str
    articles: tuple[Article, ...]
    generator: str = ""
    undated: int = 0

    @property
    def oldest(self) -> datetime | None:
        dates = [a.published for a in self.articles if a.published]
        return min(dates) if dates else None

    @property
    def is_wordpress(self) -> bool:
        return "wordpress" in self.generator.lower()


def parse_feed(body: bytes, url: str, content_type: str = "") -> FeedPage:
    if _ENTITY_DECL.search(body[:65536]):
        raise ParseError(url, "feed declares XML entities; refused for safety")
    headers = {"content-type": content_type} if content_type else {}
    try:
        parsed = feedparser.parse(
            body, response_headers=headers, sanitize_html=False, resolve_relative_uris=False
        )
    except Exception as e:  # feedparser's own bugs on hostile bytes (found by tests/test_fuzz.py:
        # an encoding declared as "\x80TF-8" raises UnicodeDecodeError, one with NUL ValueError)
        raise ParseError(url, f"not a feed: the feed parser failed: {_short(e)}") from None
    if not parsed.entries and (parsed.get("bozo") or not parsed.get("version")):
        reason = parsed.get("bozo_exception") or "no RSS or Atom found"
        raise ParseError(url, f"not a feed: {_short(reason)}")
    base = parsed.feed.get("link") or url
    articles, undated = [], 0
    for entry in parsed.entries:
        article = _article(entry, url, base)
        if article is None:
            continue
        undated += article.published is None
        articles.append(article)
    return FeedPage(
        url,
        clean(parsed.feed.get("title")),
        tuple(articles),
        generator=parsed.feed.get("generator", ""),
        undated=undated,
    )


def _article(entry: dict, feed_url: str, base: str) -> Article | None:
    link = entry.get("link") or ""
    guid = entry.get("id") or ""
    if not link and guid.startswith(("http://", "https://")):
        link = guid
    url = web_url(link, base or feed_url) if link else None
    if url is None:  # nothing to visit or to count it by
        return None
    summary = entry.get("summary") or ""
    content = " ".join(c.get("value", "") for c in entry.get("content") or [])
    terms = tuple(
        Term("category", clean(t.get("term") or t.get("label") or ""))
        for t in entry.get("tags") or []
        if (t.get("term") or t.get("label"))
    )
    return Article(
        url=url,
        title=html_to_text(entry.get("title")),
        published=_when(entry.get("published_parsed") or entry.get("updated_parsed")),
        modified=_when(entry.get("updated_parsed")),
        source="rss",
        guid=guid,
        summary=html_to_text(summary),
        text=html_to_text(content),
        terms=terms,
    )


def _when(parsed_time) -> datetime | None:
    if not parsed_time:
        return None
    try:
        return datetime(*parsed_time[:6], tzinfo=UTC)
    except (TypeError, ValueError):
        return None


def _short(reason: object) -> str:
    text = str(reason)
    return text if len(text) < 160 else text[:160] + "…"
