"""`auditor report monthly|period`: the HTML and XLSX reports (they join the CLI group)."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import click

from auditor import report as report_mod
from auditor.cli.base import CONTEXT, State, cli, parse_day, pass_state
from auditor.clock import utcnow


def _report_options(f):
    f = click.option(
        "-o",
        "--output",
        "folder",
        type=click.Path(file_okay=False, path_type=Path),
        help="Folder to write into (default: reports/ beside the config).",
    )(f)
    f = click.option(
        "--pdf",
        is_flag=True,
        help="Also print the page to an A4 PDF with a headless Chromium (when installed).",
    )(f)
    return click.option(
        "--labels",
        type=click.Choice(["vi", "en"]),
        default="vi",
        show_default=True,
        help="Language of every word in the report.",
    )(f)


@cli.group("report", context_settings=CONTEXT)
def report_group() -> None:
    """Write the monthly evaluation or the phase summary as HTML (charts inline, opens
    offline) and XLSX, from the stored audit runs (the same figures as `export`).

    Example: auditor report monthly --month 2017-10
    """


@report_group.command("monthly", context_settings=CONTEXT)
@click.option("--month", required=True, metavar="YYYY-MM", help="The month, e.g. 2017-10.")
@_report_options
@pass_state
def report_monthly(state: State, month: str, folder: Path | None, labels: str, pdf: bool) -> None:
    """The directive's monthly evaluation of one month.

    Example: auditor report monthly --month 2017-10 -o reports/
    """
    found = re.fullmatch(r"(\d{4})-(\d{2})", month)
    if not found or not 1 <= int(found[2]) <= 12:
        raise click.BadParameter(
            f"expected a month like 2017-10, got {month!r}", param_hint="--month"
        )
    _run(state, report_mod.month_span(int(found[1]), int(found[2])), folder, labels, pdf)


@report_group.command("period", context_settings=CONTEXT)
@click.option("--from", "first", required=True, metavar="DATE", help="First day, e.g. 2017-09-20.")
@click.option("--to", "last", required=True, metavar="DATE", help="Last day, e.g. 2018-04-20.")
@_report_options
@pass_state
def report_period(
    state: State, first: str, last: str, folder: Path | None, labels: str, pdf: bool
) -> None:
    """A summary over any period, e.g. phase 1 of the campaign.

    Example: auditor report period --from 2017-09-20 --to 2018-04-20
    """
    start, end = parse_day(first, "--from"), parse_day(last, "--to")
    if end < start:
        raise click.BadParameter("--to is before --from", param_hint="--to")
    _run(state, report_mod.Span("period", start, end), folder, labels, pdf)


def _run(state: State, span, folder: Path | None, labels: str, pdf: bool) -> None:
    config = state.config
    folder = folder or Path(state.config_path).resolve().parent / "reports"
    report = report_mod.build(config, state.store(), span, utcnow())
    paths = report_mod.write(report, folder, labels, ZoneInfo(config.timezone))
    for path in paths:
        click.echo(str(path))
    if pdf:
        _pdf(paths[0])


def _pdf(html: Path) -> None:
    from auditor.report import pdf

    browser = pdf.find_browser()
    if browser is None:
        click.echo("no PDF: no Chromium found (Debian: apt-get install chromium)", err=True)
        sys.exit(1)
    click.echo(str(pdf.print_pdf(html, html.with_suffix(".pdf"), browser)))
