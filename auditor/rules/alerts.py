"""The weekly digest's rules, pure: what to tell about one outlet for one week.

It tells the whole truth about the week: columns that missed it; the outlet not reached
(and unreachable for `alerts.unreachable_days`); columns whose week is unknown or was not
judged; a banner absent or not checked. Silence is never reported as good news: "nothing
to report" only when every enabled outlet was judged and nothing fell short. The store
reads and the sending are in alerts.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from auditor.clock import from_iso, iso
from auditor.types import BannerSeen, CrawlRecord

_WEEK = re.compile(r"(\d{4})-W(\d{2})")


@dataclass
class OutletAlert:
    outlet_id: str
    outlet_name: str
    group: str
    missed: list[str] = field(default_factory=list)  # column names, the week proven short
    unknown: list[str] = field(default_factory=list)  # column names, the week not seen whole
    not_judged: list[str] = field(default_factory=list)  # column names, no audit of the week
    not_reached: str = ""  # why the outlet could not be read ("" when its last crawl did)
    banner: str = ""  # absent | not_checked | "" (seen, or not required of this outlet)
    unreachable_since: str = ""

    @property
    def empty(self) -> bool:
        return not (
            self.missed
            or self.unknown
            or self.not_judged
            or self.not_reached
            or self.banner
            or self.unreachable_since
        )


@dataclass
class Digest:
    week: str
    outlets: list[OutletAlert]  # only those with something to say
    judged: int = 0  # enabled outlets considered

    def groups(self) -> dict[str, list[OutletAlert]]:
        out: dict[str, list[OutletAlert]] = {}
        for o in self.outlets:
            out.setdefault(o.group or "default", []).append(o)
        return out


def week_bounds(week: str, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """Monday 00:00 to the next Monday 00:00, local time, of an ISO week "YYYY-Www";
    ValueError for anything else."""
    match = _WEEK.fullmatch(week or "")
    if not match:
        raise ValueError(f"expected a week like 2017-W43, got {week!r}")
    monday = date.fromisocalendar(int(match[1]), int(match[2]), 1)
    start = datetime.combine(monday, time(), tz)
    return start, datetime.combine(monday + timedelta(days=7), time(), tz)


def sort_columns(a: OutletAlert, verdicts: dict[str, str], names: dict[str, str]) -> None:
    """Each column of the campaign by its week's verdict (column id → status) in the
    outlet's latest audit run; a week in progress as of the run, or judged by no run, is
    "not judged", never good news."""
    for column_id, name in names.items():
        verdict = verdicts.get(column_id)
        if verdict == "missed":
            a.missed.append(name)
        elif verdict == "unknown":
            a.unknown.append(name)
        elif verdict != "met":
            a.not_judged.append(name)


def not_reached(last: CrawlRecord | None) -> str:
    """Why the outlet's last crawl did not read it ("" when it did)."""
    if last is None:
        return "never crawled"
    if last.status == "error":
        return f"last crawl {iso(last.started_at)} failed: {last.error}"
    return ""


def banner_went_missing(
    required: bool, checks: Iterable[BannerSeen], start: datetime, end: datetime
) -> str:
    """absent: every check of the week [start, end] that could see the homepage found no
    banner; not_checked: no such check in the week; "" when seen or not required."""
    if not required:
        return ""
    seen = [
        c.verdict
        for c in checks
        if start <= c.checked_at <= end and c.verdict in ("present", "absent")
    ]
    if not seen:
        return "not_checked"
    return "absent" if all(v == "absent" for v in seen) else ""


def unreachable_since(last: CrawlRecord | None, first_fail: str, now: datetime, days: int) -> str:
    """When the failures began, if the outlet is still failing and has been for `days`."""
    if last is None or last.status != "error":
        return ""
    if first_fail and from_iso(first_fail) <= now - timedelta(days=days):
        return first_fail
    return ""
