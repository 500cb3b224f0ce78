"""What a crawl costs beside its requests (issue 14, measured with bench/bench_peer.py):
how its store commits."""

from __future__ import annotations

from auditor.store import Store


def test_the_store_commits_in_wal_without_waiting_for_fsync(tmp_path):
    store = Store(tmp_path / "a.db")
    conn = store.db.conn
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
    store.close()
