"""Publication dates as feeds and CMS pages write them → aware UTC instants. Pure.

feedparser reads the standard forms; what it cannot read, or reads in UTC although no zone
was written, is read here. A date without a zone is local time in the campaign's zone:
"2017-10-01T23:30:00" from a Vietnamese CMS is Sunday night in Hà Nội, not Monday morning.
Forms seen on Vietnamese sites: "03/10/2017 08:30", "Thứ ba, 03/10/2017 08:30 GMT+7",
"08:30 | 03/10/2017 (GMT+7)", "03-10-2017", "ngày 3 tháng 10 năm 2017", RFC 822 without zone.
"""

from __future__ import annotations

import email.utils
import re
from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

DEFAULT_TZ = ZoneInfo("Asia/Ho_Chi_Minh")

# day-first numeric dates with a four-digit year: feedparser misreads "03-10-2017" as ISO
_DMY = re.compile(r"(?<!\d)(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})(?!\d)")
_YMD_SLASH = re.compile(r"(?<!\d)(\d{4})[/.](\d{1,2})[/.](\d{1,2})(?!\d)")
_WORDS = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", re.I)
_TIME = re.compile(r"(?<![\d/.-])(\d{1,2})\s*[:hg]\s*(\d{2})(?:\s*:\s*(\d{2}))?(?!\d)")
_OFFSET = re.compile(r"\b(?:GMT|UTC|UT)\s*(?:([+-])\s*(\d{1,2})(?::?(\d{2}))?)?", re.I)
# what says "this instant has a zone": Z, ±hh:mm after a time, or a zone name
_HAS_ZONE = re.compile(
    r"(\d(?:\.\d+)?Z$)|(\d:?\d{2}(?::?\d{2})?(?:\.\d+)?\s*\(?[+-]\d{2}(?::?\d{2})?\)?\s*$)"
    r"|\b(GMT|UTC|UT|ICT|[ECMP][SD]T|Z)\b|(\d:\d{2}(?::\d{2})?\s+[A-Z]{1,5}$)",
    re.I,
)


def has_zone(raw: str) -> bool:
    return bool(_HAS_ZONE.search((raw or "").strip()))


def is_day_first(raw: str) -> bool:
    """Numeric forms feedparser gets wrong (it reads 03-10-2017 as 2003-10-20)."""
    return bool(_DMY.search(raw or "") or _YMD_SLASH.search(raw or ""))


def parse_date(raw: str | None, tz: ZoneInfo = DEFAULT_TZ) -> datetime | None:
    """The instant written in raw (UTC), or None; without a zone it is local time in tz."""
    raw = " ".join((raw or "").split())
    if not raw:
        return None
    for reader in (_iso, _rfc822, _numeric):
        when = reader(raw, tz)
        if when is not None:
            return when
    return None


def local_fields(fields: tuple, tz: ZoneInfo) -> datetime | None:
    """A time.struct_time-like tuple that feedparser read as UTC but that had no zone."""
    try:
        return datetime(*fields[:6], tzinfo=tz).astimezone(UTC)
    except (TypeError, ValueError):
        return None


def _iso(raw: str, tz: ZoneInfo) -> datetime | None:
    try:
        when = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        return None
    return _aware(when, tz)


def _rfc822(raw: str, tz: ZoneInfo) -> datetime | None:
    if not re.search(r"[A-Za-z]{3}", raw) or _DMY.search(raw):
        return None
    try:
        when = email.utils.parsedate_to_datetime(raw)
    except (TypeError, ValueError, IndexError):
        return None
    return _aware(when, tz) if when else None


def _numeric(raw: str, tz: ZoneInfo) -> datetime | None:
    found = _day(raw)
    if found is None:
        return None
    (year, month, day), rest = found
    hour = minute = second = 0
    t = _TIME.search(_OFFSET.sub(" ", rest))
    if t:
        hour, minute, second = int(t.group(1)), int(t.group(2)), int(t.group(3) or 0)
    try:
        local = datetime(year, month, day, hour, minute, second)
    except ValueError:
        return None
    return _aware(local, _offset(rest) or tz)


def _day(raw: str) -> tuple[tuple[int, int, int], str] | None:
    """(year, month, day) and the text around it, where a time and a zone may be."""
    for pattern, order in ((_DMY, (3, 2, 1)), (_YMD_SLASH, (1, 2, 3)), (_WORDS, (3, 2, 1))):
        m = pattern.search(raw)
        if m:
            ymd = tuple(int(m.group(i)) for i in order)
            return ymd, raw[: m.start()] + " " + raw[m.end() :]
    return None


def _offset(text: str) -> timezone | None:
    m = _OFFSET.search(text)
    if not m:
        return None
    if not m.group(1):
        return UTC
    minutes = int(m.group(2)) * 60 + int(m.group(3) or 0)
    if minutes > 14 * 60:
        return None
    return timezone(timedelta(minutes=-minutes if m.group(1) == "-" else minutes))


def _aware(when: datetime, tz) -> datetime | None:
    try:
        return (when.replace(tzinfo=tz) if when.tzinfo is None else when).astimezone(UTC)
    except (OverflowError, ValueError):
        return None
