"""The homepage check: is the campaign's welcome banner on each outlet's homepage today?

Fetch the homepage, look at its text, alt/title texts and image file names; when the HTML
does not tell, look at the images a browser would draw — lazy-loaded ones, <picture>
sources, CSS backgrounds of inline styles, <style> blocks and the site's own stylesheets —
and read the prominent ones (SVG by its text, the others by OCR), each recognised by its
bytes. One stored row per check, with the verdict and the evidence: `present`; `absent` only
when every prominent image was read; `unknown`, with the reason, when the page could not be
fetched, is drawn by scripts, or a stylesheet or a candidate image could not be read.
"""

from __future__ import annotations

import logging
import subprocess
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit

from auditor import ocr
from auditor.clock import utcnow
from auditor.config import select_outlets
from auditor.errors import FetchError
from auditor.fetch import Client, Fetcher
from auditor.parse import css
from auditor.parse.homepage import Image, Page, css_images, decode_html, read_page
from auditor.parse.images import OCR_FORMATS, data_uri, describe, sniff, svg_text
from auditor.ports import CrawlStore
from auditor.rules.banner import (
    SHELL_MAX_CHARS,
    PageVerdict,
    banner_shaped,
    check_page,
    logo_like,
    match_banner,
    ocr_candidates,
    script_shell,
    shape_candidates,
)
from auditor.types import Config, Outlet

log = logging.getLogger("auditor.crawl.banner")
MAX_STYLESHEETS = 20  # the site's own stylesheets read per check
CSS_LIMIT = 2 * 1024 * 1024  # characters of one stylesheet read; rules beyond are not seen
DATA_URI_LIMIT = 5 * 1024 * 1024
MAX_CANDIDATES = 12  # prominent images read per check
MAX_PIXELS = 40_000_000  # larger images are not handed to OCR


@dataclass(frozen=True)
class BannerCheck:
    outlet_id: str
    verdict: str  # present | absent | unknown
    evidence: str = ""
    location: str = ""
    image_url: str = ""
    ocr_text: str = ""
    error: str = ""


def banner_outlets(config: Config, outlet_ids: Iterable[str] | None) -> list[Outlet]:
    kinds = config.campaign.banner.required_for if config.campaign.banner else ()
    chosen = select_outlets(config, outlet_ids)
    return [o for o in chosen if o.kind in kinds or outlet_ids]


def check_banners(
    config: Config,
    store: CrawlStore,
    outlet_ids: Iterable[str] | None = None,
    *,
    now: Callable[[], datetime] = utcnow,
) -> list[BannerCheck]:
    fetcher = Fetcher(config.http, robots=store.robots(), now=now)
    why_no_ocr = ocr.available()
    results = []
    try:
        for outlet in banner_outlets(config, outlet_ids):
            check = check_outlet(outlet, fetcher.client(outlet), why_no_ocr)
            store.save_banner_check(
                outlet.id,
                now(),
                check.verdict,
                check.evidence,
                check.location,
                check.image_url,
                check.ocr_text,
                check.error,
            )
            log.info("%s: banner %s %s", outlet.id, check.verdict, check.location)
            results.append(check)
    finally:
        fetcher.close()
    store.save_robots(fetcher.fresh_robots)
    return results


def check_outlet(outlet: Outlet, client: Client, why_no_ocr: str) -> BannerCheck:
    try:
        page, base = _homepage(client, outlet.url)
    except FetchError as e:
        return BannerCheck(outlet.id, "unknown", error=f"homepage: {e.message}")
    found = check_page(page)
    if found.verdict == "present":
        return _from(outlet.id, found)
    notes = _add_stylesheet_images(client, page, base)
    found = check_page(page)  # file names of background images too
    if found.verdict == "present":
        return _from(outlet.id, found)
    return _by_images(outlet.id, client, page, notes, why_no_ocr)


def _homepage(client: Client, url: str) -> tuple[Page, str]:
    """The page a browser ends on: HTTP redirects are the fetcher's; a nearly empty page
    that moves on by <meta http-equiv="refresh"> is followed once, to the same site."""
    fetched = client.get(url)
    page = read_page(decode_html(fetched.body, fetched.content_type), fetched.final_url)
    target = page.refresh
    moves = target and target != fetched.final_url and same_site(target, fetched.final_url)
    if moves and page.visible_chars < SHELL_MAX_CHARS:
        fetched = client.get(target)
        page = read_page(decode_html(fetched.body, fetched.content_type), fetched.final_url)
    return page, fetched.final_url


def _from(outlet_id: str, found: PageVerdict, ocr_text: str = "") -> BannerCheck:
    return BannerCheck(
        outlet_id, found.verdict, found.evidence, found.location, found.image_url, ocr_text
    )


# -- stylesheets ------------------------------------------------------------------------------


def _add_stylesheet_images(client: Client, page: Page, base: str) -> list[str]:
    """Background images of <style> blocks and of the site's own stylesheets (and those
    they @import) join the page's images; what could not be read is returned as notes."""
    queue = list(page.stylesheets)
    for style in page.styles:
        page.images += css_images(page, style, base)
        queue += css.imports(style, base)
    notes: list[str] = []
    done: set[str] = set()
    while queue:
        url = queue.pop(0)
        if url in done or not same_site(url, base):
            continue
        if len(done) == MAX_STYLESHEETS:
            notes.append(f"stylesheets beyond {MAX_STYLESHEETS} not read, such as {url}")
            break
        done.add(url)
        queue += _read_stylesheet(client, page, url, notes)
    return notes


