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


def test_the_audit_reads_no_article_row_but_the_undated_ones(tmp_path):
    """column_facts reads dates, links and topics from indexes and the predictions' key;
    the undated spans come through articles_published (published IS NULL), not through
    articles_live, which read every live article's row (issue 14)."""
    import shutil

    import golden_scale

    from auditor import config as config_mod

    shutil.copyfile(golden_scale.HERE / "store.db", tmp_path / "s.db")
    config = config_mod.load(str(golden_scale.HERE / "config.yaml"))
    store = Store(tmp_path / "s.db")
    seen: list[str] = []
    store.db.conn.set_trace_callback(seen.append)
    store.column_facts(config.outlets[0].id, config.campaign)
    store.db.conn.set_trace_callback(None)
    plans = {
        sql: " | ".join(r[3] for r in store.db.conn.execute("EXPLAIN QUERY PLAN " + sql))
        for sql in seen
        if " articles " in sql
    }
    assert plans and not [p for p in plans.values() if "SCAN" in p], plans
    undated = [p for sql, p in plans.items() if "undated_from" in sql]
    assert undated == [
        "SEARCH articles USING INDEX articles_published (outlet_id=? AND published=?)"
    ]
    store.close()
