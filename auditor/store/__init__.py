"""The SQLite store: the only package with SQL. Types in, types out.

WAL and a busy timeout let the scheduler and a shell command share one file; every write
of one outlet's crawl is one IMMEDIATE transaction, so an interrupted run leaves the store
as it was before that outlet. The SQL is split by what it serves: crawls.py (before and
after a crawl), columns.py (columns, facts for the audit, topics), results.py (audit runs,
exports, banner checks, locks, the schedule), reads.py (typed reads for status, the
digest, the reports); schema.py holds the migrations.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

# isort: off
from auditor.store import nonumpy  # noqa: F401  (first: sqlite-utils without numpy)
from sqlite_utils import Database

# isort: on

from auditor.errors import StoreError
from auditor.store.columns import ColumnRows
from auditor.store.crawls import CrawlRows
from auditor.store.reads import ReadRows
from auditor.store.results import ResultRows
from auditor.store.rows import from_iso, iso, row_to_article
from auditor.store.schema import migrations
from auditor.types import OutletState

__all__ = ["OutletState", "Store", "from_iso", "iso", "row_to_article"]
BUSY_TIMEOUT_S = 60


class Store(CrawlRows, ColumnRows, ResultRows, ReadRows):
    def __init__(self, path: str | Path):
        self.path = str(path)
        try:
            conn = sqlite3.connect(
                self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False
            )
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_S * 1000}")
            conn.execute("PRAGMA journal_mode = WAL")
            # WAL with NORMAL: a commit no longer waits for fsync (a crawl commits three
            # times per outlet); the store stays consistent after a crash, and at worst
            # the last commits before a power loss are rolled back, never half-written
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA foreign_keys = ON")
            # no sqlite-utils plugins: loading them reads the entry points of every
            # installed package (23 ms a command, with 141 packages installed) and would
            # let any installed package run code on the store's connection
            self.db = Database(conn, execute_plugins=False)
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

    def _q(self, sql: str, params: tuple | dict = ()) -> list[dict]:
        """Raw SQL stays inside this package: callers ask by name (reads.py and the rest).
        A plain cursor: sqlite-utils' query() wraps each read in a savepoint of its own,
        two statements more for every read of a crawl's save."""
        cursor = self.db.conn.execute(sql, params)
        names = [d[0] for d in cursor.description or ()]
        return [dict(zip(names, row, strict=True)) for row in cursor]
