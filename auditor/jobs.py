"""The work behind the commands, shared by the CLI and the scheduler: audit, re-audit."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from auditor import audit, checks, export
from auditor.config import fingerprint
from auditor.crawl import CrawlReport, crawl, select_outlets
from auditor.fetch import utcnow
from auditor.labels import local_time
from auditor.store import Store
from auditor.types import ColumnSummary, Config, WeekResult

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


def reaudit(
    config: Config,
    store: Store,
    outlet_id: str,
    *,
    now: Callable[[], datetime] = utcnow,
    between: Callable[[], None] | None = None,
) -> tuple[CrawlReport, AuditOutcome]:
    """Crawl and audit one outlet now (between: what to do in between, e.g. classify)."""
    [report] = crawl(config, store, [outlet_id], now=now)
    if between:
        between()
    return report, run_audit(config, store, [outlet_id], now=now)


class NoAuditRun(Exception):
    """Nothing to export: no audit run has been stored yet."""


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
    latest = runs or _latest(store)
    order = {c.id: i for i, c in enumerate(config.campaign.columns)}
    rows = sorted(
        store.week_rows(latest, first, last),
        key=lambda r: (r["outlet_id"], order.get(r["column_id"], 99), r["week"]),
    )
    urls = store.article_urls()
    return export.weekly_rows(rows, _outlet_names(config, store), _column_names(config), urls)


def outlets_export(config: Config, store: Store, runs: dict[str, int] | None = None) -> list[dict]:
    latest = runs or _latest(store)
    outlets = [o for o in store.outlet_rows() if o["id"] in latest]
    rows = export.outlet_rows(outlets, store.column_rows(latest))
    tz = ZoneInfo(config.timezone)
    for row in rows:
        as_of = datetime.fromisoformat(store.audit_run(latest[row["outlet_id"]])["as_of"])
        last_day = min(config.campaign.end, as_of.astimezone(tz).date())
        row.update(
            checks.banner_summary(
                store.banner_checks(row["outlet_id"], as_of), config.campaign.start, last_day, tz
            )
        )
    return rows


def articles_export(store: Store, first=None, last=None) -> Iterator[dict]:
    return export.article_rows(store.article_rows(first, last), store.article_topics())


def _latest(store: Store) -> dict[str, int]:
    latest = store.latest_runs()
    if not latest:
        raise NoAuditRun("no audit run is stored yet: run `auditor audit` first")
    return latest


def _outlet_names(config: Config, store: Store) -> dict[str, str]:
    names = {o["id"]: o["name"] for o in store.outlet_rows()}
    names.update({o.id: o.name for o in config.outlets})
    return names


def _column_names(config: Config) -> dict[str, str]:
    return {c.id: c.name for c in config.campaign.columns}


def status_rows(store: Store) -> list[dict]:
    """Per outlet: its last crawl, how long it took, and when the scheduler runs it next."""
    planned = store.schedule_rows()
    rows = []
    for o in store.outlet_rows():
        last = store.last_crawl(o["id"]) or {}
        took = None
        if last.get("started_at") and last.get("finished_at"):
            took = round(
                (
                    datetime.fromisoformat(last["finished_at"])
                    - datetime.fromisoformat(last["started_at"])
                ).total_seconds(),
                1,
            )
        rows.append(
            {
                **o,
                "seconds": took,
                "new_articles": last.get("new_articles"),
                "updated_articles": last.get("updated_articles"),
                "retry_after": last.get("retry_after"),
                # what the last crawl's requests were for (robots, discovery, listing, …)
                "requests_by": last.get("requests_by") or "{}",
                "next_run": planned.get(f"crawl:{o['id']}", {}).get("next_run"),
                # without a complete listing a column's existence is unknown, never "no"
                "column_listing": store.complete_listing(o["id"]),
            }
        )
    return rows
