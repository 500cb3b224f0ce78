"""The banner over time, pure: stored checks read by day in the campaign's time zone.

A day counts as checked when a check could see the homepage that day (an `unknown` check
does not count), and as present when one of that day's checks saw the banner. `export
outlets`, the reports and the digest read the checks this way.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from zoneinfo import ZoneInfo

from auditor.types import BannerSeen


def banner_days(checks: Iterable[BannerSeen], first: date, last: date, tz: ZoneInfo) -> dict:
    """day → whether the banner was seen that day, for the checked days in [first, last]."""
    days: dict[date, bool] = {}
    for c in checks:
        day = c.checked_at.astimezone(tz).date()
        if first <= day <= last and c.verdict != "unknown":
            days[day] = days.get(day, False) or c.verdict == "present"
    return days


def banner_summary(checks: Iterable[BannerSeen], first_day: date, last_day: date, tz) -> dict:
    """Over the campaign: days checked, days the banner was seen, the share, first and last."""
    days = banner_days(checks, first_day, last_day, tz)
    seen = sorted(d for d, present in days.items() if present)
    return {
        "banner_days_checked": len(days),
        "banner_days_present": len(seen),
        "banner_share": round(len(seen) / len(days), 3) if days else None,
        "banner_first_seen": seen[0].isoformat() if seen else None,
        "banner_last_seen": seen[-1].isoformat() if seen else None,
    }
