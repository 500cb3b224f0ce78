"""Feed bytes (RSS, Atom, JSON Feed) → articles. Pure: feedparser parses bytes that fetch.py
got, never a URL.

The rules, the same for every format:
* a title or summary declared plain text stays text (entities decoded, nothing stripped);
  one declared HTML becomes the text a browser would show (text.html_to_text);
* a relative link resolves against xml:base and the address the feed was read from (after
  redirects); an entry without a link uses its guid when that is an http(s) URL, otherwise
  it is skipped and counted with the reason;
* dates: feedparser's reading first, re-read as local time when no zone was written; forms
  it misses or misreads go to auditor.parse.dates;
* copies of one article in one feed are folded (identity.merge_duplicates).
"""

from __future__ import annotations

import html
import io
import re
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from auditor.errors import ParseError
from auditor.parse import feedjson
from auditor.parse.dates import DEFAULT_TZ, has_zone, is_day_first, local_fields, parse_date
from auditor.rules.identity import drop_shared_guids, merge_duplicates
from auditor.text import as_published, clean, html_to_text
from auditor.types import Article, Term
from auditor.urls import join_url, web_url

NO_LINK = "no link and no http(s) guid"
BAD_LINK = "link is not http(s)"
ROOT_LINK = "link is the site's homepage"


def _feedparser():
    """feedparser, imported with the first feed body to parse: a poll whose feeds all
    answer 304 parses none, and its import cost every command 22 ms of start-up."""
    import feedparser.api

    # feedparser asks xml.sax for libxml2's driver first, on every feed: where it is not
    # installed, each parse searches the whole import path for it again, under the import
    # lock that all crawl threads share (a fifth of a cold crawl's worker time). The
    # parser it then falls back to, expat, is the one whose entity handling the tests
    # pin: ask for it alone.
    feedparser.api.PREFERRED_XML_PARSERS = ["xml.sax.expatreader"]
    return feedparser.api


@dataclass(frozen=True)
class FeedPage:
    url: str
    title: str
    articles: tuple[Article, ...]
    generator: str = ""
    undated: int = 0
    skipped: tuple[tuple[str, int], ...] = ()  # (reason, entries)
    merged: int = 0  # copies folded into another entry of the same article
    entries: int = 0  # entries the page held, kept or skipped, before copies were folded
    # the skipped entries themselves (url ""), with their dates and categories: a listing
    # that skipped an entry cannot prove its column silent where that entry may lie
    dropped: tuple[Article, ...] = ()

    @property
    def oldest(self) -> datetime | None:
        dates = [a.published for a in self.articles if a.published]
        return min(dates) if dates else None

    @property
    def is_wordpress(self) -> bool:
        return "wordpress" in self.generator.lower()


def parse_feed(
    body: bytes, url: str, content_type: str = "", *, base: str = "", tz: ZoneInfo = DEFAULT_TZ
) -> FeedPage:
    """base: the address the body came from after redirects (default: url)."""
    base = base or url
    if feedjson.looks_like_json_feed(body, content_type):
        return _page(url, *feedjson.parse_json_feed(body, url, base, tz))
    if declares_entities(body):
        raise ParseError(url, "feed declares XML entities; refused for safety")
    headers = {"content-type": content_type} if content_type else {}
    try:
        # a stream, never the bytes themselves: given bytes, feedparser first tries them
        # as a file name, so a body reading "/etc/passwd" would be that file's content
        parsed = _feedparser().parse(
            io.BytesIO(body),
            response_headers=headers,
            sanitize_html=False,
            resolve_relative_uris=False,
        )
    except Exception as e:  # feedparser's own bugs on hostile bytes (found by tests/test_fuzz.py:
        # an encoding declared as "\x80TF-8" raises UnicodeDecodeError, one with NUL ValueError)
        raise ParseError(url, f"not a feed: the feed parser failed: {_short(e)}") from None
    if not parsed.entries and (parsed.get("bozo") or not parsed.get("version")):
        reason = parsed.get("bozo_exception") or "no RSS, Atom or JSON Feed found"
        raise ParseError(url, f"not a feed: {_short(reason)}")
    articles, skipped, dropped = [], Counter(), []
    for entry in parsed.entries:
        article = entry_article(entry, base, tz)
        if isinstance(article, str):
            skipped[article] += 1
            dropped.append(_entry(entry, "", str(entry.get("id") or "").strip(), tz))
        else:
            articles.append(article)
    title, generator = clean(parsed.feed.get("title")), parsed.feed.get("generator", "")
    return _page(url, title, articles, generator, skipped, dropped)


def _page(
    url: str, title: str, articles: list, generator: str, skipped: Counter, dropped: list = ()
) -> FeedPage:
    kept, merged = merge_duplicates(drop_shared_guids(articles))
    return FeedPage(
        url,
        title,
        tuple(kept),
        generator=generator,
        undated=sum(a.published is None for a in kept),
        skipped=tuple(sorted(skipped.items())),
        merged=merged,
        dropped=tuple(dropped),
        entries=len(articles) + sum(skipped.values()),
    )


# -- one entry ------------------------------------------------------------------------------


