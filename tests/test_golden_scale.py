"""The commands the scale benchmark times write, byte for byte, what the code before the
issue 14 speed-ups wrote (tests/golden_scale.py says how the expected files were made)."""

import golden_scale
import pytest


@pytest.fixture(scope="module")
def got(tmp_path_factory):
    return golden_scale.outputs(tmp_path_factory.mktemp("golden"))


@pytest.mark.parametrize("name", [*golden_scale.RUNS, "tables.json"])
def test_output_is_byte_for_byte_the_golden_one(got, name):
    expected = (golden_scale.HERE / name).read_bytes()
    assert got[name] == expected, f"{name} differs from tests/data/scale_golden/{name}"


def test_classify_in_small_batches_writes_what_one_pass_wrote(tmp_path, monkeypatch):
    """Batches are read after the last id written: none skipped, none read twice."""
    import json
    import sqlite3

    from auditor.classify import stored as topics

    monkeypatch.setattr(topics, "BATCH", 7)
    got = golden_scale.outputs(tmp_path)
    assert got["classify.txt"] == (golden_scale.HERE / "classify.txt").read_bytes()
    expected = json.loads((golden_scale.HERE / "tables.json").read_text())["predictions"]
    assert json.loads(got["tables.json"])["predictions"] == expected
    with sqlite3.connect(tmp_path / "store.db") as conn:
        assert conn.execute("SELECT count(*) FROM predictions").fetchone()[0] == len(expected)


def test_article_urls_of_given_ids_in_chunks(tmp_path):
    """More ids than one statement may bind, unknown ids left out, repeats counted once."""
    import shutil

    from auditor.store import Store

    shutil.copyfile(golden_scale.HERE / "store.db", tmp_path / "s.db")
    store = Store(tmp_path / "s.db")
    every = store.article_urls()
    ids = sorted(every)[:1100]
    assert store.article_urls([*ids, ids[0], 10**9]) == {i: every[i] for i in ids}
    assert store.article_urls([]) == {}


def test_outlet_article_urls_read_the_outlets_own_and_the_linked_ones(tmp_path):
    """Every article of the outlet (removed ones too, as the weeks may name them), and an
    article of another outlet that a week names through a link."""
    import shutil

    from auditor.store import Store

    shutil.copyfile(golden_scale.HERE / "store.db", tmp_path / "s.db")
    store = Store(tmp_path / "s.db")
    every = store.article_urls()
    owner = dict(store.db.conn.execute("SELECT id, outlet_id FROM articles"))
    own = {i for i, o in owner.items() if o == "o00000"}
    other = min(i for i, o in owner.items() if o != "o00000")
    got = store.outlet_article_urls("o00000", [min(own), other, 10**9])
    assert got == {i: every[i] for i in [*own, other]}
    assert (
        store.db.conn.execute(
            "SELECT count(*) FROM articles WHERE removed_at IS NOT NULL AND outlet_id = 'o00000'"
        ).fetchone()[0]
        > 0
    )
