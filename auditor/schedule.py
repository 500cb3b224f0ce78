"""`auditor schedule`: APScheduler 3 wiring only. The jobs call crawl, checks, jobs, alerts.

Jobs: one crawl per outlet at its own interval (with jitter, backoff after failures and
Retry-After), the banner check of every homepage, the weekly audit and digest on Monday
00:05 local time for the week just ended, and the month's CSVs on the 1st. Next-run times
live in the store's `schedule` table, so a restart resumes where it stopped. SIGINT or
SIGTERM: no new job starts, running crawls are told to stop, nothing half-written stays.
"""

from __future__ import annotations

import logging
import random
import signal
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger

from auditor import alerts, jobs, labels
from auditor import config as config_mod
from auditor.classify import model as classify
from auditor.classify import stored as topics
from auditor.clock import utcnow
from auditor.config import select_outlets
from auditor.crawl import banner as checks
from auditor.crawl.run import crawl
from auditor.errors import ModelError
from auditor.rules import audit, planning
from auditor.store import Store, from_iso

log = logging.getLogger("auditor.schedule")
WEEKLY = {"day_of_week": "mon", "hour": 0, "minute": 5}
MONTHLY = {"day": 1, "hour": 1, "minute": 0}


class Daemon:
    def __init__(
        self,
        config_path: str,
        db_path: str | None,
        models_dir: str | None = None,
        rng: random.Random | None = None,
    ):
        self.config = config_mod.load(config_path)
        self.db_path = db_path or self.config.store_path
        self.models_dir = models_dir
        self.config_dir = Path(config_path).resolve().parent
        self.tz = ZoneInfo(self.config.timezone)
        self.rng = rng or random.Random()
        self.stop_event = threading.Event()
        self.active = 0
        self.active_lock = threading.Lock()
        self.model = None
        s = self.config.schedule
        self.scheduler = BlockingScheduler(
            timezone=self.tz,
            job_defaults={
                "coalesce": True,
                "max_instances": 1,
                "misfire_grace_time": s.misfire_grace_s,
            },
            executors={"default": {"type": "threadpool", "max_workers": s.workers}},
        )

    # -- planning -------------------------------------------------------------------------

    def plan(self) -> list[tuple[str, datetime]]:
        """(job id, next run) for every job, resuming the stored plan."""
        store = Store(self.db_path)
        try:
            stored = store.schedule_rows()
        finally:
            store.close()
        now = utcnow()
        s = self.config.schedule
        planned = []
        for outlet in select_outlets(self.config, None):
            job_id = f"crawl:{outlet.id}"
            when = from_iso(stored.get(job_id, {}).get("next_run"))
            planned.append((job_id, planning.resume_at(now, when, s.jitter_s, self.rng)))
        when = from_iso(stored.get("banner", {}).get("next_run"))
        planned.append(("banner", planning.resume_at(now, when, s.jitter_s, self.rng)))
        for job_id, fields in (("weekly-audit", WEEKLY), ("monthly-report", MONTHLY)):
            trigger = CronTrigger(timezone=self.tz, **fields)
            planned.append((job_id, self._catch_up(job_id, trigger, stored, now)))
        return planned

    def _catch_up(self, job_id: str, trigger: CronTrigger, stored: dict, now: datetime) -> datetime:
        """A weekly or monthly run missed while the daemon was down runs soon after start."""
        last = from_iso(stored.get(job_id, {}).get("last_run"))
        previous = _previous_fire(trigger, now)
        if last is not None and previous is not None and last < previous:
            return now + timedelta(seconds=self.rng.uniform(30, 90))
        return trigger.get_next_fire_time(None, now.astimezone(self.tz))

    def build(self) -> None:
        for job_id, when in self.plan():
            self._add(job_id, when)

    def _add(self, job_id: str, when: datetime) -> None:
        self._plan_job(job_id, when)
        store = Store(self.db_path)
        try:
            store.set_schedule(job_id, when)
        finally:
            store.close()

    # -- running --------------------------------------------------------------------------

    def run(self) -> int:
        self.build()
        signal.signal(signal.SIGTERM, self.request_stop)
        signal.signal(signal.SIGINT, self.request_stop)
        log.info("scheduler started with %d jobs", len(self.scheduler.get_jobs()))
        self.scheduler.start()
        self._wait_for_jobs(timeout_s=60)
        log.info("scheduler stopped")
        return 0

    def request_stop(self, signum=None, frame=None) -> None:
        log.info("stop requested: no new jobs; running crawls are cut short")
        self.stop_event.set()
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)

    def _wait_for_jobs(self, timeout_s: float) -> None:
        deadline = time.monotonic() + timeout_s
        while self.active and time.monotonic() < deadline:
            time.sleep(0.1)

    def _guarded(self, job_id: str, func, arg: str) -> None:
        if self.stop_event.is_set():
            return
        with self.active_lock:
            self.active += 1
        store = Store(self.db_path)
        status = "ok"
        try:
            next_run = func(store, arg) if arg else func(store)
        except Exception:
            log.exception("job %s failed", job_id)
            status, next_run = "error", None
        finally:
            with self.active_lock:
                self.active -= 1
        try:
            self._after(store, job_id, next_run, status)
        finally:
            store.close()

    def _after(self, store: Store, job_id: str, next_run: datetime | None, status: str) -> None:
        if self.stop_event.is_set():
            store.set_schedule(
                job_id,
                from_iso(store.schedule_rows().get(job_id, {}).get("next_run")),
                utcnow(),
                status,
            )
            return
        if next_run is None:
            next_run = self._default_next(job_id)
        store.set_schedule(job_id, next_run, utcnow(), status)
        self._plan_job(job_id, next_run)

    def _plan_job(self, job_id: str, when: datetime) -> None:
        """The job's next (single) run: each run plans the one after it."""
        self.scheduler.add_job(
            self._guarded,
            "date",
            run_date=when,
            id=job_id,
            args=[job_id, *self._target(job_id)],
            replace_existing=True,
        )

    def _target(self, job_id: str) -> tuple:
        kind, _, arg = job_id.partition(":")
        return (
            {
                "crawl": self.crawl_job,
                "banner": self.banner_job,
                "weekly-audit": self.weekly_job,
                "monthly-report": self.monthly_job,
            }[kind],
            arg,
        )

    def _default_next(self, job_id: str) -> datetime:
        now = utcnow()
        if job_id == "weekly-audit":
            return CronTrigger(timezone=self.tz, **WEEKLY).get_next_fire_time(None, now)
        if job_id == "monthly-report":
            return CronTrigger(timezone=self.tz, **MONTHLY).get_next_fire_time(None, now)
        s = self.config.schedule
        interval = s.homepage_interval_s if job_id == "banner" else s.crawl_interval_s
        return planning.next_crawl(now, interval, s.jitter_s, 0, None, s.max_backoff_s, self.rng)

    # -- the jobs ---------------------------------------------------------------------------

    def crawl_job(self, store: Store, outlet_id: str) -> datetime:
        [report] = crawl(self.config, store, [outlet_id], stop=self.stop_event)
        if self.config.crawl.classify and report.status not in ("stopped", "skipped"):
            self._classify(store, outlet_id)
        last = store.latest_crawl(outlet_id)
        failures = store.outlet_state(outlet_id).consecutive_failures
        outlet = self.config.outlet(outlet_id)
        s = self.config.schedule
        return planning.next_crawl(
            utcnow(),
            outlet.crawl_interval_s or s.crawl_interval_s,
            s.jitter_s,
            failures,
            last.retry_after if last else None,
            s.max_backoff_s,
            self.rng,
        )

    def _classify(self, store: Store, outlet_id: str) -> None:
        try:
            if self.model is None:
                folder = classify.locate(self.models_dir, self.config_dir)
                self.model = classify.load_or_rebuild(folder)
            topics.classify_stored(store, self.model, outlet_id)
        except ModelError as e:
            log.warning("%s: articles not classified: %s", outlet_id, e)

    def banner_job(self, store: Store) -> datetime:
        checks.check_banners(self.config, store)
        s = self.config.schedule
        return planning.next_crawl(
            utcnow(), s.homepage_interval_s, s.jitter_s, 0, None, s.max_backoff_s, self.rng
        )

    def weekly_job(self, store: Store) -> None:
        now = utcnow()
        jobs.run_audit(self.config, store, as_of=now)
        week = audit.week_of(now - timedelta(days=1), self.tz)  # the week just ended
        digest = alerts.build_digest(self.config, store, week, now)
        for line in alerts.send(self.config, digest):
            log.info("weekly digest %s: %s", week, line.splitlines()[0])

    def monthly_job(self, store: Store) -> None:
        now = utcnow()
        jobs.run_audit(self.config, store, as_of=now)
        last_month = now.astimezone(self.tz).date().replace(day=1) - timedelta(days=1)
        jobs.write_month(self.config, store, last_month)
        from auditor import report  # loaded for this job only (matplotlib, openpyxl)

        for path in report.write_month(self.config, store, last_month, now):
            log.info("monthly report written: %s", path)


def _previous_fire(trigger: CronTrigger, now: datetime) -> datetime | None:
    """The last time the cron trigger fired before now (looking back up to 40 days)."""
    when = trigger.get_next_fire_time(None, now - timedelta(days=40))
    previous = None
    while when is not None and when <= now:
        previous = when
        when = trigger.get_next_fire_time(when, when + timedelta(seconds=1))
    return previous


def listing(config_path: str, db_path: str | None) -> list[tuple[str, str, str, str]]:
    """(job, next run, last run, last status) for `auditor schedule --list`."""
    daemon = Daemon(config_path, db_path)
    store = Store(daemon.db_path)
    try:
        stored = store.schedule_rows()
    finally:
        store.close()
    rows = []
    for job_id, planned in daemon.plan():
        row = stored.get(job_id, {})
        when = from_iso(row.get("next_run")) or planned
        rows.append(
            (
                job_id,
                labels.local_time(when, daemon.tz, "en"),
                labels.local_time(row.get("last_run"), daemon.tz, "en"),
                row.get("last_status") or "",
            )
        )
    return rows
