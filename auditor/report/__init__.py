"""Reports people read: the directive's monthly evaluation and the phase summary, as one
self-contained HTML page and one XLSX workbook, from the stored audit runs.

    data.gather   the store → a Report (the same reads as `export weekly` / `export outlets`)
    judge         summary group, follow-ups, banner state: pure, over stored verdicts
    page, style   HTML (inline CSS, font and SVG charts; no script, no external request)
    workbook      XLSX (openpyxl)
    charts        matplotlib → SVG
"""

from __future__ import annotations

import calendar
import os
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from auditor.report.model import Report, Span
from auditor.report.vocab import Words
from auditor.store import Store
from auditor.types import Config

__all__ = ["Report", "Span", "build", "month_span", "write", "write_month"]


def month_span(year: int, month: int) -> Span:
    last = calendar.monthrange(year, month)[1]
    return Span("monthly", date(year, month, 1), date(year, month, last))


def build(config: Config, store: Store, span: Span, now: datetime) -> Report:
    from auditor.report.data import gather

    return gather(config, store, span, now)


def write(report: Report, folder: Path, lang: str, tz: ZoneInfo) -> list[Path]:
    """Write the HTML and XLSX files into folder; returns their paths."""
    from auditor.report import page, workbook

    words = Words(lang)
    folder.mkdir(parents=True, exist_ok=True)
    stem = report.span.stem + ("" if lang == "vi" else f"-{lang}")
    html_path, xlsx_path = folder / f"{stem}.html", folder / f"{stem}.xlsx"
    _replace(html_path, page.render(report, words, tz).encode("utf-8"))
    _replace(xlsx_path, workbook.build(report, words, tz))
    return [html_path, xlsx_path]


def write_month(config: Config, store: Store, day_in_month: date, now: datetime) -> list[Path]:
    """The scheduler's monthly evaluation (Vietnamese), into schedule.reports_dir beside the
    month's CSVs."""
    made = build(config, store, month_span(day_in_month.year, day_in_month.month), now)
    return write(made, Path(config.schedule.reports_dir), "vi", ZoneInfo(config.timezone))


def _replace(path: Path, data: bytes) -> None:
    """Write beside, then rename: a reader never opens a half-written report."""
    tmp = path.with_name(path.name + ".part")
    tmp.write_bytes(data)
    os.replace(tmp, path)
