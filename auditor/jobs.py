"""The work behind the commands, shared by the CLI and the scheduler: audit, re-audit, the
exports and the month's CSVs, discovery of every outlet, status."""

from __future__ import annotations

import contextlib
import gc
import json
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from auditor import export, outfile
from auditor.clock import utcnow
from auditor.config import fingerprint, select_outlets
from auditor.errors import NoAuditRun
from auditor.labels import local_time
from auditor.rules import audit
from auditor.rules.banner_days import banner_summary
from auditor.store import Store

if TYPE_CHECKING:
    from auditor.crawl.discover import Discovery
    from auditor.crawl.run import CrawlReport

from auditor.types import ColumnSummary, Config, Outlet, OutletStatus, WeekResult

log = logging.getLogger("auditor.jobs")


@dataclass(frozen=True)
class AuditOutcome:
    run_id: int
    as_of: datetime
    weeks: list[WeekResult]
    summaries: list[ColumnSummary]


def run_audit(
    config: Config,
    store: Store,
    outlet_ids: Iterable[str] | None = None,
    *,
    as_of: datetime | None = None,
    now: Callable[[], datetime] = utcnow,
) -> AuditOutcome:
    """Judge every week of every column of the chosen outlets, and keep the run."""
    ran_at = now()
    as_of = as_of or ran_at
    tz = ZoneInfo(config.timezone)
    outlets = select_outlets(config, outlet_ids)
    weeks, summaries = [], []
    with collector_paused():
        for outlet in outlets:
            for facts in store.column_facts(outlet.id, config.campaign):
                w, s = audit.audit_column(outlet.id, facts, config.campaign, tz, as_of)
                weeks += w
                summaries.append(s)
        run_id = store.save_audit(
            ran_at,
            as_of,
            fingerprint(config),
            config.campaign.id,
            [o.id for o in outlets],
            weeks,
            summaries,
        )
    log.info("audit run %d: %d outlets, %d weeks judged", run_id, len(outlets), len(weeks))
    return AuditOutcome(run_id, as_of, weeks, summaries)


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused, then set back as it was. The audit holds
    every week it judges until it saves them (315,000 at 2,000,000 articles) and makes
    no reference cycles, yet each full pass of the collector walked them all: a fifth
    of the audit's time (issue 14)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def reaudit(
    config: Config,
    store: Store,
    outlet_id: str,
    *,
    now: Callable[[], datetime] = utcnow,
    between: Callable[[], None] | None = None,
) -> tuple[CrawlReport, AuditOutcome]:
    """Crawl and audit one outlet now (between: what to do in between, e.g. classify)."""
    from auditor.crawl.run import crawl  # requests and feedparser: only jobs that crawl

    [report] = crawl(config, store, [outlet_id], now=now)
    if between:
        between()
    return report, run_audit(config, store, [outlet_id], now=now)


def pick_runs(
    config: Config, store: Store, as_of: date | None = None, run_id: int | None = None
) -> dict[str, int]:
    """outlet → the audit run to export: run_id; else, per outlet, the run as of that
    date; else the run with the latest as-of date (the newest of those)."""
    tz = ZoneInfo(config.timezone)
    runs = store.audit_runs()
    if not runs:
        raise NoAuditRun("no audit run is stored yet: run `auditor audit` first")
    if run_id is not None:
        runs = [r for r in runs if r["id"] == run_id]
        if not runs:
            raise NoAuditRun(f"no audit run {run_id}; stored runs: {_run_list(store, tz)}")
    elif as_of is not None:
        runs = [r for r in runs if run_day(r, tz) == as_of]
        if not runs:
            raise NoAuditRun(f"no audit run as of {as_of}; stored runs: {_run_list(store, tz)}")
    picked: dict[str, int] = {}
    for r in runs:  # ordered by as-of, then id: the last one wins
        for outlet_id in json.loads(r["outlets"]):
            picked[outlet_id] = r["id"]
    return picked


def run_day(run: dict, tz: ZoneInfo) -> date:
    """The day a run judged up to: its as-of instant is the end of that day."""
    return (datetime.fromisoformat(run["as_of"]) - timedelta(seconds=1)).astimezone(tz).date()


def describe_runs(config: Config, store: Store, picked: dict[str, int]) -> list[str]:
    """One line per run exported: its id, as-of date, when it ran, how many outlets."""
    tz = ZoneInfo(config.timezone)
    lines = []
    for r in store.audit_runs():
        outlets = [o for o, i in picked.items() if i == r["id"]]
        if outlets:
            lines.append(
                f"exporting audit run {r['id']} (as of {run_day(r, tz)}, ran at "
                f"{local_time(r['ran_at'], tz, 'en')} {tz.key}) for {len(outlets)} outlet(s): "
                f"{', '.join(sorted(outlets))}"
            )
    return lines


