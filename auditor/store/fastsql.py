"""Plain INSERT / UPDATE for the rows a crawl writes, one statement each.

sqlite-utils' insert and upsert look the table up (sqlite_master, PRAGMA table_info) and
open a savepoint named from os.urandom on every call: about 1 ms each, 25 statements per
article, which made saving, not HTTP, the pace of a crawl (issue 14, bench_peer). These
do the same writes for rows whose columns already exist. Values that are lists or dicts
are stored as JSON, as sqlite-utils does.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from itertools import groupby

from sqlite_utils import Database


def _value(v: object) -> object:
    return json.dumps(v, ensure_ascii=False) if isinstance(v, dict | list | tuple) else v


def _names(columns: Iterable[str]) -> str:
    return ", ".join(f'"{c}"' for c in columns)


def insert(db: Database, table: str, row: dict) -> int:
    """One row; its rowid."""
    marks = ", ".join("?" * len(row))
    cursor = db.conn.execute(
        f'INSERT INTO "{table}" ({_names(row)}) VALUES ({marks})',
        [_value(v) for v in row.values()],
    )
    return cursor.lastrowid


def insert_many(db: Database, table: str, rows: Iterable[dict], replace: bool = False) -> None:
    """Rows in batches of the same columns; replace: INSERT OR REPLACE on the table's keys."""
    verb = "INSERT OR REPLACE" if replace else "INSERT"
    for columns, group in groupby(rows, key=lambda r: tuple(r)):
        marks = ", ".join("?" * len(columns))
        db.conn.executemany(
            f'{verb} INTO "{table}" ({_names(columns)}) VALUES ({marks})',
            ([_value(r[c]) for c in columns] for r in group),
        )


def update(db: Database, table: str, key: dict, values: dict) -> int:
    """SET values WHERE key; how many rows changed."""
    sets = ", ".join(f'"{c}" = ?' for c in values)
    where = " AND ".join(f'"{c}" = ?' for c in key)
    cursor = db.conn.execute(
        f'UPDATE "{table}" SET {sets} WHERE {where}',
        [*(_value(v) for v in values.values()), *key.values()],
    )
    return cursor.rowcount


def upsert_many(db: Database, table: str, rows: Iterable[dict], pk: Sequence[str]) -> None:
    """Each row updates the one with its key (only the columns it carries), or is inserted."""
    for row in rows:
        key = {c: row[c] for c in pk}
        rest = {c: v for c, v in row.items() if c not in pk}
        if not rest or not update(db, table, key, rest):
            if (
                not rest
                and db.conn.execute(
                    f'SELECT 1 FROM "{table}" WHERE ' + " AND ".join(f'"{c}" = ?' for c in key),
                    list(key.values()),
                ).fetchone()
            ):
                continue
            insert(db, table, row)
