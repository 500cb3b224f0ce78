"""The homepage check: is the campaign's welcome banner on each outlet's homepage today?

Fetch the homepage, look at its text, alt/title texts and image file names, and read
prominent images by OCR when the HTML does not tell. One stored row per check, with the
verdict (present, absent, unknown when the page could not be fetched) and the evidence.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from auditor import ocr
from auditor.banner import PageVerdict, check_page, match_banner, ocr_candidates
from auditor.crawl import select_outlets
from auditor.errors import FetchError
from auditor.fetch import Client, Fetcher, utcnow
from auditor.homepage import decode_html, read_page
from auditor.store import Store
from auditor.types import Config, Outlet

log = logging.getLogger("auditor.checks")


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
    store: Store,
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
        page_bytes = client.get(outlet.url)
    except FetchError as e:
        return BannerCheck(outlet.id, "unknown", error=f"homepage: {e.message}")
    page = read_page(decode_html(page_bytes.body, page_bytes.content_type), page_bytes.final_url)
    found = check_page(page)
    if found.verdict == "present":
        return _from(outlet.id, found)
    return _by_ocr(outlet.id, client, ocr_candidates(page), why_no_ocr)


def _from(outlet_id: str, found: PageVerdict, ocr_text: str = "") -> BannerCheck:
    return BannerCheck(
        outlet_id, found.verdict, found.evidence, found.location, found.image_url, ocr_text
    )


def _by_ocr(outlet_id: str, client: Client, images: list, why_no_ocr: str) -> BannerCheck:
    """Read the prominent images; absent only if every one was read and none matched."""
    if not images:
        return BannerCheck(outlet_id, "absent", location="no banner text, no banner image")
    if why_no_ocr:
        return BannerCheck(
            outlet_id,
            "unknown",
            image_url=images[0].src,
            error=f"banner images not read: {why_no_ocr}",
        )
    unread = []
    for image in images:
        try:
            text = ocr.read_text(client.get(image.src).body)
        except (FetchError, RuntimeError, OSError) as e:
            unread.append(f"{image.src}: {e}")
            continue
        found = match_banner(text)
        if found:
            return BannerCheck(
                outlet_id,
                "present",
                found.text,
                f"image in {image.region} (OCR)",
                image.src,
                " ".join(text.split())[:500],
            )
    if unread:
        return BannerCheck(outlet_id, "unknown", error="; ".join(unread)[:500])
    return BannerCheck(outlet_id, "absent", location=f"{len(images)} images read by OCR")


def banner_summary(checks: list[dict], first_day, last_day, tz) -> dict:
    """Over the campaign: days checked, days the banner was seen, the share, first and last."""
    days: dict = {}
    for c in checks:
        day = datetime.fromisoformat(c["checked_at"]).astimezone(tz).date()
        if not (first_day <= day <= last_day) or c["verdict"] == "unknown":
            continue
        days[day] = days.get(day, False) or c["verdict"] == "present"
    seen = sorted(d for d, present in days.items() if present)
    return {
        "banner_days_checked": len(days),
        "banner_days_present": len(seen),
        "banner_share": round(len(seen) / len(days), 3) if days else None,
        "banner_first_seen": seen[0].isoformat() if seen else None,
        "banner_last_seen": seen[-1].isoformat() if seen else None,
    }
