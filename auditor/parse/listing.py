"""Section pages of sites that are not WordPress: listing HTML → article links with dates,
the next page, and an article page's own publication date. Pure.

A listing item is the innermost block around a link; its date comes from a `<time
datetime>` in that block or from a Vietnamese date in its text ("25/09/2017 08:30",
"Thứ hai, 25/9/2017"), read in the campaign's time zone. An article page gives its date
in `article:published_time`, `datePublished` (meta or JSON-LD), `<time datetime>` or
`pubdate`, in that order.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html.parser import HTMLParser
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from auditor.parse.homepage import BLOCK_TAGS, SKIP_TAGS, VOID_TAGS, _region
from auditor.text import as_published
from auditor.urls import canonical_url, join_url, same_site, web_url

# no \b before the day: listings run a title into its date ("…công nhân12/11/2017 08:30")
_DATE = re.compile(r"(?<!\d)(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:\D{1,5}(\d{1,2})[:hg](\d{2}))?")
_NEXT_WORDS = {"trang sau", "tiếp", "sau", "next", "›", "»", ">", "trang tiếp", "xem tiếp"}
_NOT_ARTICLES = ("nav", "menu", "header", "footer")


@dataclass(frozen=True)
class Item:
    url: str
    title: str
    published: datetime | None


@dataclass
class Listing:
    items: list[Item] = field(default_factory=list)
    next_url: str = ""


@dataclass
class _Frame:
    tag: str
    region: str
    text: list[str] = field(default_factory=list)
    times: list[str] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)


class _ListingReader(HTMLParser):
    def __init__(self, base: str, tz: ZoneInfo):
        super().__init__(convert_charrefs=True)
        self.base, self.tz = base, tz
        self.frames = [_Frame("root", "body")]
        self.stack: list[str] = []
        self.listing = Listing()
        self.skip = 0
        self.anchor: dict | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag in SKIP_TAGS:
            self.skip += 1
            return
        if tag in ("a", "link") and "next" in a.get("rel", "").lower().split() and a.get("href"):
            self.listing.next_url = self.listing.next_url or join_url(self.base, a["href"])
        if tag == "time" and a.get("datetime"):
            self.frames[-1].times.append(a["datetime"])
        if tag in BLOCK_TAGS:
            self.frames.append(_Frame(tag, _region(tag, a) or self.frames[-1].region))
        if tag == "a" and a.get("href") and (href := join_url(self.base, a["href"])):
            self.anchor = {"href": href, "text": []}
        if tag not in VOID_TAGS:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if tag in SKIP_TAGS:
            self.skip = max(0, self.skip - 1)
            return
        if tag == "a" and self.anchor:
            text = " ".join("".join(self.anchor["text"]).split())
            self.frames[-1].links.append((self.anchor["href"], text))
            self.anchor = None
        if tag in BLOCK_TAGS and len(self.frames) > 1 and self.frames[-1].tag == tag:
            self._close(self.frames.pop())

    def handle_data(self, data):
        if self.skip:
            return
        self.frames[-1].text.append(data)
        if self.anchor is not None:
            self.anchor["text"].append(data)

    def _close(self, frame: _Frame) -> None:
        """Links whose block carries a date become items; the rest go to the parent."""
        parent = self.frames[-1]
        text = " ".join("".join(frame.text).split())
        when = _first_date(frame.times, text, self.tz)
        for href, title in frame.links:
            if title.strip().lower() in _NEXT_WORDS:
                self.listing.next_url = self.listing.next_url or href
            elif frame.region in _NOT_ARTICLES:
                continue  # menus and headers link to sections, not articles
            elif when is not None:
                self._add(href, title, when)
            else:
                parent.links.append((href, title))
        parent.text.append(" " + text + " ")
        parent.times += frame.times

    def _add(self, href: str, title: str, when: datetime | None) -> None:
        url = web_url(href)
        if url:  # a mailto: or javascript: link is no article
            self.listing.items.append(Item(url, as_published(title), when))

    def finish(self) -> Listing:
        while len(self.frames) > 1:
            self._close(self.frames.pop())
        for href, title in self.frames[0].links:
            if title.strip().lower() in _NEXT_WORDS:
                self.listing.next_url = self.listing.next_url or href
            else:
                self._add(href, title, None)
        return self.listing


def read_listing(html_text: str, page_url: str, tz: ZoneInfo) -> Listing:
    """Article links of a section page (same site, titled, not the menu), and the next page."""
    reader = _ListingReader(page_url, tz)
    reader.feed(html_text)
    reader.close()
    listing = reader.finish()
    seen, items = set(), []
    here = canonical_url(page_url)
    for item in listing.items:
        if item.url in seen or item.url == here or not same_site(item.url, page_url):
            continue
        if len(item.title) < 12 or not _looks_like_article(item.url):
            continue
        seen.add(item.url)
        items.append(item)
    listing.items = items
    return listing


def _looks_like_article(url: str) -> bool:
    path = urlsplit(url).path.rstrip("/")
    last = path.rsplit("/", 1)[-1]
    return bool(re.search(r"\.s?html?$|\d{3,}|-.*-.*-", last))


def _first_date(times: list[str], text: str, tz: ZoneInfo) -> datetime | None:
    for value in times:
        when = parse_when(value, tz)
        if when:
            return when
    return parse_vietnamese_date(text, tz)


def parse_vietnamese_date(text: str, tz: ZoneInfo) -> datetime | None:
    """The first dd/mm/yyyy [hh:mm] in the text, as local time, in UTC."""
    for m in _DATE.finditer(text or ""):
        day, month, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
        hour, minute = int(m.group(4) or 0), int(m.group(5) or 0)
        try:
            return datetime(year, month, day, hour, minute, tzinfo=tz).astimezone(UTC)
        except ValueError:
            continue
    return None


def parse_when(value: str, tz: ZoneInfo) -> datetime | None:
    """An ISO 8601 date or instant; without an offset it is local time."""
    value = (value or "").strip()
    if not value:
        return None
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return parse_vietnamese_date(value, tz)
    return (when.replace(tzinfo=tz) if when.tzinfo is None else when).astimezone(UTC)


class _MetaReader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: dict[str, str] = {}
        self.json_ld: list[str] = []
        self._in_json = False
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        key = (a.get("property") or a.get("itemprop") or a.get("name") or "").lower()
        if tag == "meta" and key in (
            "article:published_time",
            "datepublished",
            "pubdate",
            "og:article:published_time",
            "dc.date.issued",
        ):
            self.found.setdefault(key, a.get("content", ""))
        if tag == "time" and a.get("datetime"):
            self.found.setdefault("time", a["datetime"])
        if tag == "script" and "ld+json" in a.get("type", "").lower():
            self._in_json = True
        if tag == "title":
            self._in_title = True

    def handle_endtag(self, tag):
        self._in_json = self._in_json and tag != "script"
        self._in_title = self._in_title and tag != "title"

    def handle_data(self, data):
        if self._in_json:
            self.json_ld.append(data)
        if self._in_title:
            self.title += data


def article_date(html_text: str, tz: ZoneInfo) -> datetime | None:
    """When an article page says it was published."""
    reader = _MetaReader()
    reader.feed(html_text)
    for key in ("article:published_time", "og:article:published_time", "datepublished"):
        when = parse_when(reader.found.get(key, ""), tz)
        if when:
            return when
    for blob in reader.json_ld:
        when = _json_ld_date(blob, tz)
        if when:
            return when
    for key in ("time", "pubdate", "dc.date.issued"):
        when = parse_when(reader.found.get(key, ""), tz)
        if when:
            return when
    return None


def _json_ld_date(blob: str, tz: ZoneInfo) -> datetime | None:
    try:
        data = json.loads(blob)
    except ValueError:
        return None
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if isinstance(node.get("datePublished"), str):
                return parse_when(node["datePublished"], tz)
            stack += list(node.values())
        elif isinstance(node, list):
            stack += node
    return None
