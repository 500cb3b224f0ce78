"""Homepage HTML → what a reader sees: text blocks, images, links and feeds, each with the
region of the page it sits in (header, slider, banner, marquee, nav…), and menu sections. Pure."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

from auditor.urls import join_url

FEED_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/feed+json",
)


def decode_html(body: bytes, content_type: str = "") -> str:
    """Decode a page by its declared charset, falling back without ever failing."""
    charset = ""
    if "charset=" in content_type.lower():
        charset = content_type.lower().split("charset=")[-1].split(";")[0].strip(" \"'")
    head = body[:4096].decode("ascii", "replace").lower()
    if not charset and "charset=" in head:
        charset = head.split("charset=")[1].split('"')[0].split("'")[0].split(";")[0].strip()
        charset = charset.split()[0] if charset else ""
    for candidate in (charset, "utf-8", "windows-1258"):
        if not candidate:
            continue
        try:
            return body.decode(candidate)
        except (LookupError, UnicodeDecodeError):
            continue
    return body.decode("utf-8", "replace")


# -- a page read for people: text blocks, images, links, each with where it sits -----------

BLOCK_TAGS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "dd",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "marquee",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "td",
        "th",
        "tr",
        "ul",
        "title",
        "button",
    ]
)
VOID_TAGS = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
    ]
)
SKIP_TAGS = frozenset(("script", "style", "noscript", "template", "svg"))
REGION_WORDS = (
    "marquee",
    "slider",
    "slide",
    "carousel",
    "banner",
    "header",
    "top",
    "nav",
    "menu",
    "footer",
    "sidebar",
)


@dataclass(frozen=True)
class Block:
    text: str
    region: str


@dataclass(frozen=True)
class Image:
    src: str
    region: str
    alt: str = ""
    width: int = 0
    height: int = 0


@dataclass(frozen=True)
class Link:
    href: str
    text: str
    region: str
    title: str = ""


@dataclass
class Page:
    blocks: list[Block] = field(default_factory=list)
    attributes: list[Block] = field(default_factory=list)  # alt / title / aria-label texts
    images: list[Image] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    feeds: list[str] = field(default_factory=list)


class _Reader(HTMLParser):
    def __init__(self, base: str):
        super().__init__(convert_charrefs=True)
        self.base = base
        self.page = Page()
        self.stack: list[tuple[str, str]] = []  # (tag, region)
        self.buffer: list[str] = []
        self.skip = 0
        self.link: tuple[str, str, list[str]] | None = None  # (href, title, text parts)

    @property
    def region(self) -> str:
        return self.stack[-1][1] if self.stack else "body"

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag in SKIP_TAGS:
            self.skip += 1
            return
        if tag in BLOCK_TAGS:
            self.flush()
        region = _region(tag, a) or self.region
        self._attributes(tag, a, region)
        if tag == "img":
            self.page.images.append(
                Image(
                    join_url(self.base, a.get("src", "")) or "",
                    region,
                    a.get("alt", ""),
                    _int(a.get("width")),
                    _int(a.get("height")),
                )
            )
        if tag == "a" and a.get("href") and (href := join_url(self.base, a["href"])):
            self.link = (href, a.get("title", ""), [])
        if tag == "br":
            self.buffer.append(" ")
        if tag not in VOID_TAGS:
            self.stack.append((tag, region))

    def handle_endtag(self, tag):
        if tag in SKIP_TAGS:
            self.skip = max(0, self.skip - 1)
            return
        if tag == "a" and self.link:
            href, title, parts = self.link
            self.page.links.append(Link(href, " ".join("".join(parts).split()), self.region, title))
            self.link = None
        if tag in BLOCK_TAGS:
            self.flush()
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break

    def handle_data(self, data):
        if self.skip:
            return
        self.buffer.append(data)
        if self.link:
            self.link[2].append(data)

    def flush(self):
        text = " ".join("".join(self.buffer).split())
        if text:
            self.page.blocks.append(Block(text, self.region))
        self.buffer = []

    def _attributes(self, tag, a, region):
        for name in ("alt", "title", "aria-label"):
            if a.get(name, "").strip():
                self.page.attributes.append(Block(a[name].strip(), f"{region} {tag}[{name}]"))
        alternate = tag == "link" and "alternate" in a.get("rel", "").lower().split()
        if alternate and a.get("type", "").lower() in FEED_TYPES and a.get("href"):
            href = join_url(self.base, a["href"])
            if href:
                self.page.feeds.append(href)


def _region(tag: str, attrs: dict) -> str:
    if tag in ("header", "nav", "footer", "marquee", "aside"):
        return {"aside": "sidebar"}.get(tag, tag)
    names = f"{attrs.get('id', '')} {attrs.get('class', '')}".lower()
    for word in REGION_WORDS:
        if word in names:
            return word
    return ""


def _int(value) -> int:
    try:
        return int(str(value).strip().rstrip("px"))
    except (TypeError, ValueError):
        return 0


def read_page(html_text: str, base: str) -> Page:
    reader = _Reader(base)
    reader.feed(html_text)
    reader.close()
    reader.flush()
    return reader.page


def menu_sections(page: Page, campaign) -> list:
    """Links whose text (or URL slug) names a campaign column: where a site keeps it."""
    from auditor.columns import match_name
    from auditor.types import SectionSeen

    found, seen = [], set()
    for link in page.links:
        slug = urlsplit(link.href).path.rstrip("/").rsplit("/", 1)[-1]
        slug = re.sub(r"\.\w+$", "", slug)
        match = match_name(link.text or link.title, slug, campaign)
        if match is None or (match[0], link.href) in seen:
            continue
        seen.add((match[0], link.href))
        where = link.region or "page"
        found.append(
            SectionSeen(
                match[0],
                link.href,
                f"{where} link {link.text or link.title!r} → {link.href} matched by {match[1]}",
            )
        )
    return found
