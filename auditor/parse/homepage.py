"""Homepage HTML → what a reader sees: text blocks, images, links and feeds, each with the
region of the page it sits in (header, slider, banner, marquee, nav…), and menu sections. Pure."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

from auditor.parse.css import declared_backgrounds, selector_names, stylesheet_backgrounds
from auditor.text import as_published
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
        # <meta charset="…"> puts the quote first; <meta charset=…> may end at the ">"
        value = head.split("charset=")[1].lstrip("\"' ")
        charset = value.split('"')[0].split("'")[0].split(";")[0].split(">")[0].strip()
        charset = charset.split()[0] if charset else ""
    for candidate in (charset, "utf-8", "windows-1258"):
        if not candidate:
            continue
        try:
            return body.decode(candidate)
        except (LookupError, ValueError):  # ValueError: a name with NUL in it, say
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
SVG_TEXT = frozenset(("text", "tspan", "textpath"))  # the words an inline SVG draws
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
    origin: str = "img"  # img, lazy img, srcset, picture, inline style, stylesheet


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
    stylesheets: list[str] = field(default_factory=list)  # <link rel="stylesheet"> URLs
    styles: list[str] = field(default_factory=list)  # <style> blocks
    scripts: int = 0  # <script> elements
    visible_chars: int = 0  # characters of text a reader sees (not the <title>)
    regions: dict[str, str] = field(default_factory=dict)  # id / class name → its region
    refresh: str = ""  # where <meta http-equiv="refresh"> sends the reader
    frames: list[str] = field(default_factory=list)  # <frame> / <iframe> sources


class _Reader(HTMLParser):
    def __init__(self, base: str):
        super().__init__(convert_charrefs=True)
        self.base = base
        self.page = Page()
        self.stack: list[tuple[str, str]] = []  # (tag, region)
        self.buffer: list[str] = []
        self.skip = 0
        self.link: tuple[str, str, list[str]] | None = None  # (href, title, text parts)
        self.in_style = False
        self.in_title = False
        self.svg = 0  # depth of inline <svg>: only the words it draws are read

    @property
    def region(self) -> str:
        return self.stack[-1][1] if self.stack else "body"

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if self.svg or tag == "svg":
            self._svg_start(tag, a)
            return
        if tag in SKIP_TAGS:
            self.page.scripts += tag == "script"
            self.in_style = tag == "style"
            self.skip += 1
            return
        if tag in BLOCK_TAGS:
            self.flush()
        self.in_title = self.in_title or tag == "title"
        region = _region(tag, a) or self.region
        self._attributes(tag, a, region)
        self._names(a, region)
        self._images(tag, a, region)
        if tag == "a" and a.get("href") and (href := join_url(self.base, a["href"])):
            self.link = (href, a.get("title", ""), [])
        if tag == "br":
            self.buffer.append(" ")
        if tag not in VOID_TAGS:
            self.stack.append((tag, region))

    def handle_endtag(self, tag):
        if self.svg:
            self._svg_end(tag)
            return
        if tag in SKIP_TAGS:
            self.skip = max(0, self.skip - 1)
            self.in_style = False
            return
        self.in_title = self.in_title and tag != "title"
        if tag == "a" and self.link:
            href, title, parts = self.link
            text = as_published("".join(parts))  # a section's name as the site writes it
            self.page.links.append(Link(href, text, self.region, as_published(title)))
            self.link = None
        if tag in BLOCK_TAGS:
            self.flush()
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break

    def handle_data(self, data):
        if self.in_style:
            self.page.styles.append(data)
        if self.skip or (self.svg and (not self.stack or self.stack[-1][0] not in SVG_TEXT)):
            return
        if not self.in_title:
            self.page.visible_chars += len("".join(data.split()))
        self.buffer.append(data)
        if self.link:
            self.link[2].append(data)

    def _svg_start(self, tag, a):
        """Inside an inline SVG, a banner's words are its <text> elements; titles, icons'
        paths and styles are no text a reader sees."""
        if tag == "svg":
            self.flush()
            self.svg += 1
        if tag == "text":
            self.buffer.append(" ")  # each <text> is a line of its own
        self.stack.append((tag, _region(tag, a) or self.region))

    def _svg_end(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break
            if self.stack[i][0] == "svg":
                return  # a stray end tag never closes the <svg> it sits in
        if tag == "svg":
            self.svg -= 1
            self.flush()

    def flush(self):
        text = " ".join("".join(self.buffer).split())
        if text:
            self.page.blocks.append(Block(text, self.region))
        self.buffer = []

    def _attributes(self, tag, a, region):
        for name in ("alt", "title", "aria-label"):
            if a.get(name, "").strip():
                self.page.attributes.append(Block(a[name].strip(), f"{region} {tag}[{name}]"))
        rel = a.get("rel", "").lower().split() if tag == "link" else []
        feed = "alternate" in rel and a.get("type", "").lower() in FEED_TYPES
        if feed and (href := join_url(self.base, a.get("href", ""))):
            self.page.feeds.append(href)
        if tag in ("frame", "iframe") and (src := join_url(self.base, a.get("src", ""))):
            self.page.frames.append(src)
        if tag == "meta" and a.get("http-equiv", "").lower() == "refresh":
            self.page.refresh = _refresh_target(a.get("content", ""), self.base)
        if "stylesheet" in rel and (href := join_url(self.base, a.get("href", ""))):
            self.page.stylesheets.append(href)

    def _names(self, a, region):
        """Remember where each id and class sits, so stylesheet rules can be placed."""
        for name in [a.get("id", ""), *a.get("class", "").split()]:
            if name:
                self.page.regions.setdefault(name, region)

    def _images(self, tag, a, region):
        """What a browser would draw: the lazy-loaded source rather than its placeholder,
        the largest srcset candidate, <picture> sources, background images of styles."""
        width, height = _int(a.get("width")), _int(a.get("height"))
        found: list[tuple[str, str]] = []
        if tag == "img":
            found.append(_img_source(a))
        elif tag == "source" and any(t == "picture" for t, _ in self.stack):
            found.append((_largest(a.get("srcset") or a.get("data-srcset", "")), "picture"))
        for name in ("data-bg", "data-background", "data-background-image"):
            found.append((a.get(name, "").strip(), "lazy background"))
        for bg in declared_backgrounds(a.get("style", ""), self.base):
            found.append((bg.url, "inline style"))
            width, height = width or bg.width, height or bg.height
        for src, origin in found:
            if src and not src.lower().startswith("javascript:"):
                src = src if src.startswith("data:") else join_url(self.base, src)
            if src and not src.lower().startswith("javascript:"):
                self.page.images.append(Image(src, region, a.get("alt", ""), width, height, origin))


def _region(tag: str, attrs: dict) -> str:
    if tag in ("header", "nav", "footer", "marquee", "aside"):
        return {"aside": "sidebar"}.get(tag, tag)
    names = f"{attrs.get('id', '')} {attrs.get('class', '')}".lower()
    for word in REGION_WORDS:
        if word in names:
            return word
    return ""


LAZY_SOURCES = ("data-src", "data-original", "data-lazy-src", "data-lazy", "data-url")
LAZY_SRCSETS = ("data-srcset", "data-lazy-srcset", "srcset")


def _refresh_target(content: str, base: str) -> str:
    """'0; url=/portal/' → the absolute URL ("" when the refresh only reloads the page)."""
    found = re.search(r"""url\s*=\s*['"]?([^'"\s]+)""", content, re.I)
    return (join_url(base, found.group(1)) or "") if found else ""


