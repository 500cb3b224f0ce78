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
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
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


def start(config: str, db: Path, log: Path) -> subprocess.Popen:
    out = open(log, "w")  # noqa: SIM115 - closed by the caller through proc.log
    proc = subprocess.Popen(
        [sys.executable, "-m", "auditor", "--config", config, "--db", str(db), "schedule"],
        stdout=out,
        stderr=out,
        cwd=ROOT,
    )
    proc.log = out
    return proc


def rows(db: Path, sql: str, params=()) -> list[tuple]:
    """The rows, or the store's error: a check on a table that cannot be read fails."""
    with sqlite3.connect(db, timeout=30) as conn:
        return conn.execute(sql, params).fetchall()


def rows_once_there(db: Path, sql: str, params=()) -> list[tuple]:
    """For waiting only: before the scheduler has created the tables there are no rows."""
    try:
        return rows(db, sql, params)
    except sqlite3.OperationalError as e:
        if "no such table" in str(e):
            return []
        raise


def wait_until(check, seconds=60, what=""):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def test_schedule_with_reaudit_export_and_sigterm(tmp_path, serve):
    good = serve(big_site())

    def down(h):
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
            "schedule: {crawl_interval_s: 2, jitter_s: 1, homepage_interval_s: 3600, "
            "lock_wait_s: 60}\ncrawl: {classify: false}\n"
        ),
        http="{timeout_s: 5, per_host_delay_s: 0, retries: 0}",
    )
    db = tmp_path / "a.db"
    proc = start(config, db, tmp_path / "schedule.log")
    try:
        wait_until(
            lambda: rows_once_there(db, "SELECT 1 FROM crawls WHERE outlet_id = 'good'"),
            what="a first crawl of good",
        )
        wait_until(
            lambda: len(rows_once_there(db, "SELECT 1 FROM crawls WHERE outlet_id = 'bad'")) >= 2,
            what="two crawls of bad",
        )
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
        proc.send_signal(signal.SIGTERM)
        code = proc.wait(30)
        proc.log.close()
    assert code == 0, (tmp_path / "schedule.log").read_text()
    assert rows(db, "PRAGMA integrity_check") == [("ok",)]
    assert rows(db, "SELECT * FROM locks") == []
    log = (tmp_path / "schedule.log").read_text()
    assert "scheduler stopped" in log


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
    proc = start(config, db, tmp_path / "killed.log")
    try:
        assert reached.wait(120), "the crawl never asked for the posts"
        os.kill(proc.pid, signal.SIGKILL)  # while its listing is held: mid-crawl for sure
        proc.wait(10)
    finally:
        released.set()  # later crawls get their answers at once
        proc.log.close()
    assert rows(db, "SELECT count(*) FROM crawls") == [(0,)]  # nothing half-written
    assert rows(db, "SELECT count(*) FROM locks") == [(1,)]  # its lock is left behind

    restarted = start(config, db, tmp_path / "restarted.log")  # takes the dead lock over
    try:
        wait_until(
            lambda: rows(db, "SELECT 1 FROM crawls WHERE status = 'ok'"),
            what="the crawl after the restart",
        )
    finally:
        restarted.send_signal(signal.SIGTERM)
        assert restarted.wait(30) == 0
        restarted.log.close()
    assert rows(db, "PRAGMA integrity_check") == [("ok",)]
    after_kill = weekly_of(config, db, tmp_path, "after-kill.csv")

    clean = tmp_path / "clean.db"
    assert auditor("--config", config, "--db", str(clean), "crawl").returncode == 0
    uninterrupted = weekly_of(config, clean, tmp_path, "clean.csv")
    assert after_kill == uninterrupted
