"""The report as an XLSX workbook (openpyxl): one sheet per view, header row frozen,
column widths set, filters on. Text from outlets is stored as text, never as a formula."""

from __future__ import annotations

import io
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, TYPE_STRING
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from auditor import export
from auditor.report.fmt import safe_url
from auditor.report.model import Report
from auditor.report.page import (
    banner_word,
    crawl_text,
    detail_words,
    evidence_words,
    issue_text,
    timeliness_word,
)
from auditor.report.vocab import FAMILIES, STATUSES, SYMBOLS, VERDICTS, Words

FILLS = {
    "met": "C8E6C9",
    "missed": "FFCDD2",
    "in_progress": "FFF3C4",
    "unknown": "E0E0E0",
    "full": "C8E6C9",
    "none": "FFCDD2",
    "partial": "FFF3C4",
    "not_checked": "E0E0E0",
}


def build(report: Report, w: Words, tz: ZoneInfo) -> bytes:
    book = Workbook()
    book.remove(book.active)
    _sheet(book, w("sheet_summary"), *_summary(report, w))
    _sheet(book, w("sheet_followup"), *_followups(report, w))
    _sheet(book, w("sheet_matrix"), *_matrix(report, w))
    _sheet(book, w("sheet_weekly"), *_weekly(report, w))
    _sheet(book, w("sheet_outlets"), *_outlets(report, w, tz))
    _sheet(book, w("sheet_classifier"), *_classifier(report, w))
    _sheet(book, w("sheet_families"), *_families(report, w))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def put(cell, value: object) -> None:
    """A string always stays a string: openpyxl would read "=…" as a formula."""
    if isinstance(value, str):
        cell.value = ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)  # control bytes from outlets
        cell.data_type = TYPE_STRING
    else:
        cell.value = value


def _sheet(book: Workbook, title: str, head: list[str], rows: list[list], fills=None) -> None:
    ws = book.create_sheet(title[:31])
    for j, h in enumerate(head, 1):
        cell = ws.cell(row=1, column=j)
        put(cell, h)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for i, row in enumerate(rows, 2):
        for j, value in enumerate(row, 1):
            cell = ws.cell(row=i, column=j)
            put(cell, value)
            colour = FILLS.get(fills(j, value)) if fills else None
            if colour:
                cell.fill = PatternFill("solid", fgColor=colour)
    ws.freeze_panes = "A2"
    if head:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(head))}{max(1, len(rows) + 1)}"
    for j, h in enumerate(head, 1):
        longest = max([len(str(h))] + [len(str(r[j - 1] or "")) for r in rows[:500]])
        ws.column_dimensions[get_column_letter(j)].width = min(max(6, longest + 2), 60)


def _summary(report: Report, w: Words):
    head = [w("outlet_id"), w("outlet"), w("family"), w("group"), w("summary"), w("reasons")]
    rows = [
        [
            o.id,
            o.name,
            w(o.family),
            o.group,
            w(o.verdict),
            "; ".join(w(k, **f) for k, f in o.reasons),
        ]
        for o in report.outlets
    ]
    verdict_words = {w(v): v for v in VERDICTS}
    return head, rows, lambda j, v: verdict_words.get(v) if j == 5 else None


def _followups(report: Report, w: Words):
    head = [w("issue"), w("outlet_id"), w("outlet"), w("column"), w("since"), w("detail")]
    rows = [
        [
            issue_text(f, report, w),
            f.outlet_id,
            f.outlet_name,
            f.column,
            f.since,
            detail_words(f, w),
        ]
        for f in report.followups
    ]
    return head, rows, None


def _matrix(report: Report, w: Words):
    """One row per outlet and column; a cell per week with the symbol and the word."""
    head = [w("outlet_id"), w("outlet"), w("column")] + [x.week for x in report.weeks]
    rows = []
    for o in report.outlets:
        for c in o.columns:
            cells = [
                f"{SYMBOLS[s]} {w(s)}" if (s := c.statuses.get(x.week)) in SYMBOLS else ""
                for x in report.weeks
            ]
            rows.append([o.id, o.name, c.name, *cells])
    by_word = {f"{SYMBOLS[s]} {w(s)}": s for s in STATUSES}
    return head, rows, lambda j, v: by_word.get(v) if j > 3 else None


def _weekly(report: Report, w: Words):
    """Exactly the rows of `export weekly` for the period, numbers as numbers."""
    keys = [k for k in export.WEEKLY if k != "article_urls"]
    head = [export.label(k, w.lang, {}) for k in keys]
    rows = [[r.get(k) if r.get(k) is not None else "" for k in keys] for r in report.weekly_rows]
    status_col = keys.index("status") + 1
    return head, rows, lambda j, v: v if j == status_col else None


def _outlets(report: Report, w: Words, tz: ZoneInfo):
    head = [
        w("outlet_id"),
        w("outlet"),
        w("family"),
        w("group"),
        w("column"),
        w("exists"),
        w("evidence"),
        w("first_article"),
        w("timeliness"),
        f"{w('weeks_met_period')}: {w('met')}",
        f"{w('weeks_met_period')}: {w('week')}",
        f"{w('weeks_met_to_date')}: {w('met')}",
        f"{w('weeks_met_to_date')}: {w('week')}",
        w("banner"),
        w("banner_share"),
        w("banner_share_to_date"),
        w("last_crawl"),
    ]
    rows = []
    for o in report.outlets:
        for c in o.columns or [None]:
            b = o.banner
            rows.append(
                [
                    o.id,
                    o.name,
                    w(o.family),
                    o.group,
                    c.name if c else "",
                    w("exists_" + c.exists) if c else "",
                    evidence_words(c.found_by, w) if c else "",
                    c.first_article if c else "",
                    timeliness_word(c.timeliness, w) if c else "",
                    c.met if c else "",
                    c.judged if c else "",
                    c.met_to_date if c else "",
                    c.judged_to_date if c else "",
                    banner_word(b.verdict, w),
                    b.share if b.share is not None else "",
                    b.share_to_date if b.share_to_date is not None else "",
                    crawl_text(o, w, tz),
                ]
            )
    return head, rows, None


def _classifier(report: Report, w: Words):
    names = dict(report.columns)
    head = [
        w("kind_of_finding"),
        w("outlet_id"),
        w("outlet"),
        w("column"),
        w("published"),
        w("title"),
        w("link"),
    ]
    rows = [
        [
            s_name,
            "",
            "",
            names[s.column_id],
            "",
            f"{s.on_topic}/{s.filed}" if s.classified else w("not_classified"),
            s.share if s.share is not None else "",
        ]
        for s in report.topic_shares
        for s_name in [w("share_on_topic")]
    ]
    rows += [
        [
            w("off_topic_list" if n.finding == "off_topic" else "elsewhere_list"),
            n.outlet_id,
            n.outlet_name,
            names.get(n.column_id, n.column_id),
            (n.published or "")[:10],
            n.title,
            safe_url(n.url) or n.url,
        ]
        for n in report.notes
    ]
    return head, rows, None


def _families(report: Report, w: Words):
    head = [w("family"), w("group"), w("count"), *(w(v) for v in VERDICTS)]
    rows = []
    for f in FAMILIES:
        for g in sorted({o.group for o in report.outlets if o.family == f}):
            members = [o for o in report.outlets if o.family == f and o.group == g]
            rows.append(
                [w(f), g, len(members), *(sum(o.verdict == v for o in members) for v in VERDICTS)]
            )
    return head, rows, None