def _img_source(a: dict) -> tuple[str, str]:
    """The image an <img> finally shows: a lazy loader swaps data-src (or its kin) in for the
    placeholder in src; a srcset's largest candidate is what a wide screen gets."""
    for name in LAZY_SOURCES:
        if a.get(name, "").strip():
            return a[name].strip(), "lazy img"
    for name in LAZY_SRCSETS:
        best = _largest(a.get(name, ""))
        if best:
            return best, "srcset"
    return a.get("src", "").strip(), "img"


def _largest(srcset: str) -> str:
    """The candidate of a srcset with the largest width (480w) or density (2x)."""
    best, best_size = "", -1.0
    for candidate in re.split(r",\s+|,(?=\S+\s+\d)", srcset.strip()):
        parts = candidate.split()
        if not parts:
            continue
        size = 1.0
        if len(parts) > 1 and re.fullmatch(r"\d+(\.\d+)?[wx]", parts[1]):
            size = float(parts[1][:-1])
        if size > best_size:
            best, best_size = parts[0], size
    return best


def _int(value) -> int:
    try:
        return int(str(value).strip().rstrip("px"))
    except (TypeError, ValueError):
        return 0


def css_images(page: Page, css: str, base: str) -> list[Image]:
    """Background images of a stylesheet's rules, placed in the page's regions by the ids
    and class names (or tags) of their selectors."""
    return [
        Image(
            bg.url,
            _selector_region(bg.selector, page.regions),
            "",
            bg.width,
            bg.height,
            "stylesheet",
        )
        for bg in stylesheet_backgrounds(css, base)
    ]


def _selector_region(selector: str, regions: dict[str, str]) -> str:
    for name in reversed(selector_names(selector)):  # the element drawn is named last
        region = _region("", {"class": name}) or regions.get(name)
        if region and region != "body":
            return region
    tags = re.findall(r"(?<![#.\w-])(header|nav|footer|marquee|aside)\b", selector.lower())
    if tags:
        return _region(tags[-1], {})
    # an element of the page shows it, somewhere; a rule for no element shows nothing
    return "body" if any(n in regions for n in selector_names(selector)) else "stylesheet"


def read_page(html_text: str, base: str) -> Page:
    reader = _Reader(base)
    reader.feed(html_text)
    reader.close()
    reader.flush()
    return reader.page


def menu_sections(page: Page, campaign) -> list:
    """Links whose text (or URL slug) names a campaign column: where a site keeps it."""
    from auditor.rules.columns import ambiguous_loose_keys, match_name
    from auditor.types import SectionSeen

    found, seen = [], set()
    ambiguous = ambiguous_loose_keys((k.text or k.title for k in page.links), campaign)
    for link in page.links:
        slug = urlsplit(link.href).path.rstrip("/").rsplit("/", 1)[-1]
        slug = re.sub(r"\.\w+$", "", slug)
        match = match_name(link.text or link.title, slug, campaign, ambiguous)
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
