"""The numbers behind the charts, pure: summed from the weekly rows of the report."""

from __future__ import annotations

from auditor.report import charts, judge
from auditor.report.model import Report
from auditor.report.vocab import FAMILIES, Words


def articles_per_week(report: Report, outlet_ids: set[str] | None = None) -> list:
    """[(column name, [articles of all chosen outlets, per week])]."""
    index = {w.week: i for i, w in enumerate(report.weeks)}
    out = []
    for cid, name in report.columns:
        values: list[float | None] = [0] * len(report.weeks)
        for r in report.weekly_rows:
            if r["column_id"] == cid and (outlet_ids is None or r["outlet_id"] in outlet_ids):
                values[index[r["week"]]] += int(r["articles"] or 0)
        out.append((name, values))
    return out


def share_per_week(report: Report) -> list:
    return [
        (name, [judge.share_meeting(report.outlets, cid, w.week) for w in report.weeks])
        for cid, name in report.columns
    ]


def ranking(report: Report) -> tuple[list[str], list[tuple[str, list[int]]]]:
    """Outlets that were checked, most weeks met first (ties by name): one never reached
    is not ranked last, it is not ranked."""
    chosen = [o for o in report.outlets if o.columns and o.verdict != "not_checked"]
    chosen.sort(key=lambda o: (-sum(c.met for c in o.columns), o.name))
    stacks = [
        (name, [next((c.met for c in o.columns if c.column_id == cid), 0) for o in chosen])
        for cid, name in report.columns
    ]
    return [o.name for o in chosen], stacks


def all_charts(report: Report, w: Words) -> list[tuple[str, bytes]]:
    """(alt text, SVG) for each chart; none when the period has no week."""
    if not report.weeks:
        return []
    labels = [x.week for x in report.weeks]
    out = [
        (
            w("chart_articles"),
            charts.lines(
                w("chart_articles"), labels, articles_per_week(report), w("axis_articles")
            ),
        )
    ]
    checked = [o for o in report.outlets if o.verdict != "not_checked"]
    families = [f for f in FAMILIES if any(o.family == f for o in checked)]
    if families:
        titles = [w("chart_articles_family", family=w(f)) for f in families]
        panel = [
            articles_per_week(report, {o.id for o in checked if o.family == f}) for f in families
        ]
        out.append(
            (
                w("chart_articles_family", family="…"),
                charts.panels(titles, labels, panel, w("axis_articles")),
            )
        )
    title = w("chart_share", quota=report.quota)
    out.append(
        (title, charts.lines(title, labels, share_per_week(report), w("axis_share"), percent=True))
    )
    names, stacks = ranking(report)
    if names:
        out.append(
            (
                w("chart_ranking"),
                charts.ranking(w("chart_ranking"), names, stacks, w("axis_weeks_met")),
            )
        )
    return out