def _run_list(store: Store, tz: ZoneInfo) -> str:
    runs = store.audit_runs()
    return ", ".join(f"{r['id']} (as of {run_day(r, tz)})" for r in runs[-10:])


def weekly_export(
    config: Config, store: Store, first=None, last=None, runs: dict[str, int] | None = None
) -> list[dict]:
    return list(weekly_export_rows(config, store, first, last, runs))


def weekly_export_rows(
    config: Config, store: Store, first=None, last=None, runs: dict[str, int] | None = None
) -> Iterator[dict]:
    """The weekly rows one outlet at a time, with only that outlet's article URLs: all
    weeks and every article's URL in memory took 1.2 GB at 2,000,000 articles (issue 14)."""
    latest = runs or _latest(store)  # here, not in the loop: no run is an error up front
    names = _outlet_names(config, store)
    return _weekly_rows(config, store, first, last, latest, names)


def _weekly_rows(config, store, first, last, latest, names) -> Iterator[dict]:
    order = {c.id: i for i, c in enumerate(config.campaign.columns)}
    columns = _column_names(config)
    for outlet_id, run_id in sorted(latest.items()):
        rows = sorted(
            store.week_rows({outlet_id: run_id}, first, last),
            key=lambda r: (order.get(r["column_id"], 99), r["week"]),
        )
        ids = [json.loads(r["article_ids"] or "[]") for r in rows]  # parsed once
        urls = store.outlet_article_urls(outlet_id, (i for row_ids in ids for i in row_ids))
        yield from export.weekly_rows(rows, names, columns, urls, ids)


def outlets_export(config: Config, store: Store, runs: dict[str, int] | None = None) -> list[dict]:
    latest = runs or _latest(store)
    outlets = [o for o in store.outlet_rows() if o["id"] in latest]
    rows = export.outlet_rows(outlets, store.column_rows(latest))
    tz = ZoneInfo(config.timezone)
    for row in rows:
        as_of = datetime.fromisoformat(store.audit_run(latest[row["outlet_id"]])["as_of"])
        last_day = min(config.campaign.end, as_of.astimezone(tz).date())
        row.update(
            banner_summary(
                store.banner_seen(row["outlet_id"], as_of), config.campaign.start, last_day, tz
            )
        )
    return rows


def articles_export(store: Store, first=None, last=None) -> Iterator[dict]:
    return export.article_rows(store.article_rows(first, last))  # topics in the rows


def _latest(store: Store) -> dict[str, int]:
    latest = store.latest_runs()
    if not latest:
        raise NoAuditRun("no audit run is stored yet: run `auditor audit` first")
    return latest


def _outlet_names(config: Config, store: Store) -> dict[str, str]:
    names = store.outlet_names()
    names.update({o.id: o.name for o in config.outlets})
    return names


def _column_names(config: Config) -> dict[str, str]:
    return {c.id: c.name for c in config.campaign.columns}


def write_month(config: Config, store: Store, day_in_month: date) -> list[Path]:
    """The month's weekly and outlet CSVs, for the directive's monthly evaluation."""
    first = day_in_month.replace(day=1)
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    folder = Path(config.schedule.reports_dir)
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"{first:%Y-%m}"
    column_ids = [c.id for c in config.campaign.columns]
    names = {c.id: c.name for c in config.campaign.columns}
    files = {
        folder / f"{stem}-weekly.csv": export.to_csv(
            export.WEEKLY, weekly_export(config, store, first, last), "vi"
        ),
        folder / f"{stem}-outlets.csv": export.to_csv(
            export.outlet_columns(column_ids),
            outlets_export(config, store),
            "vi",
            names,
            ZoneInfo(config.timezone),
        ),
    }
    for path, text in files.items():
        log.info("monthly report written: %s", outfile.write_text(path, text))
    return list(files)


def discover_all(
    config: Config, store: Store, *, now: Callable[[], datetime] = utcnow
) -> list[tuple[Outlet, Discovery]]:
    """Look again at every enabled outlet's homepage (`discover --all`) and keep the column
    sections its menus show; returns what was found, outlet by outlet."""
    from auditor.crawl.discover import discover  # requests: only jobs that fetch
    from auditor.fetch import Fetcher

    fetcher = Fetcher(config.http)
    found = []
    try:
        for outlet in [o for o in config.outlets if o.enabled]:
            d = discover(outlet.url, config.campaign, fetcher.client(outlet))
            store.save_sections(outlet.id, d.sections, now())
            found.append((outlet, d))
    finally:
        fetcher.close()
    return found


def status_rows(store: Store) -> list[OutletStatus]:
    """Per outlet: its last crawl, how long it took, and when the scheduler runs it next."""
    return store.outlet_statuses()
