"""auditor.schedule without running it: what the scheduler plans at start (resuming the
stored plan, catching up a weekly or monthly run missed while it was down), what
`schedule --list` shows, and the month's CSVs. Time is injected; no process, no waiting."""

from __future__ import annotations

import csv
import io
import random
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from fakeclient import RSS, rss
from test_crawl import write_config
from test_crawl_layer import CAMPAIGN, config, rest_site, wp_harvest, wp_outlet
from test_jobs import END_OF_16_OCT, POSTS, at

from auditor import jobs, schedule
from auditor.crawl.save import save_harvest
from auditor.store import Store

# Wednesday 18 Oct 2017, 10:00 in Hà Nội
NOW = datetime(2017, 10, 18, 3, 0, tzinfo=UTC)
NEXT_MONDAY_0005 = datetime(2017, 10, 22, 17, 5, tzinfo=UTC)  # Mon 23 Oct 00:05 local
LAST_MONDAY_0005 = datetime(2017, 10, 15, 17, 5, tzinfo=UTC)  # Mon 16 Oct 00:05 local
FIRST_OF_NOVEMBER_0100 = datetime(2017, 10, 31, 18, 0, tzinfo=UTC)  # 1 Nov 01:00 local
FIRST_OF_OCTOBER_0100 = datetime(2017, 9, 30, 18, 0, tzinfo=UTC)


class Lowest(random.Random):
    """Jitter at the low end of its window, so plans are exact."""

    def uniform(self, a, b):
        return a


OUTLETS = (
    '- {id: a, name: A, kind: website, url: "http://127.0.0.1:9/"}\n'
    '- {id: paused, name: P, kind: website, url: "http://127.0.0.1:9/", enabled: false}\n'
)


@pytest.fixture
def daemon(tmp_path, monkeypatch):
    monkeypatch.setattr(schedule, "utcnow", lambda: NOW)
    path = write_config(tmp_path, OUTLETS, extra="schedule: {jitter_s: 600}\n")
    daemon = schedule.Daemon(path, str(tmp_path / "s.db"), rng=Lowest())
    daemon.test_config_path = path
    return daemon


def stored(daemon, job_id: str, next_run, last_run=None, status=None) -> None:
    store = Store(daemon.db_path)
    try:
        store.set_schedule(job_id, next_run, last_run, status)
    finally:
        store.close()


def plan(daemon) -> dict[str, datetime]:
    return {job: when.astimezone(UTC) for job, when in daemon.plan()}


def test_a_first_start_plans_every_enabled_outlet_soon_and_the_calendar_jobs_on_time(daemon):
    assert plan(daemon) == {
        "crawl:a": NOW + timedelta(seconds=1),  # spread over the jitter window, not all at once
        "banner": NOW + timedelta(seconds=1),
        "weekly-audit": NEXT_MONDAY_0005,
        "monthly-report": FIRST_OF_NOVEMBER_0100,
    }


def test_a_restart_keeps_plans_still_ahead_and_spreads_overdue_ones(daemon):
    ahead = NOW + timedelta(hours=5)
    stored(daemon, "crawl:a", ahead)
    stored(daemon, "banner", NOW - timedelta(days=2))
    planned = plan(daemon)
    assert planned["crawl:a"] == ahead
    assert planned["banner"] == NOW + timedelta(seconds=1)


CATCH_UP = {
    "a weekly audit missed while down runs soon": (
        "weekly-audit",
        LAST_MONDAY_0005 - timedelta(days=7),
        NOW + timedelta(seconds=30),
    ),
    "a weekly audit run a minute before Monday 00:05 is still due": (
        "weekly-audit",
        LAST_MONDAY_0005 - timedelta(minutes=1),
        NOW + timedelta(seconds=30),
    ),
    "a weekly audit that ran after Monday 00:05 waits for the next Monday": (
        "weekly-audit",
        LAST_MONDAY_0005 + timedelta(minutes=1),
        NEXT_MONDAY_0005,
    ),
    "a monthly report missed on the 1st runs soon": (
        "monthly-report",
        FIRST_OF_OCTOBER_0100 - timedelta(days=3),
        NOW + timedelta(seconds=30),
    ),
    "a monthly report made on the 1st waits for the next month": (
        "monthly-report",
        FIRST_OF_OCTOBER_0100 + timedelta(hours=1),
        FIRST_OF_NOVEMBER_0100,
    ),
}


@pytest.mark.parametrize("job,last_run,expected", CATCH_UP.values(), ids=CATCH_UP.keys())
def test_catch_up_after_downtime(daemon, job, last_run, expected):
    stored(daemon, job, last_run, last_run, "ok")
    assert plan(daemon)[job] == expected


def test_schedule_list_shows_local_times_and_the_last_outcome(daemon):
    stored(daemon, "crawl:a", datetime(2017, 10, 18, 5, 0, tzinfo=UTC), NOW, "error")
    rows = {r[0]: r[1:] for r in schedule.listing(daemon.test_config_path, daemon.db_path)}
    assert rows["crawl:a"] == ("2017-10-18 12:00", "2017-10-18 10:00", "error")
    assert rows["weekly-audit"] == ("2017-10-23 00:05", "", "")
    assert set(rows) == {"crawl:a", "banner", "weekly-audit", "monthly-report"}


def test_write_month_writes_the_months_weekly_and_outlet_csvs(tmp_path):
    cfg = replace(config(), outlets=(wp_outlet(),))
    cfg = replace(cfg, schedule=replace(cfg.schedule, reports_dir=str(tmp_path / "reports")))
    store = Store(tmp_path / "s.db")
    site = {**rest_site(POSTS), "/feed/": (rss([]), RSS)}
    save_harvest(store, wp_harvest(site, store, NOW), CAMPAIGN)
    jobs.run_audit(cfg, store, as_of=END_OF_16_OCT, now=at(NOW))
    written = jobs.write_month(cfg, store, date(2017, 10, 5))
    assert [p.name for p in written] == ["2017-10-weekly.csv", "2017-10-outlets.csv"]
    text = written[0].read_text(encoding="utf-8")
    assert text.startswith("\ufeff")  # for Excel
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    weeks = sorted({cell for row in rows[1:] for cell in row if cell.startswith("2017-W")})
    # every week that touches October, up to the one the audit was in
    assert weeks == ["2017-W39", "2017-W40", "2017-W41", "2017-W42"]
    assert len(rows) == 1 + 8  # two columns × four weeks
    outlets = list(csv.reader(io.StringIO(written[1].read_text("utf-8").removeprefix("\ufeff"))))
    assert len(outlets) == 2 and "Công đoàn tỉnh" in outlets[1]
    store.close()
