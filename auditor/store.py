"""The SQLite store: the only module with SQL. Types in, types out.

WAL and a busy timeout let the scheduler and a shell command share one file; every write
of one outlet's crawl is one IMMEDIATE transaction, so an interrupted run leaves the store
as it was before that outlet.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlite_utils import Database

from auditor import columns as columns_mod
from auditor.audit import ColumnFacts
from auditor.errors import StoreError
from auditor.schema import migrations
from auditor.text import name_key
from auditor.types import (
    Article,
    Campaign,
    ColumnSource,
    ColumnSummary,
    Coverage,
    Harvest,
    Outlet,
    Term,
    WeekResult,
)

BUSY_TIMEOUT_S = 60


def iso(when: datetime | None) -> str | None:
    return when.astimezone(UTC).isoformat(timespec="seconds") if when else None


def from_iso(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


@dataclass(frozen=True)
class OutletState:
    api_root: str = ""
    api_note: str = ""
    feeds: tuple[str, ...] = ()
    column_feeds: tuple[tuple[str, str], ...] = ()  # (url, column id) found before
    last_full_listing: datetime | None = None
    rest_cursor: datetime | None = None
    coverage_end: dict[str, datetime] | None = None  # latest end per source
    consecutive_failures: int = 0
    sections: tuple[tuple[str, str], ...] = ()  # (column id, url) found on menus
    dated_urls: frozenset[str] = frozenset()  # stored articles that have a date


class Store:
    def __init__(self, path: str | Path):
        self.path = str(path)
        try:
            conn = sqlite3.connect(
                self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False
            )
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_S * 1000}")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA foreign_keys = ON")
            self.db = Database(conn)
            with self.transaction():
                migrations.apply(self.db)
        except sqlite3.DatabaseError as e:
            raise StoreError(f"cannot open the store {self.path}: {e}") from None

    def close(self) -> None:
        self.db.conn.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """BEGIN IMMEDIATE: take the write lock up front, so a busy peer makes us wait
        (busy timeout) instead of failing half-way with "database is locked"."""
        conn = self.db.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def q(self, sql: str, params: tuple | dict = ()) -> list[dict]:
        return list(self.db.query(sql, params))

    # -- before a crawl -------------------------------------------------------------------

    def validators(self) -> dict[str, dict]:
        return {
            r["url"]: {"etag": r["etag"], "last_modified": r["last_modified"]}
            for r in self.q("SELECT * FROM http_cache")
        }

    def robots(self) -> dict[str, tuple[datetime, str]]:
        return {
            r["origin"]: (from_iso(r["fetched_at"]), r["body"] or "")
            for r in self.q("SELECT * FROM robots")
        }

    def save_robots(self, fresh: dict[str, tuple[datetime, str]]) -> None:
        if not fresh:
            return
        with self.transaction():
            self.db["robots"].upsert_all(
                (
                    {"origin": o, "fetched_at": iso(at), "body": body}
                    for o, (at, body) in fresh.items()
                ),
                pk="origin",
            )

    def outlet_state(self, outlet_id: str) -> OutletState:
        rows = self.q("SELECT * FROM outlets WHERE id = ?", (outlet_id,))
        if not rows:
            return OutletState(coverage_end={})
        r = rows[0]
        ends = {
            c["source"]: from_iso(c["e"])
            for c in self.q(
                'SELECT source, max("end") AS e FROM coverage WHERE outlet_id = ? GROUP BY source',
                (outlet_id,),
            )
        }
        pairs = self._feed_pairs(outlet_id)
        site_feeds = tuple(url for url, column in pairs if not column)
        return OutletState(
            api_root=r["api_root"] or "",
            api_note=r["api_note"] or "",
            feeds=site_feeds,
            column_feeds=tuple((url, column) for url, column in pairs if column),
            last_full_listing=from_iso(r["last_full_listing_at"]),
            rest_cursor=from_iso(r["rest_cursor"]),
            coverage_end=ends,
            consecutive_failures=r["consecutive_failures"] or 0,
            sections=tuple(
                (x["column_id"], x["url"])
                for x in self.q(
                    "SELECT column_id, url FROM sections WHERE outlet_id = ?", (outlet_id,)
                )
            ),
            dated_urls=frozenset(
                x["url"]
                for x in self.q(
                    "SELECT url FROM articles WHERE outlet_id = ? AND published IS NOT NULL",
                    (outlet_id,),
                )
            ),
        )

    def known_terms(self, outlet_id: str) -> list[Term]:
        return [
            Term(r["kind"], r["name"], r["slug"] or "", r["term_id"], r["link"] or "")
            for r in self.q("SELECT * FROM terms WHERE outlet_id = ?", (outlet_id,))
        ]

    # -- after a crawl --------------------------------------------------------------------

    def save_harvest(self, h: Harvest, campaign: Campaign) -> dict:
        """Write one outlet's crawl whole, or not at all. Returns the crawl's counts."""
        with self.transaction():
            self._mark_removed(h)  # first: what it notes goes into the crawl row
            crawl_id = self._crawl_row(h)
            self._fetch_rows(h, crawl_id)
            self._outlet_row(h)
            self._cache_rows(h)
            self._term_rows(h)
            self._section_rows(h)
            new, updated = self._article_rows(h)
            self._coverage_rows(h)
            self.relink(h.outlet, campaign)
            self.db["crawls"].update(crawl_id, {"new_articles": new, "updated_articles": updated})
        return {"crawl_id": crawl_id, "new": new, "updated": updated, "status": h.status}

    def _crawl_row(self, h: Harvest) -> int:
        return (
            self.db["crawls"]
            .insert(
                {
                    "outlet_id": h.outlet.id,
                    "started_at": iso(h.started),
                    "finished_at": iso(h.finished),
                    "status": h.status,
                    "error": "; ".join(h.errors),
                    "notes": "; ".join(h.notes),
                    "requests": len(h.records),
                    "retry_after": h.retry_after,
                    "bytes": sum(r.bytes for r in h.records),
                    "new_articles": 0,
                    "updated_articles": 0,
                }
            )
            .last_pk
        )

    def _fetch_rows(self, h: Harvest, crawl_id: int) -> None:
        self.db["fetches"].insert_all(
            (
                {
                    "crawl_id": crawl_id,
                    "outlet_id": h.outlet.id,
                    "url": r.url,
                    "status": r.status,
                    "bytes": r.bytes,
                    "elapsed_ms": r.elapsed_ms,
                    "at": iso(r.at),
                    "error": r.error,
                    "attempt": r.attempt,
                }
                for r in h.records
            ),
            batch_size=500,
        )

    def _outlet_row(self, h: Harvest) -> None:
        o, old = h.outlet, self.outlet_state(h.outlet.id)
        failures = 0 if h.status == "ok" else old.consecutive_failures + 1
        row = {
            "id": o.id,
            "name": o.name,
            "kind": o.kind,
            "url": o.url,
            "grp": o.group,
            "last_crawl_at": iso(h.started),
            "last_status": h.status,
            "last_error": "; ".join(h.errors),
            "consecutive_failures": failures,
        }
        if h.api_root or h.api_note:
            row.update(api_root=h.api_root, api_note=h.api_note)
        if h.feeds:
            row["feeds"] = json.dumps(sorted({(f.url, f.column_id) for f in h.feeds}))
        if h.full_listing:
            row["last_full_listing_at"] = iso(h.started)
        if h.rest_cursor:
            row["rest_cursor"] = iso(h.rest_cursor)
        self.db["outlets"].upsert(row, pk="id")

    def _cache_rows(self, h: Harvest) -> None:
        self.db["http_cache"].upsert_all(
            (
                {
                    "url": url,
                    "etag": v.get("etag", ""),
                    "last_modified": v.get("last_modified", ""),
                    "at": iso(h.started),
                }
                for url, v in h.validators.items()
            ),
            pk="url",
        )

    def _term_rows(self, h: Harvest) -> None:
        if h.rest_terms_complete:
            self.db.execute(
                "DELETE FROM terms WHERE outlet_id = ? AND origin = 'rest'", (h.outlet.id,)
            )
        rows = {}
        for t in h.terms:
            rows[(t.kind, t.name)] = {
                "outlet_id": h.outlet.id,
                "kind": t.kind,
                "name": t.name,
                "slug": t.slug,
                "term_id": t.term_id,
                "link": t.link,
                "origin": "rest",
                "seen_at": iso(h.started),
            }
        for a, _ in h.articles:
            for t in a.terms:
                if t.name and (t.kind, t.name) not in rows and a.source == "rss":
                    rows[(t.kind, t.name)] = {
                        "outlet_id": h.outlet.id,
                        "kind": t.kind,
                        "name": t.name,
                        "slug": "",
                        "term_id": None,
                        "link": "",
                        "origin": "rss",
                        "seen_at": iso(h.started),
                    }
        self.db["terms"].upsert_all(rows.values(), pk=("outlet_id", "kind", "name", "origin"))

    def _section_rows(self, h: Harvest) -> None:
        self.db["sections"].upsert_all(
            (
                {
                    "outlet_id": h.outlet.id,
                    "column_id": x.column_id,
                    "url": x.url,
                    "evidence": x.evidence,
                    "found_at": iso(h.started),
                }
                for x in h.sections
            ),
            pk=("outlet_id", "column_id", "url"),
        )

    def _article_rows(self, h: Harvest) -> tuple[int, int]:
        new = updated = 0
        for article, feed in h.articles:
            existing = self._find_article(h.outlet.id, article)
            row = _merge(existing, article, feed, h)
            if existing is None:
                self.db["articles"].insert(row)
                new += 1
            else:
                changed = any(
                    row[k] != existing[k]
                    for k in ("title", "published", "modified", "terms", "text", "removed_at")
                )
                self.db["articles"].update(existing["id"], row)
                updated += changed
        return new, updated

    def _find_article(self, outlet_id: str, a: Article) -> dict | None:
        rows = self.q("SELECT * FROM articles WHERE outlet_id = ? AND url = ?", (outlet_id, a.url))
        if not rows and a.wp_id is not None:
            rows = self.q(
                "SELECT * FROM articles WHERE outlet_id = ? AND wp_id = ?", (outlet_id, a.wp_id)
            )
        return rows[0] if rows else None

    def _mark_removed(self, h: Harvest) -> None:
        """A complete REST listing is the truth: posts missing from it were unpublished.
        Unless it would drop more than a fifth of them at once: a caching plugin or a
        broken server answering a short listing must not erase an outlet's history."""
        if h.rest_ids is None:
            return
        known = self.q(
            "SELECT id, wp_id FROM articles WHERE outlet_id = ? AND removed_at IS "
            "NULL AND wp_id IS NOT NULL AND sources LIKE '%rest%'",
            (h.outlet.id,),
        )
        gone = [r["id"] for r in known if r["wp_id"] not in h.rest_ids]
        if len(gone) > max(5, len(known) // 5):
            h.notes.append(
                f"REST listing lacks {len(gone)} of {len(known)} known posts; "
                "not marking them removed"
            )
            return
        for article_id in gone:
            self.db["articles"].update(article_id, {"removed_at": iso(h.started)})

    def _coverage_rows(self, h: Harvest) -> None:
        end = iso(h.finished or h.started)
        for source in h.not_modified:
            self.db.execute(
                'UPDATE coverage SET "end" = max("end", ?) WHERE outlet_id = ? AND '
                'source = ? AND "end" = (SELECT max("end") FROM coverage c2 WHERE '
                "c2.outlet_id = coverage.outlet_id AND c2.column_id = "
                "coverage.column_id AND c2.source = coverage.source)",
                (end, h.outlet.id, source),
            )
        for c in h.coverage:
            self._add_coverage(h.outlet.id, c)

    def _add_coverage(self, outlet_id: str, c: Coverage) -> None:
        start, end = iso(c.start), iso(c.end)
        rows = self.q(
            'SELECT id, start, "end" FROM coverage WHERE outlet_id = ? AND '
            'column_id = ? AND source = ? AND "end" >= ? AND start <= ?',
            (outlet_id, c.column_id, c.source, start, end),
        )
        if not rows:
            self.db["coverage"].insert(
                {
                    "outlet_id": outlet_id,
                    "column_id": c.column_id,
                    "start": start,
                    "end": end,
                    "source": c.source,
                }
            )
            return
        keep = rows[0]
        self.db["coverage"].update(
            keep["id"],
            {
                "start": min([start, *(r["start"] for r in rows)]),
                "end": max([end, *(r["end"] for r in rows)]),
            },
        )
        for r in rows[1:]:
            self.db["coverage"].delete(r["id"])

    # -- columns --------------------------------------------------------------------------

    def relink(self, outlet: Outlet, campaign: Campaign) -> dict[str, list[ColumnSource]]:
        """Recompute where each column lives and which articles belong to it."""
        sources = columns_mod.resolve(campaign, outlet.overrides, self.known_terms(outlet.id))
        sources = self._with_sections(outlet, sources)  # menu evidence first: it says more
        sources = self._with_column_feeds(outlet.id, sources)
        self.db.execute("DELETE FROM column_sources WHERE outlet_id = ?", (outlet.id,))
        self.db["column_sources"].insert_all(
            (
                {
                    "outlet_id": outlet.id,
                    "column_id": s.column_id,
                    "kind": s.kind,
                    "value": s.value,
                    "rule": s.rule,
                    "evidence": s.evidence,
                }
                for ss in sources.values()
                for s in ss
            ),
            pk=("outlet_id", "column_id", "kind", "value"),
            replace=True,
        )
        self.db.execute("DELETE FROM article_columns WHERE outlet_id = ?", (outlet.id,))
        links = []
        for row in self.q("SELECT * FROM articles WHERE outlet_id = ?", (outlet.id,)):
            article = row_to_article(row)
            for lk in columns_mod.link(article, json.loads(row["feeds"]), sources):
                links.append(
                    {
                        "article_id": row["id"],
                        "outlet_id": outlet.id,
                        "column_id": lk.column_id,
                        "rule": lk.rule,
                        "evidence": lk.evidence,
                    }
                )
        self.db["article_columns"].insert_all(
            links, pk=("article_id", "column_id"), replace=True, batch_size=500
        )
        return sources

    def _with_column_feeds(self, outlet_id: str, sources: dict) -> dict:
        """Column feeds found while crawling (WordPress category feeds) are sources too."""
        for url, column_id in self._feed_pairs(outlet_id):
            already = {s.value for s in sources.get(column_id, [])}
            if column_id and url not in already:
                sources.setdefault(column_id, []).append(
                    ColumnSource(column_id, "feed", url, "category feed", f"feed {url}")
                )
        return sources

    def _with_sections(self, outlet: Outlet, sources: dict) -> dict:
        """Menu sections count for columns the operator has not placed by hand."""
        placed = {o.column_id for o in outlet.overrides}
        for r in self.q("SELECT * FROM sections WHERE outlet_id = ?", (outlet.id,)):
            if r["column_id"] in placed:
                continue
            already = {s.value for s in sources.get(r["column_id"], [])}
            if r["url"] not in already:
                sources.setdefault(r["column_id"], []).append(
                    ColumnSource(r["column_id"], "section", r["url"], "menu link", r["evidence"])
                )
        return sources

    def _feed_pairs(self, outlet_id: str) -> list[tuple[str, str]]:
        rows = self.q("SELECT feeds FROM outlets WHERE id = ?", (outlet_id,))
        return [tuple(p) for p in json.loads(rows[0]["feeds"] or "[]")] if rows else []

    def column_facts(self, outlet_id: str, campaign: Campaign) -> list[ColumnFacts]:
        found = {}
        for r in self.q(
            "SELECT column_id, evidence FROM column_sources WHERE outlet_id = ? ORDER BY rowid",
            (outlet_id,),
        ):
            found.setdefault(r["column_id"], r["evidence"])
        topics = self.topics_of(outlet_id)
        outside = self._outside_any_column(outlet_id)
        facts = []
        for column in campaign.columns:
            arts = tuple(
                (r["id"], from_iso(r["published"]))
                for r in self.q(
                    "SELECT a.id, a.published FROM articles a JOIN article_columns ac ON "
                    "ac.article_id = a.id WHERE ac.outlet_id = ? AND ac.column_id = ? AND "
                    "a.removed_at IS NULL AND a.published IS NOT NULL",
                    (outlet_id, column.id),
                )
            )
            cov = tuple(
                (from_iso(r["start"]), from_iso(r["end"]))
                for r in self.q(
                    'SELECT start, "end" FROM coverage WHERE outlet_id = ? AND column_id = ?',
                    (outlet_id, column.id),
                )
            )
            on_topic = None
            elsewhere: tuple = ()
            if topics:
                on_topic = frozenset(i for i, _ in arts if column.id in topics.get(i, ()))
                elsewhere = tuple(
                    (i, when) for i, when in outside if column.id in topics.get(i, ())
                )
            facts.append(
                ColumnFacts(column.id, found.get(column.id, ""), arts, cov, on_topic, elsewhere)
            )
        return facts

    def _outside_any_column(self, outlet_id: str) -> list[tuple[int, datetime]]:
        return [
            (r["id"], from_iso(r["published"]))
            for r in self.q(
                "SELECT a.id, a.published FROM articles a WHERE a.outlet_id = ? AND "
                "a.removed_at IS NULL AND a.published IS NOT NULL AND NOT EXISTS "
                "(SELECT 1 FROM article_columns ac WHERE ac.article_id = a.id)",
                (outlet_id,),
            )
        ]

    # -- locks and the schedule -----------------------------------------------------------

    def acquire_lock(self, name: str, owner: str, ttl_s: float, now: datetime) -> dict | None:
        """Take the lock, or return who holds it. An expired lock, or one whose process
        on this host is gone, is taken over."""
        host, pid = socket.gethostname(), os.getpid()
        with self.transaction():
            rows = self.q("SELECT * FROM locks WHERE name = ?", (name,))
            if rows and rows[0]["owner"] != owner and not _stale(rows[0], now):
                return rows[0]
            self.db["locks"].upsert(
                {
                    "name": name,
                    "owner": owner,
                    "host": host,
                    "pid": pid,
                    "acquired_at": iso(now),
                    "expires_at": iso(now + timedelta(seconds=ttl_s)),
                },
                pk="name",
            )
        return None

    def release_lock(self, name: str, owner: str) -> None:
        with self.transaction():
            self.db.execute("DELETE FROM locks WHERE name = ? AND owner = ?", (name, owner))

    def schedule_rows(self) -> dict[str, dict]:
        return {r["job_id"]: r for r in self.q("SELECT * FROM schedule")}

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

    def last_crawl(self, outlet_id: str) -> dict | None:
        rows = self.q(
            "SELECT * FROM crawls WHERE outlet_id = ? ORDER BY id DESC LIMIT 1", (outlet_id,)
        )
        return rows[0] if rows else None

    def last_success(self, outlet_id: str) -> str | None:
        rows = self.q(
            "SELECT max(started_at) AS at FROM crawls WHERE outlet_id = ? AND status != 'error'",
            (outlet_id,),
        )
        return rows[0]["at"] if rows else None

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

    def save_sections(self, outlet_id: str, sections: list, at: datetime) -> None:
        with self.transaction():
            self.db["sections"].upsert_all(
                (
                    {
                        "outlet_id": outlet_id,
                        "column_id": x.column_id,
                        "url": x.url,
                        "evidence": x.evidence,
                        "found_at": iso(at),
                    }
                    for x in sections
                ),
                pk=("outlet_id", "column_id", "url"),
            )

    def banner_checks(self, outlet_id: str, until: datetime | None = None) -> list[dict]:
        return self.q(
            "SELECT * FROM banner_checks WHERE outlet_id = ? AND "
            "(? IS NULL OR checked_at <= ?) ORDER BY checked_at",
            (outlet_id, iso(until), iso(until)),
        )

    # -- topics ---------------------------------------------------------------------------

    def unclassified(
        self, model_version: str, outlet_id: str | None = None, everything: bool = False
    ) -> list[dict]:
        """Articles the current model has not seen (all of them with everything)."""
        return self.q(
            "SELECT a.id, a.title, a.summary, a.text FROM articles a LEFT JOIN predictions p "
            "ON p.article_id = a.id WHERE (? IS NULL OR a.outlet_id = ?) AND "
            "(? OR p.model_version IS NULL OR p.model_version != ?) ORDER BY a.id",
            (outlet_id, outlet_id, int(everything), model_version),
        )

    def save_predictions(
        self, model_version: str, rows: list[tuple[int, dict, frozenset]], at: datetime
    ) -> None:
        with self.transaction():
            self.db["predictions"].upsert_all(
                (
                    {
                        "article_id": i,
                        "model_version": model_version,
                        "probabilities": json.dumps(p),
                        "labels": json.dumps(sorted(lb)),
                        "at": iso(at),
                    }
                    for i, p, lb in rows
                ),
                pk="article_id",
            )

    def correct(self, article_id: int, labels: list[str], by: str, at: datetime) -> None:
        if not self.q("SELECT 1 FROM articles WHERE id = ?", (article_id,)):
            raise StoreError(f"no article with id {article_id}")
        with self.transaction():
            self.db["corrections"].upsert(
                {
                    "article_id": article_id,
                    "labels": json.dumps(sorted(labels)),
                    "by": by,
                    "at": iso(at),
                },
                pk="article_id",
            )

    def weak_labels(self) -> list[dict]:
        """Articles with a label from the store: a person's correction, else the columns
        the article was filed in."""
        return self.q(
            "SELECT a.id, a.title, a.summary, a.text, c.labels AS corrected, "
            "(SELECT json_group_array(ac.column_id) FROM article_columns ac "
            " WHERE ac.article_id = a.id) AS columns FROM articles a "
            "LEFT JOIN corrections c ON c.article_id = a.id WHERE a.removed_at IS NULL"
        )

    def topics_of(self, outlet_id: str) -> dict[int, set[str]]:
        """Each article's topics: a person's correction wins over the model."""
        topics = {
            r["article_id"]: set(json.loads(r["labels"]))
            for r in self.q(
                "SELECT p.article_id, p.labels FROM predictions p JOIN articles a ON "
                "a.id = p.article_id WHERE a.outlet_id = ?",
                (outlet_id,),
            )
        }
        topics.update(
            {
                r["article_id"]: set(json.loads(r["labels"]))
                for r in self.q(
                    "SELECT c.article_id, c.labels FROM corrections c JOIN articles a ON "
                    "a.id = c.article_id WHERE a.outlet_id = ?",
                    (outlet_id,),
                )
            }
        )
        return topics

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
            self.db["week_results"].insert_all(
                (
                    {
                        "run_id": run_id,
                        "outlet_id": w.outlet_id,
                        "column_id": w.column_id,
                        "week": w.week,
                        "week_start": w.week_start.isoformat(),
                        "week_end": w.week_end.isoformat(),
                        "articles": w.articles,
                        "required": w.required,
                        "status": w.status,
                        "on_topic": w.on_topic,
                        "article_ids": json.dumps(list(w.article_ids)),
                    }
                    for w in weeks
                ),
                batch_size=500,
            )
            self.db["column_results"].insert_all(
                {
                    "run_id": run_id,
                    "outlet_id": s.outlet_id,
                    "column_id": s.column_id,
                    "exists_": int(s.exists),
                    "found_by": s.found_by,
                    "first_article": s.first_article.isoformat() if s.first_article else None,
                    "timeliness": s.timeliness,
                    "weeks_met": s.weeks_met,
                    "weeks_missed": s.weeks_missed,
                    "weeks_unknown": s.weeks_unknown,
                    "weeks_in_progress": s.weeks_in_progress,
                    "off_topic": s.off_topic,
                    "on_topic_elsewhere": s.on_topic_elsewhere,
                    "finding": s.finding,
                }
                for s in summaries
            )
        return run_id

    def latest_runs(self) -> dict[str, int]:
        """For each outlet, the newest audit run that judged it."""
        latest: dict[str, int] = {}
        for r in self.q("SELECT id, outlets FROM audit_runs ORDER BY id"):
            for outlet_id in json.loads(r["outlets"]):
                latest[outlet_id] = r["id"]
        return latest

    def audit_run(self, run_id: int) -> dict:
        return self.q("SELECT * FROM audit_runs WHERE id = ?", (run_id,))[0]

    def week_rows(
        self, latest: dict[str, int], first: date | None = None, last: date | None = None
    ) -> list[dict]:
        rows = []
        for outlet_id, run_id in sorted(latest.items()):
            rows += self.q(
                "SELECT * FROM week_results WHERE run_id = ? AND outlet_id = ? AND "
                "(? IS NULL OR week_end >= ?) AND (? IS NULL OR week_start <= ?) "
                "ORDER BY column_id, week",
                (run_id, outlet_id, _d(first), _d(first), _d(last), _d(last)),
            )
        return rows

    def column_rows(self, latest: dict[str, int]) -> list[dict]:
        rows = []
        for outlet_id, run_id in sorted(latest.items()):
            rows += self.q(
                "SELECT * FROM column_results WHERE run_id = ? AND outlet_id = ?",
                (run_id, outlet_id),
            )
        return rows

    def outlet_rows(self) -> list[dict]:
        return self.q(
            "SELECT o.*, (SELECT count(*) FROM articles a WHERE a.outlet_id = o.id "
            "AND a.removed_at IS NULL) AS articles, (SELECT requests FROM crawls c "
            "WHERE c.outlet_id = o.id ORDER BY c.id DESC LIMIT 1) AS requests "
            "FROM outlets o ORDER BY o.id"
        )

    def article_rows(self, first: datetime | None, last: datetime | None) -> list[dict]:
        return self.q(
            "SELECT a.*, (SELECT json_group_array(json_object('column_id', ac.column_id, "
            "'rule', ac.rule, 'evidence', ac.evidence)) FROM article_columns ac "
            "WHERE ac.article_id = a.id) AS links FROM articles a WHERE "
            "(? IS NULL OR a.published >= ?) AND (? IS NULL OR a.published < ?) "
            "ORDER BY a.outlet_id, a.published",
            (iso(first), iso(first), iso(last), iso(last)),
        )

    def article_exists(self, outlet_id: str, url: str) -> bool:
        return bool(
            self.q("SELECT 1 FROM articles WHERE outlet_id = ? AND url = ?", (outlet_id, url))
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


def _merge(existing: dict | None, a: Article, feed: str, h: Harvest) -> dict:
    """One row for the REST and RSS copies of a post: REST wins on dates and title."""
    old = existing or {}
    rest = a.source == "rest"
    sources = sorted(set(json.loads(old.get("sources") or "[]")) | {a.source})
    feeds = sorted(set(json.loads(old.get("feeds") or "[]")) | ({feed} if feed else set()))
    keep_old_dates = not rest and "rest" in sources and old.get("published")
    return {
        "outlet_id": h.outlet.id,
        "url": old.get("url") or a.url,
        "guid": old.get("guid") or a.guid,
        "wp_id": a.wp_id if a.wp_id is not None else old.get("wp_id"),
        "title": a.title if (rest or not old.get("title")) else old["title"],
        "summary": _longer(old.get("summary"), a.summary),
        "text": _longer(old.get("text"), a.text),
        "published": old["published"]
        if keep_old_dates
        else (iso(a.published) or old.get("published")),
        "modified": max(filter(None, [old.get("modified"), iso(a.modified)]), default=None),
        "terms": json.dumps(
            _merge_terms(json.loads(old.get("terms") or "[]"), a.terms, rest), ensure_ascii=False
        ),
        "sources": json.dumps(sources),
        "feeds": json.dumps(feeds),
        "first_seen": old.get("first_seen") or iso(h.started),
        "last_seen": iso(h.started),
        "removed_at": None,
    }


def _longer(a: str | None, b: str | None) -> str:
    return max(a or "", b or "", key=len)


def _merge_terms(old: list, new: tuple[Term, ...], authoritative: bool) -> list:
    """REST terms replace what REST said before; feed categories are added by name."""
    kept = [t for t in old if not (authoritative and t.get("origin") == "rest")]
    names = {(t["kind"], name_key(t["name"])) for t in kept if t.get("name")}
    for t in new:
        if t.name and (t.kind, name_key(t.name)) in names:
            continue
        names.add((t.kind, name_key(t.name)))
        kept.append(
            {
                "kind": t.kind,
                "name": t.name,
                "slug": t.slug,
                "term_id": t.term_id,
                "origin": "rest" if authoritative else "rss",
            }
        )
    return kept


def row_to_article(row: dict) -> Article:
    terms = tuple(
        Term(t["kind"], t.get("name") or "", t.get("slug") or "", t.get("term_id"))
        for t in json.loads(row["terms"] or "[]")
    )
    return Article(
        url=row["url"],
        title=row["title"] or "",
        published=from_iso(row["published"]),
        source="store",
        guid=row["guid"] or "",
        wp_id=row["wp_id"],
        summary=row["summary"] or "",
        text=row["text"] or "",
        terms=terms,
    )
