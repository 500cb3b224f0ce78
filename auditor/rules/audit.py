"""The directive's rules, pure: (facts about an outlet, campaign, now) → verdicts.

A week is the ISO week, Monday 00:00 to Sunday 24:00 in the campaign's time zone, and is
judged when it lies wholly inside [campaign.start, campaign.end]:

* ``in_progress`` – it has not ended by ``now``;
* ``met``         – the column published at least ``min_articles_per_week`` articles in it;
* ``missed``      – fewer, and the auditor's listings cover the whole week;
* ``unknown``     – fewer, and they do not: a week never seen is never called missed.
"""

from __future__ import annotations

import functools
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from operator import itemgetter
from zoneinfo import ZoneInfo

from auditor.rules.undated import in_doubt
from auditor.types import Campaign, ColumnFacts, ColumnSummary, WeekResult

MET, MISSED, IN_PROGRESS, UNKNOWN = "met", "missed", "in_progress", "unknown"
YES, NO = "yes", "no"  # a column's existence: yes, no or unknown
STATUSES = (MET, MISSED, IN_PROGRESS, UNKNOWN)


@dataclass(frozen=True)
class Week:
    label: str
    first_day: date
    last_day: date
    start: datetime  # aware, UTC
    end: datetime  # exclusive


def week_of(instant: datetime, tz: ZoneInfo) -> str:
    year, week, _ = instant.astimezone(tz).isocalendar()
    return f"{year}-W{week:02d}"


def weeks(campaign: Campaign, tz: ZoneInfo, now: datetime) -> list[Week]:
    """The campaign's judged weeks that have started by now."""
    return [w for w, _, _ in _weeks(campaign.start, campaign.end, tz, now)]


@functools.lru_cache(maxsize=16)
def _weeks(first: date, last: date, tz: ZoneInfo, now: datetime) -> tuple:
    """(week, start, end) with the bounds in UTC as well, made once per audit, not once
    per column: the instants compared with them are UTC, and comparing across zones is
    many times slower (issue 14)."""
    monday = first + timedelta(days=(7 - first.weekday()) % 7)
    found = []
    while monday + timedelta(days=6) <= last:
        start = datetime.combine(monday, time(), tz)
        if start >= now:
            break
        year, number, _ = monday.isocalendar()
        end = datetime.combine(monday + timedelta(days=7), time(), tz)
        week = Week(f"{year}-W{number:02d}", monday, monday + timedelta(days=6), start, end)
        found.append((week, start.astimezone(UTC), end.astimezone(UTC)))
        monday += timedelta(days=7)
    return tuple(found)


def merge(intervals: Iterable[tuple[datetime, datetime]]) -> list[tuple[datetime, datetime]]:
    merged: list[list[datetime]] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(s, e) for s, e in merged]


def covered(week: Week, merged: Sequence[tuple[datetime, datetime]]) -> bool:
    return _covered(week.start, week.end, merged)


def _covered(start: datetime, end: datetime, merged: Sequence[tuple[datetime, datetime]]) -> bool:
    return any(s <= start and end <= e for s, e in merged)


def covered_by(week: Week, sources: Sequence[tuple[datetime, datetime, str]]) -> str:
    return _covered_by(week.start, week.end, sources)


def _covered_by(start: datetime, end: datetime, sources: Sequence) -> str:
    """The listings that showed the week: one that covers it whole when there is one, else
    every listing that covers a part of it."""
    whole = sorted({label for s, e, label in sources if s <= start and end <= e})
    if whole:
        return "; ".join(whole)
    return "; ".join(sorted({label for s, e, label in sources if s < end and start < e}))


def judge_week(
    week: Week, ids: tuple[int, ...], required: int, is_covered: bool, now: datetime
) -> str:
    if now < week.end:
        return IN_PROGRESS
    if len(ids) >= required:
        return MET
    return MISSED if is_covered else UNKNOWN


def audit_column(
    outlet_id: str, facts: ColumnFacts, campaign: Campaign, tz: ZoneInfo, now: datetime
) -> tuple[list[WeekResult], ColumnSummary]:
    merged = merge(facts.coverage)
    until = now.astimezone(UTC)  # the instants are UTC: compared within one zone, faster
    published = _published_before(facts.articles, until)
    column = _Column(facts, published, merged, campaign.count == "column_on_topic")
    results = [
        _week_result(outlet_id, facts, column, week, start, end, campaign, now)
        for week, start, end in _weeks(campaign.start, campaign.end, tz, now)
    ]
    return results, _summary(outlet_id, facts, published, results, campaign, tz, now, merged)


def _published_before(articles: Sequence[tuple[int, datetime]], until: datetime) -> list:
    """(when, id) of the articles published before until, sorted; made in C (zip, map,
    one bisection), not by a generator over each of the store's articles (issue 14)."""
    pairs = sorted(zip(map(_second, articles), map(_first, articles), strict=True))
    return pairs[: bisect_left(pairs, (until,))]  # (until,) sorts before (until, any id)


_first, _second = itemgetter(0), itemgetter(1)


