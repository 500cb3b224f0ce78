"""`auditor schedule` as a real process, with shell commands beside it, SIGTERM and kill -9."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from proclines import SAFETY_CAP_S, Lines
from proclines import start as start_watched
from test_crawl import big_site, write_config

from auditor.fakesite import FakeSite

pytestmark = pytest.mark.slow
ROOT = Path(__file__).parent.parent


def auditor(*args, timeout=120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "auditor", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
    )


def start(config: str, db: Path, log: Path) -> tuple[subprocess.Popen, Lines]:
    """The scheduler, its log lines read as they come: tests wait for the line a crawl
    logs once it is stored ("good: ok, 12 new, …"), never for a time to pass."""
    return start_watched(
        [sys.executable, "-m", "auditor", "--config", config, "--db", str(db), "schedule"],
        log,
        cwd=ROOT,
    )


def crawled(outlet: str, status: str = "ok") -> str:
    """A crawl's log line (crawl._save), printed after its rows are committed."""
    return rf": {outlet}: {status}, \d+ new"


def rows(db: Path, sql: str, params=()) -> list[tuple]:
    """The rows, or the store's error: a check on a table that cannot be read fails."""
    with sqlite3.connect(db, timeout=30) as conn:
        return conn.execute(sql, params).fetchall()


def stop(proc: subprocess.Popen, lines: Lines) -> int:
    proc.send_signal(signal.SIGTERM)
    code = proc.wait(60)  # a safety cap: a clean stop takes a second or two
    lines.close()
    return code


def test_schedule_with_reaudit_export_and_sigterm(tmp_path, serve):
    good = serve(big_site())
    asked = threading.Event()  # bad's homepage was asked for

    def down(h):
        asked.set()
        h.send(500, b"down", "text/plain")

    bad = serve(
        FakeSite(
            rest="off",
            routes={"/": down, "/feed/": down, "/robots.txt": lambda h: h.send(404, b"", "")},
        )
    )
    outlets = (
        f'- {{id: good, name: G, kind: website, url: "{good.url}/"}}\n'
        f'- {{id: bad, name: B, kind: website, url: "{bad.url}/"}}\n'
    )
    config = write_config(
        tmp_path,
        outlets,
        extra=(
            "schedule: {crawl_interval_s: 1, jitter_s: 1, homepage_interval_s: 3600, "
            "lock_wait_s: 60}\ncrawl: {classify: false}\n"
        ),
        http="{timeout_s: 5, per_host_delay_s: 0, retries: 0}",
    )
    db = tmp_path / "a.db"
    proc, lines = start(config, db, tmp_path / "schedule.log")
    try:
        lines.wait_for(crawled("good"))
        lines.wait_for(r": bad: banner ")  # the banner job (once an hour) is done with bad
        lines.wait_for(crawled("bad", "error"), count=2)
        # the scheduler plans bad's next crawl just after logging this one: once the
        # next crawl asks for the homepage, that plan is surely stored
        asked.clear()
        assert asked.wait(SAFETY_CAP_S), "bad was not crawled a third time"
        base = ["--config", config, "--db", str(db)]
        done = auditor(*base, "reaudit", "good")
        assert done.returncode == 0, done.stderr
        assert "database is locked" not in done.stderr
        out = tmp_path / "weekly.csv"
        done = auditor(*base, "export", "weekly", "-o", str(out))
        assert done.returncode == 0, done.stderr
        weekly = list(csv.DictReader(io.StringIO(out.read_text("utf-8").removeprefix("\ufeff"))))
        assert {r["outlet_id"] for r in weekly} == {"good"}
        status = {r["id"]: r for r in json.loads(auditor(*base, "status", "--json").stdout)}
        assert status["bad"]["last_status"] == "error"
        assert status["bad"]["consecutive_failures"] >= 2
        assert status["bad"]["next_run"] > status["bad"]["last_crawl_at"]
        assert status["good"]["last_status"] == "ok"
        listed = auditor(*base, "schedule", "--list").stdout
        assert "crawl:good" in listed and "weekly-audit" in listed
    finally:
        code = stop(proc, lines)
    assert code == 0, (tmp_path / "schedule.log").read_text()
    assert rows(db, "PRAGMA integrity_check") == [("ok",)]
    assert rows(db, "SELECT * FROM locks") == []
    assert lines.matches("scheduler stopped")


def held_posts(site: FakeSite, reached: threading.Event, released: threading.Event):
    """The posts listing answers only once the test releases it, and says when a crawl
    has asked for it: the crawl is surely in flight when the test acts."""

    def route(h):
        reached.set()
        released.wait(120)
        query = {k: v[-1] for k, v in parse_qs(urlsplit(h.path).query).items()}
        h.rest("/wp/v2/posts", query)

    site.routes["/wp-json/wp/v2/posts"] = route
    return site


def weekly_of(config: str, db: Path, tmp_path: Path, name: str) -> list[dict]:
    base = ["-q", "--config", config, "--db", str(db)]
    assert auditor(*base, "audit", "--as-of", "2017-12-20").returncode == 0
    out = tmp_path / name
    assert auditor(*base, "export", "weekly", "-o", str(out)).returncode == 0
    return list(csv.DictReader(io.StringIO(out.read_text("utf-8").removeprefix("\ufeff"))))


def test_kill_9_during_a_crawl_leaves_a_usable_store(tmp_path, serve, request):
    reached, released = threading.Event(), threading.Event()
    request.addfinalizer(released.set)
    site = serve(held_posts(big_site(), reached, released))
    outlets = f'- {{id: slow, name: S, kind: website, url: "{site.url}/"}}\n'
    config = write_config(
        tmp_path,
        outlets,
        extra=(
            "schedule: {crawl_interval_s: 3600, jitter_s: 1, homepage_interval_s: 3600}\n"
            "crawl: {classify: false}\n"
        ),
    )
    db = tmp_path / "killed.db"
    proc, lines = start(config, db, tmp_path / "killed.log")
    try:
        assert reached.wait(SAFETY_CAP_S), "the crawl never asked for the posts"
        os.kill(proc.pid, signal.SIGKILL)  # while its listing is held: mid-crawl for sure
        proc.wait(60)
    finally:
        released.set()  # later crawls get their answers at once
        lines.close()
    assert rows(db, "SELECT count(*) FROM crawls") == [(0,)]  # nothing half-written
    assert rows(db, "SELECT count(*) FROM locks") == [(1,)]  # its lock is left behind

    restarted, lines = start(config, db, tmp_path / "restarted.log")  # takes the dead lock over
    try:
        lines.wait_for(crawled("slow"))
    finally:
        assert stop(restarted, lines) == 0, (tmp_path / "restarted.log").read_text()
    assert rows(db, "SELECT count(*) FROM crawls WHERE status = 'ok'") == [(1,)]
    assert rows(db, "PRAGMA integrity_check") == [("ok",)]
    after_kill = weekly_of(config, db, tmp_path, "after-kill.csv")

    clean = tmp_path / "clean.db"
    assert auditor("--config", config, "--db", str(clean), "crawl").returncode == 0
    uninterrupted = weekly_of(config, clean, tmp_path, "clean.csv")
    assert after_kill == uninterrupted