def _read_stylesheet(client: Client, page: Page, url: str, notes: list[str]) -> list[str]:
    """Add one stylesheet's background images to the page; return what it imports."""
    try:
        sheet = client.get(url)
    except FetchError as e:
        if e.status not in (404, 410):  # a missing sheet draws nothing in a browser either
            notes.append(f"stylesheet {url}: {e.message}")
        return []
    text = decode_html(sheet.body, sheet.content_type)
    if len(text) > CSS_LIMIT:
        notes.append(f"stylesheet {url}: only its first {CSS_LIMIT // 1024} KB read")
        text = text[:CSS_LIMIT]
    page.images += css_images(page, text, sheet.final_url)
    return css.imports(text, sheet.final_url)


def same_site(url: str, page_url: str) -> bool:
    """The page's host, or one of its subdomains or parents (static.x.vn for www.x.vn)."""
    a, b = (_site_host(u) for u in (url, page_url))
    return bool(a and b) and (a == b or a.endswith("." + b) or b.endswith("." + a))


def _site_host(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.")


# -- images -----------------------------------------------------------------------------------


@dataclass
class _Reading:
    unread: list[str]  # why a candidate banner could not be seen
    read: int = 0
    logos: int = 0  # pictures left out for their size or shape
    passed: list[str] = field(default_factory=list)  # unsized images that could not be sized


def _by_images(
    outlet_id: str, client: Client, page: Page, notes: list[str], why_no_ocr: str
) -> BannerCheck:
    """Read the prominent images, then the first unsized ones that prove banner-shaped;
    absent only if every candidate was read, none matched, and the page is not one drawn
    by scripts."""
    reading = _Reading(list(notes))
    prominent = ocr_candidates(page.images)
    if len(prominent) > MAX_CANDIDATES:  # a long slider: what is not read is not seen
        rest = prominent[MAX_CANDIDATES:]
        reading.unread.append(f"{len(rest)} more prominent images not read, such as {rest[0].src}")
        prominent = prominent[:MAX_CANDIDATES]
    tiers = [(i, True) for i in prominent]
    tiers += [(i, False) for i in shape_candidates(page.images, prominent)]
    for image, prominent_one in tiers:
        text, how = _image_text(client, image, reading, why_no_ocr, prominent_one)
        found = match_banner(text)
        if found:
            return BannerCheck(
                outlet_id,
                "present",
                found.text,
                f"image in {image.region} ({image.origin}, {how})",
                image.src[:500],
                " ".join(text.split())[:500],
            )
    shell = script_shell(page)
    if reading.unread or shell:
        why = "; ".join(w for w in [shell, *reading.unread] if w)
        return BannerCheck(outlet_id, "unknown", error=why[:500])
    return BannerCheck(outlet_id, "absent", location=_absent_where(reading)[:500])


def _absent_where(reading: _Reading) -> str:
    where = f"not in the text; images read: {reading.read}"
    if not reading.read:
        where = "no banner text, no banner image"
    if reading.logos:
        where += f" (left out for their size or shape: {reading.logos})"
    if reading.passed:
        where += f"; not sized: {'; '.join(reading.passed)}"
    return where


def _image_text(
    client: Client, image: Image, reading: _Reading, why_no_ocr: str, prominent: bool
) -> tuple[str, str]:
    """The text an image shows and how it was read; ("", "") when it was not. A prominent
    image that cannot be seen makes the check unknown; an unsized one that cannot be
    fetched is only noted, and is read only if it proves banner-shaped."""
    src = image.src if not image.src.startswith("data:") else image.src[:40] + "…"
    try:
        data = _image_bytes(client, image.src)
    except FetchError as e:
        gone = not prominent and e.status in (404, 410)  # a browser draws nothing there either
        (reading.passed if gone else reading.unread).append(f"{src}: {e.message}")
        return "", ""
    info = sniff(data)
    if info is None:
        why = f"{src}: not an image ({describe(data)})"
        (reading.unread if prominent else reading.passed).append(why)
        return "", ""
    if logo_like(info.width, info.height) or not (prominent or _banner_shaped(info)):
        reading.logos += 1
        return "", ""
    if info.format == "svg":
        reading.read += 1
        return svg_text(data), "SVG text"
    return _ocr(data, info, src, reading, why_no_ocr)


def _banner_shaped(info) -> bool:
    """Wide and flat, as banners are (an SVG without a size is given the benefit)."""
    if info.format == "svg" and not info.width:
        return True
    return banner_shaped(info.width, info.height)


def _ocr(data: bytes, info, src: str, reading: _Reading, why_no_ocr: str) -> tuple[str, str]:
    why = _why_not_ocr(info, why_no_ocr)
    if why:
        reading.unread.append(f"{src}: not read: {why}")
        return "", ""
    try:
        text = ocr.read_text(data)
    except (RuntimeError, OSError, subprocess.SubprocessError) as e:
        reading.unread.append(f"{src}: OCR failed: {e}")
        return "", ""
    reading.read += 1
    return text, "OCR"


def _why_not_ocr(info, why_no_ocr: str) -> str:
    if info.format not in OCR_FORMATS:
        return f"{info.format} images cannot be read by OCR"
    if info.width * info.height > MAX_PIXELS:
        return f"{info.width}×{info.height} pixels is too large to read"
    return why_no_ocr


def _image_bytes(client: Client, src: str) -> bytes:
    if src.startswith("data:"):
        data = data_uri(src, DATA_URI_LIMIT)
        if data is None:
            raise FetchError(src[:40], "a data: URI that cannot be decoded")
        return data
    return client.get(src).body
