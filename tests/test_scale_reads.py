"""What the audit reads for a column, read the fast way (issue 14), is what the join per
column read: on the golden store, and for a link the store itself never writes (an
article filed under another outlet's id)."""

import shutil
from datetime import datetime

import golden_scale

from auditor import config as config_mod
from auditor.store import Store


def _old_column_articles(store, outlet_id, column_id):
    """The query column_facts ran before issue 14, as the reference."""
    return {
        (r["id"], datetime.fromisoformat(r["published"]))
        for r in store._q(
            "SELECT a.id, a.published FROM articles a JOIN article_columns ac ON "
            "ac.article_id = a.id WHERE ac.outlet_id = ? AND ac.column_id = ? AND "
            "a.removed_at IS NULL AND a.published IS NOT NULL",
            (outlet_id, column_id),
        )
    }


def _store(tmp_path):
    shutil.copyfile(golden_scale.HERE / "store.db", tmp_path / "s.db")
    config = config_mod.load(str(golden_scale.HERE / "config.yaml"))
    return Store(tmp_path / "s.db"), config


def test_column_articles_are_those_of_the_join(tmp_path):
    store, config = _store(tmp_path)
    for outlet in config.outlets:
        for facts in store.column_facts(outlet.id, config.campaign):
            expected = _old_column_articles(store, outlet.id, facts.column_id)
            assert set(facts.articles) == expected and len(facts.articles) == len(expected)


def test_a_link_to_another_outlets_article_still_counts(tmp_path):
    store, config = _store(tmp_path)
    [other] = store._q(
        "SELECT id FROM articles WHERE outlet_id = 'o00001' AND removed_at IS NULL AND "
        "published IS NOT NULL ORDER BY id LIMIT 1"
    )
    with store.transaction():
        store.db.execute(
            "INSERT INTO article_columns (article_id, outlet_id, column_id, rule, evidence) "
            "VALUES (?, 'o00000', 'dai_hoi_cong_doan', 'test', 'test')",
            (other["id"],),
        )
    facts = {f.column_id: f for f in store.column_facts("o00000", config.campaign)}
    got = facts["dai_hoi_cong_doan"].articles
    assert other["id"] in {i for i, _ in got}
    assert set(got) == _old_column_articles(store, "o00000", "dai_hoi_cong_doan")


def test_removed_and_undated_articles_are_left_out_and_spans_kept(tmp_path):
    store, config = _store(tmp_path)
    removed = {r["id"] for r in store._q("SELECT id FROM articles WHERE removed_at IS NOT NULL")}
    undated = {r["id"] for r in store._q("SELECT id FROM articles WHERE published IS NULL")}
    spans = 0
    for outlet in config.outlets:
        for facts in store.column_facts(outlet.id, config.campaign):
            ids = {i for i, _ in facts.articles}
            assert removed and undated and not ids & (removed | undated)
            spans += len(facts.undated)
    expected = store._q(
        "SELECT count(*) AS n FROM articles a JOIN article_columns ac ON ac.article_id = a.id "
        "WHERE a.published IS NULL AND a.removed_at IS NULL AND a.undated_from IS NOT NULL"
    )[0]["n"]
    assert spans == expected > 0