def entry_article(entry: dict, base: str, tz: ZoneInfo) -> Article | str:
    """The entry as an article, or the reason it was skipped."""
    guid = str(entry.get("id") or "").strip()
    link = article_link(_alternate(entry), guid, base)
    if not isinstance(link, tuple):
        return link
    return _entry(entry, link[0], guid, tz)


def _entry(entry: dict, url: str, guid: str, tz: ZoneInfo) -> Article:
    return Article(
        url=url,
        title=_text(entry.get("title_detail"), entry.get("title")),
        published=entry_date(entry, "published", tz) or entry_date(entry, "updated", tz),
        modified=entry_date(entry, "updated", tz),
        source="rss",
        guid=guid,
        summary=_text(entry.get("summary_detail"), entry.get("summary")),
        text=" ".join(_text(c, c.get("value")) for c in entry.get("content") or []).strip(),
        terms=tuple(
            # WordPress writes its stored "&amp;" even inside CDATA: the reader sees "&"
            Term("category", as_published(html.unescape(t.get("term") or t.get("label") or "")))
            for t in entry.get("tags") or []
            if (t.get("term") or t.get("label"))
        ),
    )


def article_link(href: str, guid: str, base: str) -> tuple[str] | str:
    """(absolute link,) or the reason there is none. A guid stands in for a missing link
    only when it is an http(s) URL: "urn:uuid:…" or "123" is not an address. A site's
    root is never an article's address: broken CMSs give it to every item, and taking it
    would fold a whole column into one article."""
    guid_url = guid.lower().startswith(("http://", "https://")) and not is_root(guid)
    if href and is_root(join_url(base, href) or ""):
        if not guid_url:
            return ROOT_LINK
        href = ""
    if not href:
        if not guid_url:
            return NO_LINK
        href = guid
    link = web_url(href, base)
    return (link,) if link else BAD_LINK


def is_root(url: str) -> bool:
    try:
        parts = urlsplit(url.strip())
    except ValueError:  # an unbalanced "[": no address at all
        return False
    return bool(parts.netloc) and parts.path in ("", "/") and not parts.query


def _alternate(entry: dict) -> str:
    """The entry's own link (rel="alternate", the default); feedparser also fills `link`
    from the guid, which is not a link the feed gave."""
    for link in entry.get("links") or []:
        if link.get("rel", "alternate") == "alternate" and link.get("href"):
            return str(link["href"])
    return ""


def _text(detail: dict | None, value: str | None) -> str:
    kind = (detail or {}).get("type", "text/plain")
    value = (detail or {}).get("value", value) or ""
    return html_to_text(value) if "html" in kind else as_published(value)


def entry_date(entry: dict, field: str, tz: ZoneInfo) -> datetime | None:
    raw = str(entry.get(field) or "")
    fields = entry.get(f"{field}_parsed")
    if raw and is_day_first(raw):  # feedparser reads 03-10-2017 as 2003-10-20
        return parse_date(raw, tz)
    # feedparser reads a zone name it does not know (ICT, Vietnam's own) as UTC and drops
    # the time before a "+07"; the zoned forms it reads right, auditor.parse.dates reads alike
    if raw and has_zone(raw) and (when := parse_date(raw, tz)):
        return when
    if fields and raw and not has_zone(raw):  # feedparser took it for UTC
        return local_fields(fields, tz)
    if fields:
        try:
            return datetime(*fields[:6], tzinfo=UTC)
        except (TypeError, ValueError):
            pass
    return parse_date(raw, tz)


# -- safety ---------------------------------------------------------------------------------

_PROLOG_SKIP = re.compile(rb"\s*(?:<\?.*?\?>|<!--.*?-->)", re.S)
_DOCTYPE = re.compile(rb"\s*<!DOCTYPE\b[^\[>]*(\[)?", re.I)
_SUBSET_END = re.compile(rb"\]\s*>")


def declares_entities(body: bytes) -> bool:
    """Entity declarations are how "billion laughs" and external-entity attacks start; a
    real news feed never needs one. Only the DOCTYPE's internal subset can declare them: a
    CDATA section that mentions "<!ENTITY" is text."""
    head = _ascii_view(body[:65536])
    pos = 0
    while m := _PROLOG_SKIP.match(head, pos):
        if m.end() == pos:
            break
        pos = m.end()
    doctype = _DOCTYPE.match(head, pos)
    if not doctype or not doctype.group(1):
        return False
    end = _SUBSET_END.search(head, doctype.end())
    subset = head[doctype.end() : end.start() if end else len(head)]
    return b"<!entity" in subset.lower() or end is None


def _ascii_view(head: bytes) -> bytes:
    """UTF-16 and UTF-32 feeds seen as bytes where markup is ASCII."""
    for bom, codec in (
        (b"\xff\xfe\x00\x00", "utf-32-le"),
        (b"\x00\x00\xfe\xff", "utf-32-be"),
        (b"\xff\xfe", "utf-16-le"),
        (b"\xfe\xff", "utf-16-be"),
    ):
        if head.startswith(bom):
            text = head.decode(codec, "replace").lstrip("\ufeff")
            return text.encode("ascii", "replace")
    return head.removeprefix(b"\xef\xbb\xbf")


def _short(reason: object) -> str:
    text = str(reason)
    return text if len(text) < 160 else text[:160] + "…"
