"""The day-to-day commands: crawl, audit, reaudit, export, status, demo, init.

Exit codes: 0 every outlet reached; 1 the run finished but some outlet failed (the others
were stored and audited) or there was nothing to export; 2 a person's error (usage, config,
a path, an id, an input file), told in one line; 70 a bug (the traceback only with -v).
"""

from __future__ import annotations

import dataclasses
import json
import sys
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import click

from auditor import clock, jobs, logs, outfile, shipped
from auditor import export as export_mod
from auditor import labels as labels_mod
from auditor.cli.base import (
    CONTEXT,
    State,
    cli,
    json_option,
    outlet_ids,
    outlet_option,
    parse_day,
    parse_span,
    pass_state,
    short,
)
from auditor.errors import InputError, ModelError
from auditor.labels import purposes_text
from auditor.rules import audit
from auditor.store import Store
from auditor.table import render
from auditor.types import OutletStatus

if TYPE_CHECKING:
    from auditor.crawl.run import CrawlReport

# -- crawl ----------------------------------------------------------------------------------


@cli.command("crawl", context_settings=CONTEXT)
@outlet_option
@click.option(
    "--poll",
    is_flag=True,
    help="Only what is new: no homepage unless the feeds must be found, no older feed "
    "pages than the last crawl reached, no complete WordPress listing once one exists. "
    "Menus and history wait for the next full crawl (the default).",
)
@json_option
@pass_state
def crawl_cmd(state: State, outlets: tuple[str, ...], poll: bool, as_json: bool) -> None:
    """Read each enabled outlet's feeds and WordPress API into the store.

    Example: auditor crawl --outlet laodong
    """
    ids = outlet_ids(state, outlets)
    store = state.store()
    reports = _crawl_with_progress(state, store, ids, poll)
    _classify_after_crawl(state, store)
    _print_crawl(reports, as_json)
    if any(r.status != "ok" for r in reports):
        sys.exit(1)


def _classify_after_crawl(state: State, store: Store) -> None:
    if not state.config.crawl.classify:
        return
    from auditor.classify import stored as topics  # numpy: only when the crawl classifies

    try:
        topics.classify_stored(store, state.model())
    except ModelError as e:
        click.echo(f"articles not classified: {e}", err=True)


def _crawl_with_progress(
    state: State, store: Store, ids: list[str], poll: bool = False
) -> list[CrawlReport]:
    from auditor.crawl.run import crawl  # requests and feedparser: only commands that crawl

    total = len(ids) or sum(o.enabled for o in state.config.outlets)
    if not sys.stderr.isatty():
        return crawl(state.config, store, ids, poll=poll)
    bar = click.progressbar(length=total, label="Crawling", file=sys.stderr)
    with bar, logs.progress_line():
        return crawl(state.config, store, ids, on_done=lambda _: bar.update(1), poll=poll)


def _print_crawl(reports: list[CrawlReport], as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps([r.__dict__ for r in reports], ensure_ascii=False, indent=2))
        return
    click.echo(
        render(
            ("outlet", "status", "new", "updated", "requests", "error / notes"),
            [
                (r.outlet_id, r.status, r.new, r.updated, r.requests, short(r.error or r.notes))
                for r in reports
            ],
        )
    )


# -- audit ----------------------------------------------------------------------------------


@cli.command("audit", context_settings=CONTEXT)
@outlet_option
@click.option(
    "--as-of",
    "as_of",
    metavar="DATE",
    help="Audit as of the end of this day (local time), e.g. 2017-12-31.",
)
@json_option
@pass_state
def audit_cmd(state: State, outlets: tuple[str, ...], as_of: str | None, as_json: bool) -> None:
    """Judge every column of every outlet week by week from what the store holds.

    Example: auditor audit --as-of 2017-12-31
    """
    ids = outlet_ids(state, outlets)
    day = parse_day(as_of, "--as-of")
    tz = ZoneInfo(state.config.timezone)
    if day:
        _check_as_of(day, state.config.campaign.start, clock.today(tz))
    when = audit.as_of_instant(day, tz) if day else None
    outcome = jobs.run_audit(state.config, state.store(), ids, as_of=when)
    _print_outcome(state, outcome, as_json)


def _check_as_of(day: date, start: date, today: date) -> None:
    """A run is named by the day it judged up to: before the campaign there is nothing to
    judge, and a day not yet over cannot be judged (the store holds no future)."""
    if day < start:
        raise click.BadParameter(
            f"{day} is before the campaign's start ({start}): nothing to judge yet",
            param_hint="--as-of",
        )
    if day > today:
        raise click.BadParameter(
            f"{day} is after today ({today} in the campaign's time zone)", param_hint="--as-of"
        )


