"""Store, results side: audit runs and the rows exports read; banner checks and menu
sections; the crawl locks and the scheduler's plan."""

from __future__ import annotations

import functools
import json
import os
import socket
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime, timedelta
from operator import attrgetter

from auditor.store.rows import from_iso, iso
from auditor.types import ColumnSummary, WeekResult


class ResultRows:
    # -- audits ---------------------------------------------------------------------------

    def save_audit(
        self,
        ran_at: datetime,
        as_of: datetime,
        config_hash: str,
        campaign_id: str,
        outlet_ids: list[str],
        weeks: list[WeekResult],
        summaries: list[ColumnSummary],
    ) -> int:
        with self.transaction():
            run_id = (
                self.db["audit_runs"]
                .insert(
                    {
                        "ran_at": iso(ran_at),
                        "as_of": iso(as_of),
                        "config_hash": config_hash,
                        "campaign_id": campaign_id,
                        "outlets": json.dumps(outlet_ids),
                    }
                )
                .last_pk
            )
            # tuples through executemany, in this one transaction: sqlite-utils' insert_all
            # built and checked a dict per row (303,000 rows: 10 s; issue 14)
            # a hundred distinct days, not 300,000 to write out
            day = functools.lru_cache(maxsize=None)(lambda d: d.isoformat())
            self.db.conn.executemany(_INSERT_WEEK, (_week_row(run_id, w, day) for w in weeks))
            self.db.conn.executemany(_INSERT_COLUMN, (_column_row(run_id, s) for s in summaries))
        return run_id

    def latest_runs(self) -> dict[str, int]:
        """For each outlet, the audit run with the latest as-of date that judged it (the
        newest of those): an audit of the past never stands in for the present."""
        latest: dict[str, int] = {}
        for r in self.audit_runs():
            for outlet_id in json.loads(r["outlets"]):
                latest[outlet_id] = r["id"]
        return latest

    def audit_runs(self) -> list[dict]:
        """Every stored run, by as-of date, then by when it ran."""
        return self._q("SELECT * FROM audit_runs ORDER BY as_of, id")

    def audit_run(self, run_id: int) -> dict:
        return self._q("SELECT * FROM audit_runs WHERE id = ?", (run_id,))[0]

    def week_rows(
        self, latest: dict[str, int], first: date | None = None, last: date | None = None
    ) -> list[dict]:
        rows = []
        for outlet_id, run_id in sorted(latest.items()):
            cursor = self.db.conn.execute(
                "SELECT * FROM week_results WHERE run_id = ? AND outlet_id = ? AND "
                "(? IS NULL OR week_end >= ?) AND (? IS NULL OR week_start <= ?) "
                "ORDER BY column_id, week",
                (run_id, outlet_id, _d(first), _d(first), _d(last), _d(last)),
            )
            keys = [d[0] for d in cursor.description]  # dicts made in C, not row by row
            rows += (dict(zip(keys, row, strict=True)) for row in cursor)
        return rows

    def column_rows(self, latest: dict[str, int]) -> list[dict]:
        rows = []
        for outlet_id, run_id in sorted(latest.items()):
            rows += self._q(
                "SELECT * FROM column_results WHERE run_id = ? AND outlet_id = ?",
                (run_id, outlet_id),
            )
        return rows

    def outlet_rows(self) -> list[dict]:
        return self._q(
            # INDEXED BY: on a store without statistics SQLite may take articles_published,
            # which reads every article row (m012)
            "SELECT o.*, (SELECT count(*) FROM articles a INDEXED BY articles_live WHERE "
            "a.outlet_id = o.id AND a.removed_at IS NULL) AS articles, (SELECT count(*) FROM "
            # and articles_published for the undated: through articles_live it read every
            # live article's row to test its date (issue 14: 2,000,000 rows for `status`)
            "articles a INDEXED BY articles_published WHERE a.outlet_id = o.id AND "
            "a.removed_at IS NULL AND a.published IS NULL) AS undated, "
            "(SELECT max(c.started_at) FROM crawls c WHERE c.outlet_id = o.id AND "
            "c.status != 'error') AS last_reached, "
            "(SELECT requests FROM crawls c "
            "WHERE c.outlet_id = o.id ORDER BY c.id DESC LIMIT 1) AS requests "
            "FROM outlets o ORDER BY o.id"
        )

    def article_urls(self, ids: Iterable[int] | None = None) -> dict[int, str]:
        """id → URL of the given articles (of every article without ids), read from the
        cursor as it comes: export weekly asks one outlet's at a time (issue 14)."""
        if ids is None:
            return dict(self.db.execute("SELECT id, url FROM articles"))
        ids, urls = sorted(set(ids)), {}
        for start in range(0, len(ids), 500):  # under SQLite's limit of bound values
            part = ids[start : start + 500]
            marks = ", ".join("?" * len(part))
            urls.update(
                self.db.execute(f"SELECT id, url FROM articles WHERE id IN ({marks})", part)
            )
        return urls

    def outlet_article_urls(self, outlet_id: str, ids: Iterable[int]) -> dict[int, str]:
        """id → URL of every article of the outlet, read whole from its (outlet_id, url)
        index without reading an article row, and of the given ids that are another
        outlet's (a link to one). export weekly looked each article up by id: 1,000,000
        article rows read at 2,000,000 articles (issue 14)."""
        urls = dict(
            self.db.conn.execute(
                "SELECT id, url FROM articles INDEXED BY sqlite_autoindex_articles_1 "
                "WHERE outlet_id = ?",
                (outlet_id,),
            )
        )
        others = set(ids).difference(urls)
        if others:
            urls.update(self.article_urls(others))
        return urls

    def outlet_names(self) -> dict[str, str]:
        """id → name of every stored outlet, without counting their articles."""
        return dict(self.db.execute("SELECT id, name FROM outlets ORDER BY id"))

    def article_rows(self, first: datetime | None, last: datetime | None) -> Iterator[dict]:
        """Rows as the cursor gives them, each with its topics (the prediction and a
        person's correction, has_topics when there is either): the articles export streams
        them to its file. Topics joined here, not read first into a dict of every
        article's (issue 14: 2,000,000 dicts)."""
        cursor = self.db.conn.execute(
            # only what the export shows: a.* carried every article's full text (issue 14)
            "SELECT a.id, a.outlet_id, a.published, a.title, a.url, a.sources, "
            "(SELECT json_group_array(json_object('column_id', ac.column_id, "
            "'rule', ac.rule, 'evidence', ac.evidence)) FROM article_columns ac "
            "WHERE ac.article_id = a.id) AS links, p.model_version, p.probabilities, "
            "p.labels, c.labels AS corrected, "
            "(p.article_id IS NOT NULL OR c.article_id IS NOT NULL) AS has_topics "
            # INDEXED BY: the order of articles published at one instant is the index's
            "FROM articles a INDEXED BY articles_published "
            "LEFT JOIN predictions p ON p.article_id = a.id "
            "LEFT JOIN corrections c ON c.article_id = a.id WHERE "
            "(? IS NULL OR a.published >= ?) AND (? IS NULL OR a.published < ?) "
            "ORDER BY a.outlet_id, a.published",
            (iso(first), iso(first), iso(last), iso(last)),
        )
        keys = [d[0] for d in cursor.description]
        return (dict(zip(keys, row, strict=True)) for row in cursor)

    # -- locks and the schedule -----------------------------------------------------------

    def acquire_lock(self, name: str, owner: str, ttl_s: float, now: datetime) -> dict | None:
        """Take the lock, or return who holds it. An expired lock, or one whose process
        on this host is gone, is taken over."""
        return self.acquire_locks([name], owner, ttl_s, now).get(name)

    def acquire_locks(
        self, names: list[str], owner: str, ttl_s: float, now: datetime
    ) -> dict[str, dict]:
        """Take every lock of names that is free (as acquire_lock) in one transaction;
        returns who holds each of the others."""
        host, pid = socket.gethostname(), os.getpid()
        with self.transaction():
            rows = {r["name"]: r for r in self._q("SELECT * FROM locks")}
            held = {
                n: rows[n]
                for n in names
                if n in rows and rows[n]["owner"] != owner and not _stale(rows[n], now)
            }
            expires = iso(now + timedelta(seconds=ttl_s))
            self.db.conn.executemany(
                "INSERT OR REPLACE INTO locks (name, owner, host, pid, acquired_at, expires_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [(n, owner, host, pid, iso(now), expires) for n in names if n not in held],
            )
        return held

    def release_lock(self, name: str, owner: str) -> None:
        with self.transaction():
            self.db.execute("DELETE FROM locks WHERE name = ? AND owner = ?", (name, owner))

    def schedule_rows(self) -> dict[str, dict]:
        return {r["job_id"]: r for r in self._q("SELECT * FROM schedule")}

    def set_schedule(
        self,
        job_id: str,
        next_run: datetime | None,
        last_run: datetime | None = None,
        status: str | None = None,
    ) -> None:
        row = {"job_id": job_id, "next_run": iso(next_run)}
        if last_run is not None:
            row["last_run"] = iso(last_run)
        if status is not None:
            row["last_status"] = status
        with self.transaction():
            self.db["schedule"].upsert(row, pk="job_id")

    def last_success(self, outlet_id: str) -> str | None:
        rows = self._q(
            "SELECT max(started_at) AS at FROM crawls WHERE outlet_id = ? AND status != 'error'",
            (outlet_id,),
        )
        return rows[0]["at"] if rows else None

    def failing_since(self, outlet_id: str) -> str:
        """When the outlet's failures began: its first failed crawl after the last one that
        got through ("" if none failed since)."""
        ok = self.last_success(outlet_id)
        rows = self._q(
            "SELECT min(started_at) AS at FROM crawls WHERE outlet_id = ? AND "
            "status = 'error' AND (? IS NULL OR started_at > ?)",
            (outlet_id, ok, ok),
        )
        return rows[0]["at"] or ""

    # -- banner ---------------------------------------------------------------------------

    def save_banner_check(
        self,
        outlet_id: str,
        checked_at: datetime,
        verdict: str,
        evidence: str = "",
        location: str = "",
        image_url: str = "",
        ocr_text: str = "",
        error: str = "",
    ) -> None:
        with self.transaction():
            self.db["banner_checks"].insert(
                {
                    "outlet_id": outlet_id,
                    "checked_at": iso(checked_at),
                    "verdict": verdict,
                    "evidence": evidence,
                    "location": location,
                    "image_url": image_url,
                    "ocr_text": ocr_text,
                    "error": error,
                }
            )


