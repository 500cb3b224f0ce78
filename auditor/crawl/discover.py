"""`auditor discover`: from a homepage URL to a ready config snippet, with the evidence.

Finds the feeds (announced by <link rel="alternate">, else at common paths), whether the
site is WordPress (the api.w.org Link header or <link>, else a probe of /wp-json/ and
?rest_route=/), and each required column's section from the menus, with the section's own
feed when it announces one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from auditor.crawl.run import common_feed_path
from auditor.crawl.wordpress import probe_roots
from auditor.errors import FetchError
from auditor.fetch import Client
from auditor.parse import wordpress as wp
from auditor.parse.homepage import decode_html, menu_sections, read_page
from auditor.rules.banner import PageVerdict, check_page
from auditor.rules.coverage import own_feeds
from auditor.text import slugify
from auditor.types import Campaign, SectionSeen
from auditor.urls import canonical_url


@dataclass
class Discovery:
    url: str
    title: str = ""
    feeds: list[str] = field(default_factory=list)
    feed_note: str = ""
    api_root: str = ""
    api_note: str = ""
    sections: list[SectionSeen] = field(default_factory=list)
    section_feeds: dict[str, str] = field(default_factory=dict)  # section URL → its feed
    banner: PageVerdict | None = None
    errors: list[str] = field(default_factory=list)
    reached: bool = False  # the homepage answered: without it the snippet would be empty


def looks_like_url(url: str) -> bool:
    parts = urlsplit(url.strip())
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def discover(url: str, campaign: Campaign, client: Client) -> Discovery:
    d = Discovery(url)
    try:
        home = client.get(url)
    except FetchError as e:
        d.errors.append(f"homepage: {e.message}")
        return d
    d.reached = True
    page = read_page(decode_html(home.body, home.content_type), home.final_url)
    d.title = next((b.text for b in page.blocks), "")[:120]
    d.banner = check_page(page)
    _feeds(d, client, [f for f in page.feeds if "comment" not in f.lower()])
    _wordpress(d, client, home)
    d.sections = menu_sections(page, campaign)
    _section_feeds(d, client)
    return d


def _section_feeds(d: Discovery, client: Client) -> None:
    """Each menu section's own feed, by the crawl's rule (coverage.own_feeds), leaving out
    those the site's feeds already are."""
    read = []
    for section in d.sections:
        try:
            fetched = client.get(section.url)
        except FetchError as e:
            d.errors.append(f"section {section.url}: {e.message}")
            continue
        html = decode_html(fetched.body, fetched.content_type)
        read.append((section, read_page(html, fetched.final_url).feeds))
    site_feeds = {canonical_url(f) for f in d.feeds}
    owned = own_feeds([(s.column_id, feeds) for s, feeds in read], d.url)
    for (section, _), own in zip(read, owned, strict=True):
        fresh = [f for f in own if canonical_url(f) not in site_feeds]
        if fresh:
            d.section_feeds[section.url] = fresh[0]


def _feeds(d: Discovery, client: Client, announced: list[str]) -> None:
    if announced:
        d.feeds, d.feed_note = announced[:5], 'announced by <link rel="alternate">'
        return
    path = common_feed_path(client, wp.site_base(d.url))
    if path:
        d.feeds, d.feed_note = [wp.site_base(d.url) + path], f"found at the common path {path}"
    else:
        d.feed_note = "no feed announced or at the common paths"


def _wordpress(d: Discovery, client: Client, home) -> None:
    found = wp.api_from_homepage(home)
    if found:
        d.api_root, d.api_note = found, "advertised by the homepage"
        return
    root = probe_roots(client, d.url)
    if root:
        d.api_root, d.api_note = root, "answered a probe"
        return
    d.api_note = "not WordPress (no api.w.org link, no answer at /wp-json/ or ?rest_route=/)"


def snippet(d: Discovery, kind: str = "website", outlet_id: str = "") -> str:
    """A config.yaml entry for the outlet, every choice explained in a comment."""
    q = json.dumps  # a JSON string is a YAML string, with Vietnamese kept as it is
    outlet_id = outlet_id or slugify(d.title or d.url)[:40] or "outlet"
    lines = [f"  # discovered from {d.url}"]
    lines += [f"  # error: {e}" for e in d.errors]
    lines += [
        f"  - id: {outlet_id}",
        f"    name: {q(d.title or outlet_id, ensure_ascii=False)}",
        f"    kind: {kind}",
        f"    url: {q(d.url)}",
    ]
    if d.feeds:
        lines.append(f"    feeds: [{', '.join(q(f) for f in d.feeds)}]  # {d.feed_note}")
    else:
        lines.append(f"    # feeds: none found ({d.feed_note})")
    wordpress = q(d.api_root) if d.api_root else "false"
    lines.append(f"    wordpress: {wordpress}  # {d.api_note}")
    columns = _columns(d)
    if columns and d.api_root:
        lines.append("    # WordPress: columns are found from its categories; menu sections seen:")
        lines += ["    # " + c.strip() for c in columns]
    elif columns:
        lines.append("    columns:")
        lines += columns
    if d.banner is not None:
        lines.append(
            f"    # banner on the homepage now: {d.banner.verdict}"
            + (f" ({d.banner.location}: {d.banner.evidence[:80]!r})" if d.banner.evidence else "")
        )
    return "\n".join(lines) + "\n"


def _columns(d: Discovery) -> list[str]:
    lines, done = [], set()
    for section in d.sections:
        if section.column_id in done:
            continue
        done.add(section.column_id)
        feed = d.section_feeds.get(section.url)
        place = (
            f"{{feed: {json.dumps(feed)}}}" if feed else f"{{section: {json.dumps(section.url)}}}"
        )
        lines.append(f"      {section.column_id}: {place}")
        lines.append(f"      # ↑ {section.evidence}" + (" (its own feed)" if feed else ""))
    return lines
