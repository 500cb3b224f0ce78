"""`auditor review`: where the model and the columns disagree, strongest first."""

from __future__ import annotations

import json

from auditor.classify import stored as topics
from auditor.cli import main
from auditor.store import Store


def row(i, columns, labels, probs, outlet="o"):
    return {
        "id": i,
        "outlet_id": outlet,
        "title": f"bài {i}",
        "url": f"http://127.0.0.1/{i}",
        "published": "2017-10-02T01:00:00+00:00",
        "columns": json.dumps(columns),
        "labels": json.dumps(labels),
        "probabilities": json.dumps(probs),
        "model_version": "v",
    }


def test_disagreements_ranked_and_agreements_left_out():
    rows = [
        row(1, ["loi_ich_doan_vien"], ["loi_ich_doan_vien"], {"loi_ich_doan_vien": 0.9}),
        row(2, ["loi_ich_doan_vien"], ["khac"], {"loi_ich_doan_vien": 0.3, "khac": 0.8}),
        row(3, [], ["dai_hoi_cong_doan"], {"dai_hoi_cong_doan": 0.95}),
        row(4, [], ["khac"], {"khac": 0.9, "dai_hoi_cong_doan": 0.1}),
        row(5, ["thiet_che_cong_doan"], ["khac"], {"thiet_che_cong_doan": 0.02}),
    ]
    found = topics.disagreements(rows)
    assert [(d.article_id, d.kind, d.strength) for d in found] == [
        (5, "off_topic_in_column", 0.98),
        (3, "on_topic_outside", 0.95),
        (2, "off_topic_in_column", 0.7),
    ]
    assert [d.article_id for d in topics.disagreements(rows, limit=1)] == [5]


def test_review_on_the_demo_store(tmp_path, capsys):
    assert main(["-q", "demo", "--keep", str(tmp_path)]) == 0
    base = ["-q", "--config", str(tmp_path / "demo-config.yaml"), "--db", str(tmp_path / "demo.db")]
    store = Store(tmp_path / "demo.db")
    # the model doubts one filed article: it must come first, with its column and URL
    [doubted] = store._q(
        "SELECT a.id, a.url, ac.column_id FROM articles a JOIN article_columns ac "
        "ON ac.article_id = a.id ORDER BY a.id LIMIT 1"
    )
    store.db.execute(
        "UPDATE predictions SET labels = ?, probabilities = ? WHERE article_id = ?",
        (
            json.dumps(["khac"]),
            json.dumps({doubted["column_id"]: 0.01, "khac": 0.99}),
            doubted["id"],
        ),
    )
    store.db.conn.commit()
    capsys.readouterr()
    assert main([*base, "review", "--json", "--limit", "5"]) == 0
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert 1 <= len(lines) <= 5
    assert (lines[0]["article_id"], lines[0]["url"], lines[0]["kind"]) == (
        doubted["id"],
        doubted["url"],
        "off_topic_in_column",
    )
    assert lines[0]["columns"] == [doubted["column_id"]] and lines[0]["strength"] == 0.99
    assert [x["strength"] for x in lines] == sorted((x["strength"] for x in lines), reverse=True)

    assert main([*base, "review", "--outlet", "demo"]) == 0
    out = capsys.readouterr().out
    assert doubted["url"] in out and "auditor label" in out

    # once a person confirms it, it leaves the list
    assert main([*base, "label", str(doubted["id"]), doubted["column_id"]]) == 0
    capsys.readouterr()
    assert main([*base, "review", "--json"]) == 0
    ids = [json.loads(x)["article_id"] for x in capsys.readouterr().out.splitlines()]
    assert doubted["id"] not in ids
    assert main([*base, "review", "--outlet", "nope"]) == 2


def test_corrections_come_first_and_weigh_more_than_columns():
    class FakeStore:
        def weak_labels(self):
            return [
                {"id": 1, "title": "a", "summary": "", "text": "", "corrected": None,
                 "columns": json.dumps(["loi_ich_doan_vien"])},
                {"id": 2, "title": "b", "summary": "", "text": "", "corrected": None,
                 "columns": json.dumps([])},
                {"id": 3, "title": "c", "summary": "", "text": "",
                 "corrected": json.dumps(["khac"]), "columns": json.dumps(["loi_ich_doan_vien"])},
            ]  # fmt: skip

    examples = topics.store_examples(FakeStore())
    assert [(e.source, sorted(e.labels)) for e in examples] == [
        *[("store:3", ["khac"])] * topics.CORRECTION_WEIGHT,
        ("store:1", ["loi_ich_doan_vien"]),
    ]
    assert topics.CORRECTION_WEIGHT > 1
