"""JSON Feed 1.0 / 1.1 (https://jsonfeed.org/version/1.1) → the raw parts of a feed page.
Pure; feeds.py applies the rules every format shares (identity, counting)."""

from __future__ import annotations

import json
from collections import Counter
from zoneinfo import ZoneInfo

from auditor.errors import ParseError
from auditor.parse.dates import parse_date
from auditor.text import as_published, clean, html_to_text
from auditor.types import Article, Term

JSON_TYPES = ("application/feed+json", "application/json")


def looks_like_json_feed(body: bytes, content_type: str = "") -> bool:
    head = body[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    declared = any(t in content_type.lower() for t in JSON_TYPES)
    return head.startswith(b"{") and (declared or b"jsonfeed.org" in head)


def parse_json_feed(
    body: bytes, url: str, base: str, tz: ZoneInfo
) -> tuple[str, list[Article], str, Counter, list[Article]]:
    """(feed title, articles, generator, skipped reasons, the skipped items with url "")."""
    from auditor.parse.feeds import article_link  # one link rule for every format

    try:
        doc = json.loads(body.decode("utf-8-sig", "replace"))
    except ValueError as e:
        raise ParseError(url, f"not a feed: JSON Feed is not valid JSON ({e})") from None
    if not isinstance(doc, dict) or "jsonfeed.org" not in str(doc.get("version", "")):
        raise ParseError(url, "not a feed: JSON without a jsonfeed.org version")
    items = doc.get("items")
    articles, skipped, dropped = [], Counter(), []
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict):
            skipped["not a JSON object"] += 1
            continue
        guid = _id(item.get("id"))
        link = article_link(_str(item.get("url")), guid, base)
        if not isinstance(link, tuple):
            skipped[link] += 1
            dropped.append(_article(item, "", guid, tz))
            continue
        articles.append(_article(item, link[0], guid, tz))
    return clean(_str(doc.get("title"))), articles, "", skipped, dropped


def _article(item: dict, url: str, guid: str, tz: ZoneInfo) -> Article:
    text = _str(item.get("content_text"))
    return Article(
        url=url,
        title=as_published(_str(item.get("title"))),  # plain text in JSON Feed
        published=parse_date(_str(item.get("date_published")), tz)
        or parse_date(_str(item.get("date_modified")), tz),
        modified=parse_date(_str(item.get("date_modified")), tz),
        source="rss",
        guid=guid,
        summary=as_published(_str(item.get("summary"))),
        text=as_published(text) if text else html_to_text(_str(item.get("content_html"))),
        terms=tuple(
            Term("category", clean(t))
            for t in item.get("tags") or []
            if isinstance(t, str) and t.strip()
        ),
    )


def _str(value: object) -> str:
    """A field the spec says is a string; anything else is taken as absent."""
    return value if isinstance(value, str) else ""


def _id(value: object) -> str:
    """JSON Feed 1.1: an id given as a number is read as its string."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return ""
    return str(value).strip()
