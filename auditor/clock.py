"""The one clock. Every "now" the auditor reads comes from here; the logic below takes
`now` as an argument (and the CLI `--as-of`), so tests hand it a fixed instant instead."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo


def utcnow() -> datetime:
    """This instant, aware, in UTC (the store keeps instants in UTC)."""
    return datetime.now(UTC)


def iso(when: datetime | None) -> str | None:
    """An instant as the store keeps it: ISO 8601 in UTC, to the second."""
    return when.astimezone(UTC).isoformat(timespec="seconds") if when else None


def from_iso(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def today(tz: ZoneInfo) -> date:
    """Today's date in the campaign's time zone (a week there is not a week in UTC)."""
    return utcnow().astimezone(tz).date()
