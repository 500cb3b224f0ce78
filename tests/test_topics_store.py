"""auditor.classify.stored over a real store (filled through the crawl layer with a fake
client) and a fake model: which articles get classified, in batches, and what is saved; the labels a
person may give."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from fakeclient import RSS, rss
from test_crawl_layer import CAMPAIGN, NOW, rest_site, wp_harvest
from test_jobs import POSTS

from auditor.classify import stored as topics
from auditor.crawl.save import save_harvest
from auditor.errors import ModelError
from auditor.store import Store
from auditor.types import ColumnSpec

AT = datetime(2017, 10, 21, 1, 0, tzinfo=UTC)


class FakeModel:
    """Says every text is about institutions (thiết chế), 0.9 sure; remembers its batches."""

    def __init__(self, version: str = "m1"):
        self.version = version
        self.batches: list[list[str]] = []

    def predict(self, texts):
        self.batches.append(list(texts))
        return [({"thiet_che_cong_doan": 0.9, "khac": 0.1}, frozenset({"thiet_che_cong_doan"}))]


class EveryText(FakeModel):
    def predict(self, texts):
        self.batches.append(list(texts))
        return [({"khac": 0.6}, frozenset({"khac"})) for _ in texts]


@pytest.fixture
def store(tmp_path):
    store = Store(tmp_path / "s.db")
    site = {**rest_site(POSTS), "/feed/": (rss([]), RSS)}
    save_harvest(store, wp_harvest(site, store, NOW), CAMPAIGN)
    yield store
    store.close()


def predictions(store: Store) -> list[tuple]:
    return [
        (r["model_version"], json.loads(r["labels"]), r["at"])
        for r in store._q("SELECT * FROM predictions ORDER BY article_id")
    ]


def test_every_unseen_article_is_classified_once_by_a_model(store):
    model = EveryText()
    assert topics.classify_stored(store, model, now=lambda: AT) == 8
    assert [len(b) for b in model.batches] == [8]
    assert model.batches[0][0] == "Bài 1"  # title (and summary) only: the lead decides
    assert predictions(store) == [("m1", ["khac"], AT.isoformat())] * 8
    assert topics.classify_stored(store, model, now=lambda: AT) == 0  # nothing new
    assert topics.classify_stored(store, model, everything=True, now=lambda: AT) == 8


def test_a_new_model_version_sees_everything_again(store):
    topics.classify_stored(store, EveryText("m1"), now=lambda: AT)
    assert topics.classify_stored(store, EveryText("m2"), now=lambda: AT) == 8
    assert {p[0] for p in predictions(store)} == {"m2"}


def test_only_the_outlet_asked_for(store):
    assert topics.classify_stored(store, EveryText(), outlet_id="another", now=lambda: AT) == 0
    assert topics.classify_stored(store, EveryText(), outlet_id="cd", now=lambda: AT) == 8


def test_articles_go_to_the_model_in_batches(store, monkeypatch):
    monkeypatch.setattr(topics, "BATCH", 3)
    model = EveryText()
    assert topics.classify_stored(store, model, now=lambda: AT) == 8
    assert [len(b) for b in model.batches] == [3, 3, 2]
    assert len(predictions(store)) == 8


def test_a_model_that_answers_fewer_predictions_than_texts_fails_loudly(store):
    # one answer for eight texts must never be zipped onto the first article only
    with pytest.raises(ValueError):
        topics.classify_stored(store, FakeModel(), now=lambda: AT)
    assert predictions(store) == []


def test_a_column_that_is_no_topic_gives_no_weak_label(store):
    # the campaign's columns here are "tc" and "dh", not classifier topics
    assert topics.store_examples(store) == []


def test_weak_labels_from_the_column_an_article_was_filed_in(tmp_path):
    campaign = replace(
        CAMPAIGN, columns=(ColumnSpec("thiet_che_cong_doan", "Thiết chế Công đoàn"),)
    )
    store = Store(tmp_path / "topics.db")
    site = {**rest_site(POSTS[:2]), "/feed/": (rss([]), RSS)}
    save_harvest(store, wp_harvest(site, store, NOW), campaign)
    store.correct(2, ["khac"], "reviewer", AT)  # a person's word replaces the column's
    examples = topics.store_examples(store)
    store.close()
    assert [(e.source, e.labels) for e in examples] == [
        *[("store:2", frozenset({"khac"}))] * topics.CORRECTION_WEIGHT,
        ("store:1", frozenset({"thiet_che_cong_doan"})),
    ]


def test_a_correction_is_a_label_that_outweighs(store):
    store.correct(1, ["dai_hoi_cong_doan"], "reviewer", AT)
    examples = topics.store_examples(store)
    assert [(e.labels, e.source) for e in examples] == [
        (frozenset({"dai_hoi_cong_doan"}), "store:1")
    ] * topics.CORRECTION_WEIGHT
    assert examples[0].text == "Bài 1"


LABELS = {
    "one topic": (["thiet_che_cong_doan"], ["thiet_che_cong_doan"]),
    "topics sorted, repeats merged": (
        ["thiet_che_cong_doan", "loi_ich_doan_vien", "thiet_che_cong_doan"],
        ["loi_ich_doan_vien", "thiet_che_cong_doan"],
    ),
    "none of the topics": (["khac"], ["khac"]),
}


@pytest.mark.parametrize("given,kept", LABELS.values(), ids=LABELS.keys())
def test_check_labels(given, kept):
    assert topics.check_labels(given) == kept


BAD_LABELS = {
    "an unknown label": (["cong_doan"], "got \\['cong_doan'\\]"),
    "nothing": ([], "got \\[\\]"),
    "a topic and 'none of the topics'": (
        ["khac", "dai_hoi_cong_doan"],
        "khac \\(none of the topics\\) cannot go with dai_hoi_cong_doan",
    ),
}


@pytest.mark.parametrize("given,message", BAD_LABELS.values(), ids=BAD_LABELS.keys())
def test_check_labels_refuses(given, message):
    with pytest.raises(ModelError, match=message):
        topics.check_labels(given)
