"""The store's queries that grow with the number of articles use an index, not a scan."""

from auditor.store import Store


def test_status_counts_live_articles_from_an_index(tmp_path, monkeypatch):
    """outlet_rows (status, export outlets) counts each outlet's live articles."""
    store = Store(tmp_path / "s.db")
    seen = []
    real_q = store._q
    monkeypatch.setattr(store, "_q", lambda sql, params=(): seen.append(sql) or real_q(sql, params))
    store.outlet_rows()
    plan = " | ".join(r["detail"] for r in real_q("EXPLAIN QUERY PLAN " + seen[0]))
    assert "SEARCH a USING COVERING INDEX articles_live" in plan, plan
    store.close()


def test_status_counts_undated_articles_without_reading_every_row(tmp_path, monkeypatch):
    """The undated count starts from the few articles without a date (articles_published),
    not from every live article's row (issue 14: 2,000,000 rows read for `status`)."""
    store = Store(tmp_path / "s.db")
    seen = []
    real_q = store._q
    monkeypatch.setattr(store, "_q", lambda sql, params=(): seen.append(sql) or real_q(sql, params))
    store.outlet_rows()
    plan = [r["detail"] for r in real_q("EXPLAIN QUERY PLAN " + seen[0])]
    assert "SEARCH a USING INDEX articles_published (outlet_id=? AND published=?)" in plan, plan
    store.close()