_WEEK_FIELDS = (
    "run_id, outlet_id, column_id, week, week_start, week_end, articles, required, status, "
    "on_topic, article_ids, covered_by"
)
_INSERT_WEEK = f"INSERT INTO week_results ({_WEEK_FIELDS}) VALUES ({', '.join('?' * 12)})"
_COLUMN_FIELDS = (
    "run_id, outlet_id, column_id, exists_, found_by, first_article, timeliness, weeks_met, "
    "weeks_missed, weeks_unknown, weeks_in_progress, off_topic, on_topic_elsewhere, finding"
)
_INSERT_COLUMN = f"INSERT INTO column_results ({_COLUMN_FIELDS}) VALUES ({', '.join('?' * 14)})"


def _week_row(run_id: int, w: WeekResult, day: Callable[[date], str]) -> tuple:
    outlet_id, column_id, week, start, end, n, required, status, on_topic, ids, by = _WEEK(w)
    return (
        run_id,
        outlet_id,
        column_id,
        week,
        day(start),
        day(end),
        n,
        required,
        status,
        on_topic,
        str(list(ids)),  # what json.dumps writes for a list of ints, without its encoder
        by,
    )


# a WeekResult's fields read in C, not one attribute lookup at a time (315,000 rows)
_WEEK = attrgetter(
    "outlet_id",
    "column_id",
    "week",
    "week_start",
    "week_end",
    "articles",
    "required",
    "status",
    "on_topic",
    "article_ids",
    "covered_by",
)


def _column_row(run_id: int, s: ColumnSummary) -> tuple:
    return (
        run_id,
        s.outlet_id,
        s.column_id,
        {"yes": 1, "no": 0}.get(s.exists),  # NULL: unknown
        s.found_by,
        s.first_article.isoformat() if s.first_article else None,
        s.timeliness,
        s.weeks_met,
        s.weeks_missed,
        s.weeks_unknown,
        s.weeks_in_progress,
        s.off_topic,
        s.on_topic_elsewhere,
        s.finding,
    )


def _stale(lock: dict, now: datetime) -> bool:
    if from_iso(lock["expires_at"]) <= now:
        return True
    if lock["host"] != socket.gethostname():
        return False
    try:
        os.kill(lock["pid"], 0)
    except ProcessLookupError:
        return True  # its process is gone (killed, crashed): nobody is crawling
    except PermissionError:
        return False
    return False


def _d(day: date | None) -> str | None:
    return day.isoformat() if day else None