def _print_outcome(state: State, outcome: jobs.AuditOutcome, as_json: bool) -> None:
    if as_json:
        click.echo(
            json.dumps(
                {
                    "run_id": outcome.run_id,
                    "as_of": outcome.as_of.isoformat(),
                    "columns": [_summary_json(s) for s in outcome.summaries],
                    "weeks": [_week_json(w) for w in outcome.weeks],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    names = {c.id: c.name for c in state.config.campaign.columns}
    as_of = outcome.as_of.astimezone(ZoneInfo(state.config.timezone))
    click.echo(f"Audit run {outcome.run_id}, as of {as_of:%Y-%m-%d %H:%M} ({as_of.tzinfo})")
    click.echo(
        render(
            ("outlet", "column", "exists", "first article", "on time", "met", "missed", "unknown"),
            [
                (
                    s.outlet_id,
                    names.get(s.column_id, s.column_id),
                    s.exists,
                    s.first_article or "",
                    s.timeliness,
                    s.weeks_met,
                    s.weeks_missed,
                    s.weeks_unknown,
                )
                for s in outcome.summaries
            ],
        )
    )


def _summary_json(s) -> dict:
    d = dict(s.__dict__)
    d["first_article"] = s.first_article.isoformat() if s.first_article else None
    return d


def _week_json(w) -> dict:
    d = dict(w.__dict__)
    d.update(
        week_start=w.week_start.isoformat(),
        week_end=w.week_end.isoformat(),
        article_ids=list(w.article_ids),
    )
    return d


@cli.command("reaudit", context_settings=CONTEXT)
@click.argument("outlet_id")
@json_option
@pass_state
def reaudit_cmd(state: State, outlet_id: str, as_json: bool) -> None:
    """Crawl and audit one outlet now.

    Example: auditor reaudit laodong
    """
    outlet_ids(state, (outlet_id,), hint="OUTLET_ID")
    store = state.store()
    report, outcome = jobs.reaudit(
        state.config, store, outlet_id, between=lambda: _classify_after_crawl(state, store)
    )
    _print_crawl([report], as_json)
    _print_outcome(state, outcome, as_json)
    if report.status != "ok":
        sys.exit(1)


# -- export ---------------------------------------------------------------------------------


def _export_options(f):
    f = click.option(
        "-o",
        "--output",
        metavar="FILE",
        help="Write here (`-`: standard output, the default); a link is followed to its "
        "target, a device or pipe written directly.",
    )(f)
    f = click.option(
        "--labels",
        type=click.Choice(["vi", "en"]),
        help="Words for people, in the header and the values, instead of machine ids.",
    )(f)
    f = click.option("--from", "first", metavar="DATE", help="From this date.")(f)
    return click.option("--to", "last", metavar="DATE", help="Up to this date.")(f)


def _run_options(f):
    f = click.option(
        "--as-of",
        "as_of",
        metavar="DATE",
        help="The audit run as of this date (default: the run with the latest as-of date).",
    )(f)
    return click.option("--run", "run_id", type=int, metavar="ID", help="This audit run.")(f)


def _pick_runs(state: State, store: Store, as_of: str | None, run_id: int | None) -> dict:
    """Which stored run(s) to export; says so on stderr, so a report names its source."""
    if as_of and run_id is not None:
        raise click.UsageError("give --as-of or --run, not both")
    picked = jobs.pick_runs(state.config, store, parse_day(as_of, "--as-of"), run_id)
    for line in jobs.describe_runs(state.config, store, picked):
        click.echo(line, err=True)
    return picked


@cli.group("export", context_settings=CONTEXT)
def export_group() -> None:
    """Write the latest audit as CSV (UTF-8 with BOM, opens in Excel).

    Example: auditor export weekly --labels vi -o tuan.csv
    """


@export_group.command("weekly", context_settings=CONTEXT)
@_export_options
@_run_options
@pass_state
def export_weekly(state: State, output, labels, first, last, as_of, run_id) -> None:
    """One row per outlet, column and week.

    Example: auditor export weekly --from 2017-10-01 --to 2017-12-31 -o audit.csv
    """
    store = state.store()
    start, end = parse_span(first, last)
    runs = _pick_runs(state, store, as_of, run_id)
    rows = jobs.weekly_export_rows(state.config, store, start, end, runs)
    _write(output, export_mod.csv_chunks(export_mod.WEEKLY, rows, labels))  # streamed


@export_group.command("outlets", context_settings=CONTEXT)
@_export_options
@_run_options
@pass_state
def export_outlets(state: State, output, labels, first, last, as_of, run_id) -> None:
    """One row per outlet: each column found or not, first article, on time, weeks met.

    Example: auditor export outlets --labels vi -o don-vi.csv
    """
    parse_span(first, last)
    column_ids = [c.id for c in state.config.campaign.columns]
    store = state.store()
    rows = jobs.outlets_export(state.config, store, _pick_runs(state, store, as_of, run_id))
    names = {c.id: c.name for c in state.config.campaign.columns}
    tz = ZoneInfo(state.config.timezone)
    table = export_mod.outlet_columns(column_ids)
    _write(output, export_mod.to_csv(table, rows, labels, names, tz))


@export_group.command("articles", context_settings=CONTEXT)
@_export_options
@pass_state
def export_articles(state: State, output, labels, first, last) -> None:
    """Every stored article with its columns and the evidence that put it there.

    Example: auditor export articles --from 2017-09-01 -o bai-viet.csv
    """
    tz = ZoneInfo(state.config.timezone)
    start, end = parse_span(first, last)
    rows = jobs.articles_export(
        state.store(),
        datetime.combine(start, datetime.min.time(), tz) if start else None,
        audit.as_of_instant(end, tz) if end else None,
    )
    names = {c.id: c.name for c in state.config.campaign.columns}
    # streamed: one chunk of rows at a time from the store to the file (issue 14)
    _write(output, export_mod.csv_chunks(export_mod.ARTICLES, rows, labels, names, tz))


def _write(output: str | None, text: str | Iterable[str]) -> None:
    where = outfile.write_text(output or outfile.STDOUT, text)
    if output and output != outfile.STDOUT:
        click.echo(f"wrote {where}", err=True)


# -- status and demo ------------------------------------------------------------------------


@cli.command("status", context_settings=CONTEXT)
@json_option
@pass_state
def status_cmd(state: State, as_json: bool) -> None:
    """Per outlet: the last crawl (when, how long, requests, new/updated, undated
    articles, error), when a crawl last reached it, the next
    scheduled run and the consecutive failures.

    Example: auditor status --json
    """
    rows = jobs.status_rows(state.store())
    if as_json:
        click.echo(json.dumps([_status_json(r) for r in rows], ensure_ascii=False, indent=2))
        return
    if not rows:
        click.echo("Nothing crawled yet: run `auditor crawl`.")
        return
    tz = ZoneInfo(state.config.timezone)
    click.echo(
        render(
            (
                "outlet",
                f"last crawl ({tz.key})",
                "took",
                "status",
                "failures",
                "requests",
                "new/upd",
                "undated",
                "last reached",
                "next run",
                "column list",
                "error",
            ),
            [
                (
                    r.id,
                    labels_mod.local_time(r.last_crawl_at, tz, "en"),
                    f"{r.seconds}s" if r.seconds is not None else "",
                    r.last_status,
                    r.consecutive_failures,
                    _requests_cell(r),
                    f"{r.new_articles or 0}/{r.updated_articles or 0}",
                    r.undated or 0,
                    labels_mod.local_time(r.last_reached, tz, "en") or "never",
                    labels_mod.local_time(r.next_run, tz, "en"),
                    r.column_listing.split(" read at ")[0] or "none yet",
                    short(r.last_error or "", 60),
                )
                for r in rows
            ],
        )
    )


def _requests_cell(status: OutletStatus) -> str | int | None:
    """'4: robots 1, discovery 1, listing 2': the last crawl's requests and why."""
    parts = purposes_text(status.requests_by)
    return f"{status.requests}: {parts}" if parts else status.requests


def _status_json(status: OutletStatus) -> dict:
    """Status as data: times stay UTC (ISO 8601), the feeds a list of [url, column]."""
    out = dataclasses.asdict(status)
    for key, value in out.items():
        if isinstance(value, datetime):
            out[key] = clock.iso(value)
    return out


@cli.command("demo", context_settings=CONTEXT)
@click.option(
    "--keep",
    type=click.Path(file_okay=False, path_type=Path),
    metavar="DIR",
    help="Keep demo.db and demo-config.yaml in this folder to explore.",
)
def demo_cmd(keep: Path | None) -> None:
    """Crawl and audit a fake union outlet served on 127.0.0.1; prints the weekly table.

    Example: auditor demo --keep demo && auditor --config demo/demo-config.yaml \\
    --db demo/demo.db export weekly --labels vi
    """
    from auditor import demo

    click.echo(demo.run(keep))


@cli.command("init", context_settings=CONTEXT)
@click.argument("folder", required=False, default=".", metavar="[DIR]")
def init_cmd(folder: str) -> None:
    """Write the starter config.yaml (directive 1476/TLĐ, its columns, the outlets, with
    comments) into DIR (default: here); an existing config.yaml is never overwritten.

    Example: auditor init /etc/auditor
    """
    source = shipped.config_file()
    if source is None:
        raise InputError("this installation carries no starter config.yaml (a broken build?)")
    where = Path(folder)
    if where.exists() and not where.is_dir():
        raise InputError(f"{where}: is a file; give the folder to write config.yaml in")
    where.mkdir(parents=True, exist_ok=True)
    target = where / "config.yaml"
    try:
        with open(target, "x", encoding="utf-8", newline="") as f:  # "x": never overwrite
            f.write(source.read_text(encoding="utf-8"))
    except FileExistsError:
        raise InputError(f"{target}: already exists; not overwritten") from None
    click.echo(f"wrote {target}: edit it, then run `auditor --config {target} crawl`")
