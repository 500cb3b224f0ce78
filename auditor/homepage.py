"""Homepage HTML → feed links (and, later, banner evidence and menu sections). Pure."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urljoin

FEED_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/feed+json",
)


class _FeedLinks(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        rels = a.get("rel", "").lower().split()
        feed_type = a.get("type", "").lower() in FEED_TYPES
        if tag == "link" and "alternate" in rels and feed_type and a.get("href"):
            self.found.append((a["href"], a.get("title", "")))


def feed_links(html: str, base: str) -> list[str]:
    """Feeds a page announces with <link rel="alternate">, comment feeds left out."""
    parser = _FeedLinks()
    parser.feed(html)
    urls = []
    for href, title in parser.found:
        url = urljoin(base, href.strip())
        lowered = (url + " " + title).lower()
        if "comments" in lowered or "bình luận" in lowered:
            continue
        if url not in urls:
            urls.append(url)
    return urls


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