class _Column:
    """A column's articles as the weeks read them: instants and ids in separate lists,
    sorted by instant, so that a week is two bisections and a slice (issue 14: an audit
    of 2,000,000 articles judges 315,000 weeks)."""

    def __init__(self, facts: ColumnFacts, published: list, merged: list, on_topic_only: bool):
        self.merged, self.undated, self.on_topic = merged, facts.undated, facts.on_topic
        self.published_at, self.published_ids = (
            list(map(_first, published)),
            list(map(_second, published)),
        )
        self.counted_at, self.counted_ids = self.published_at, self.published_ids
        if on_topic_only and facts.on_topic is not None:
            counted = [(when, i) for when, i in published if i in facts.on_topic]
            self.counted_at, self.counted_ids = (
                list(map(_first, counted)),
                list(map(_second, counted)),
            )

    def counted(self, start: datetime, end: datetime) -> tuple[int, ...]:
        at = self.counted_at
        return tuple(self.counted_ids[bisect_left(at, start) : bisect_left(at, end)])

    def on_topic_count(self, start: datetime, end: datetime) -> int | None:
        if self.on_topic is None:
            return None
        at = self.published_at
        ids = self.published_ids[bisect_left(at, start) : bisect_left(at, end)]
        return sum(map(self.on_topic.__contains__, ids))

    def is_covered(self, start: datetime, end: datetime) -> bool:
        return _covered(start, end, self.merged) and not (
            self.undated and in_doubt(start, end, self.undated)
        )


def _week_result(outlet_id, facts, column, week, start, end, campaign, now) -> WeekResult:
    """One week judged; start and end are its bounds in UTC, like the instants."""
    ids = column.counted(start, end)
    is_covered = column.is_covered(start, end)
    status = judge_week(week, ids, campaign.min_articles_per_week, is_covered, now)
    by = ""
    if status == MISSED or (is_covered and status == MET):
        by = _covered_by(start, end, facts.sources)
    return WeekResult(
        outlet_id,
        facts.column_id,
        week.label,
        week.first_day,
        week.last_day,
        len(ids),
        campaign.min_articles_per_week,
        status,
        ids,
        column.on_topic_count(start, end),
        by,
    )


def in_range(items: list, start: datetime, end: datetime) -> list:
    """The (when, id) pairs of a list sorted by when with start <= when < end. Found by
    bisection: scanning every article for every week made an audit weeks x articles.
    Bounds in UTC, like the instants: comparing across zones is many times slower."""
    start, end = start.astimezone(UTC), end.astimezone(UTC)
    return items[bisect_left(items, start, key=_when) : bisect_left(items, end, key=_when)]


def _when(pair: tuple) -> datetime:
    return pair[0]


def _summary(
    outlet_id: str,
    facts: ColumnFacts,
    published: list,
    results: list[WeekResult],
    campaign: Campaign,
    tz: ZoneInfo,
    now: datetime,
    merged: Sequence[tuple[datetime, datetime]],
) -> ColumnSummary:
    first = published[0][0].astimezone(tz).date() if published else None
    exists, found_by = existence(facts, bool(published))
    timeliness = _timeliness(exists, published, campaign, tz, merged)
    count = Counter(r.status for r in results)  # one pass, not one per status
    off_topic = elsewhere = None
    if facts.on_topic is not None:
        off_topic = len(published) - sum(map(facts.on_topic.__contains__, map(_second, published)))
        elsewhere = sum(1 for _, when in facts.elsewhere if when < now)
    return ColumnSummary(
        outlet_id=outlet_id,
        column_id=facts.column_id,
        exists=exists,
        found_by=found_by,
        first_article=first,
        timeliness=timeliness,
        weeks_met=count[MET],
        weeks_missed=count[MISSED],
        weeks_unknown=count[UNKNOWN],
        weeks_in_progress=count[IN_PROGRESS],
        off_topic=off_topic,
        on_topic_elsewhere=elsewhere,
        finding=finding(exists, len(published), off_topic, elsewhere),
    )


def existence(facts: ColumnFacts, has_articles: bool) -> tuple[str, str]:
    """yes, no or unknown, with the evidence. `no` needs a complete listing of the outlet's
    categories, tags or menu sections without the column; an outlet never read, or read
    without such a listing, or where the operator placed the column but the crawl has not
    seen it there yet, gives unknown."""
    if facts.found_by or has_articles:
        return YES, facts.found_by or "articles linked to it"
    if facts.placed:
        return UNKNOWN, f"{facts.placed}, not seen there yet"
    if facts.listing:
        return NO, f"not in the complete listing of {facts.listing}"
    return UNKNOWN, "no complete listing of the outlet's categories, tags or menu yet"


def _timeliness(exists, published, campaign, tz, merged) -> str:
    """on_time: first article by the deadline; late: the first article came after it and
    the listings show the column was silent from the deadline until then; else unknown."""
    if exists == NO:
        return ""
    if not published:
        return UNKNOWN if exists == UNKNOWN else ""
    first_at = published[0][0]
    if first_at.astimezone(tz).date() <= campaign.start:
        return "on_time"
    deadline = as_of_instant(campaign.start, tz)
    silent_seen = any(s <= deadline and first_at <= e for s, e in merged)
    return "late" if silent_seen else UNKNOWN


def finding(exists: str, filed: int, off_topic: int | None, elsewhere: int | None) -> str:
    """One phrase a reader can act on: a column that does not exist but whose topic is
    covered elsewhere is not the same failure as silence; one the auditor could not check
    is neither."""
    if exists == UNKNOWN:
        return "not_checked"
    if exists == NO:
        if elsewhere:
            return "no_column_but_topic_published_elsewhere"
        return "no_column" if elsewhere is None else "no_column_and_no_topic_content"
    if off_topic is not None and filed and off_topic * 2 > filed:
        return "column_mostly_off_topic"
    return "column_exists"


def as_of_instant(day: date, tz: ZoneInfo) -> datetime:
    """--as-of DATE means the end of that day, local time."""
    return datetime.combine(day + timedelta(days=1), time(), tz)
