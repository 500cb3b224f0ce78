"""The report's own decisions, pure: which summary group an outlet falls in, what to
follow up and since when. They only read verdicts the audit already stored (the weekly
statuses, the column summaries, the banner checks); no rule of the directive is redone.

An outlet never reached, or with no week of the period judged, is "not checked": what
was not seen is never counted against anyone.
"""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from auditor.report.model import BannerView, ColumnView, FollowUp, OutletView
from auditor.rules.banner_days import banner_days
from auditor.types import BannerSeen


def existence(raw: object, reached: bool, last_failed: bool) -> str:
    """yes / no / unknown. The store holds 1/0 today (NULL or a word in later versions).
    A "no" stands only when the outlet's last crawl got through: otherwise we did not see."""
    if raw in (1, True, "yes"):
        return "yes"
    if raw in (0, False, "no") and reached and not last_failed:
        return "no"
    return "unknown"


def verdict(outlet: OutletView) -> tuple[str, list[tuple[str, dict]]]:
    """full | partial | none | not_checked, with the reasons a reader can check."""
    if not outlet.audited:
        return "not_checked", [("reason_not_audited", {})]
    if not outlet.reached:
        return "not_checked", [("reason_never_reached", {})]
    if not any(c.judged for c in outlet.columns):
        return "not_checked", [("reason_no_week", {})]
    reasons = _column_reasons(outlet.columns)
    banner = outlet.banner.verdict
    if banner == "absent":
        reasons.append(("reason_banner_absent", {}))
    elif banner == "unknown":
        reasons.append(("reason_banner_unknown", {}))
    if not reasons:
        return "full", [("reason_all_met", {})]
    if not any(c.met for c in outlet.columns) and banner != "present":
        return "none", [("reason_nothing_met", {}), *reasons]
    return "partial", reasons


def _column_reasons(columns: list[ColumnView]) -> list[tuple[str, dict]]:
    reasons = []
    for c in columns:
        if c.exists == "no":
            reasons.append(("reason_column_no", {"column": c.name}))
        elif c.missed:
            reasons.append(("reason_column_missed", {"column": c.name, "missed": c.missed}))
        elif not c.judged:
            reasons.append(("reason_column_unjudged", {"column": c.name}))
    return reasons


def banner_state(
    checks: list[BannerSeen], first: date, last: date, tz: ZoneInfo
) -> tuple[str, str]:
    """(verdict, absent since) over [first, last], read by day as `export outlets` reads
    them (seen once that day = present; unknown checks do not count): the last checked
    day decides, and an absence runs from the day after the banner was last seen."""
    days = banner_days(checks, first, last, tz)
    if not days:
        return "unknown", ""
    ordered = sorted(days.items())
    if ordered[-1][1]:
        return "present", ""
    since = ordered[-1][0]
    for day, seen in reversed(ordered):
        if seen:
            break
        since = day
    return "absent", since.isoformat()


def silent_streak(statuses: list[tuple[str, str, str]]) -> tuple[str, int] | None:
    """statuses: (week, week start, status) in order. The latest run of two or more
    missed weeks in a row: (its first day, its length)."""
    best = None
    run_start, run = "", 0
    for _, start, status in statuses:
        if status == "missed":
            run_start, run = (run_start, run + 1) if run else (start, 1)
            if run >= 2:
                best = (run_start, run)
        elif status == "met":
            run = 0  # unknown / in progress neither break nor extend a silence
    return best


def followups(outlet: OutletView, deadline: date, weeks: list) -> list[FollowUp]:
    out = []
    base = {"outlet_id": outlet.id, "outlet_name": outlet.name}
    if outlet.unreachable_since:
        out.append(
            FollowUp(
                "unreachable", since=outlet.unreachable_since, detail=outlet.last_error, **base
            )
        )
    for c in outlet.columns:
        if c.exists == "no":
            out.append(FollowUp("never_opened", column=c.name, since=deadline.isoformat(), **base))
            continue
        if c.timeliness == "late":
            out.append(
                FollowUp(
                    "opened_late", column=c.name, since=c.first_article, detail=c.found_by, **base
                )
            )
        streak = silent_streak(
            [(w.week, w.start.isoformat(), c.statuses.get(w.week, "")) for w in weeks]
        )
        if streak and c.exists == "yes":
            out.append(
                FollowUp("fell_silent", column=c.name, since=streak[0], weeks=streak[1], **base)
            )
    if outlet.banner.verdict == "absent":
        out.append(FollowUp("banner_absent", since=outlet.banner.absent_since, **base))
    return out


def share_meeting(outlets: list[OutletView], column_id: str, week: str) -> float | None:
    """Of the outlets whose column was judged that week, the share that met the quota."""
    judged = met = 0
    for o in outlets:
        for c in o.columns:
            if c.column_id == column_id and c.statuses.get(week) in ("met", "missed"):
                judged += 1
                met += c.statuses[week] == "met"
    return met / judged if judged else None


def banner_view(
    required: bool, state: tuple[str, str], summary: dict, share_to_date: float | None
) -> BannerView:
    """summary: banner_days.banner_summary over the period (the function `export outlets` uses)."""
    if not required:
        return BannerView(False, "not_required", share_to_date=share_to_date)
    return BannerView(
        True,
        state[0],
        state[1],
        summary["banner_days_checked"],
        summary["banner_days_present"],
        summary["banner_share"],
        share_to_date,
    )
