"""The classifier's jobs over the store: tag articles, train (also from the store), correct.

classify.py knows models; store.py knows SQL; this module moves articles between them.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from auditor.classify import model as classify
from auditor.classify.model import LABELS, TOPICS, Example, Model
from auditor.clock import utcnow
from auditor.errors import ModelError
from auditor.store import Store

log = logging.getLogger("auditor.classify.stored")
BATCH = 1000


def classify_stored(
    store: Store,
    model: Model,
    outlet_id: str | None = None,
    everything: bool = False,
    now: Callable[[], datetime] = utcnow,
) -> int:
    """Predict topics for the stored articles this model has not seen; returns how many.
    Read, predicted and written one batch at a time, so memory stays flat (issue 14)."""
    done, after = 0, 0
    while batch := store.unclassified_batch(model.version, outlet_id, everything, after, BATCH):
        texts = [classify.article_text(title, summary or text) for _, title, summary, text in batch]
        predicted = model.predict(texts)
        store.save_predictions(
            model.version,
            [(r[0], probs, labels) for r, (probs, labels) in zip(batch, predicted, strict=True)],
            now(),
        )
        done, after = done + len(batch), batch[-1][0]
    if done:
        log.info("classified %d articles with model %s", done, model.version)
    return done


# A person's correction outweighs the crawl's weak label: it is repeated this many times
# in the training set, so the fit learns from the corrections first.
CORRECTION_WEIGHT = 3


def store_examples(store: Store) -> list[Example]:
    """People's corrections (each CORRECTION_WEIGHT times), then weak labels from the crawl
    (the column an article was filed in). Articles in no column and never corrected say
    nothing."""
    corrected, weak = [], []
    for r in store.weak_labels():
        text = classify.article_text(r["title"], r["summary"] or (r["text"] or "")[:600])
        if r["corrected"]:
            example = Example(text, frozenset(json.loads(r["corrected"])), f"store:{r['id']}")
            corrected += [example] * CORRECTION_WEIGHT
            continue
        columns = {c for c in json.loads(r["columns"] or "[]") if c in TOPICS}
        if columns:
            weak.append(Example(text, frozenset(columns), f"store:{r['id']}"))
    return corrected + weak


@dataclass
class TrainOutcome:
    model: Model
    before: dict | None  # held-out scores of the model it replaces
    after: dict
    saved: bool
    reason: str = ""


def train_and_compare(
    folder: Path,
    extra_files: Sequence[Path] = (),
    store: Store | None = None,
    force: bool = False,
    progress: Callable[[str], None] | None = None,
) -> TrainOutcome:
    """Train on the shipped data (plus files, plus the store's labels); keep the new model
    only if its in-house held-out macro-F1 is not worse than the old one's, unless forced."""
    train_file, dev_file, heldout_file = classify.shipped_data(folder)
    heldout = classify.read_jsonl(heldout_file)
    examples = classify.read_jsonl(train_file)
    for path in extra_files:
        examples += classify.read_jsonl(path)
    from_store = store_examples(store) if store is not None else []
    examples += from_store
    before = None
    try:
        old = classify.load(folder)
        before = classify.evaluate(old, heldout)
    except ModelError as e:
        log.info("no usable current model to compare with: %s", e)
    model = classify.train(
        examples,
        dev=classify.read_optional(dev_file),
        data_files=[train_file, *extra_files],
        heldout=heldout,
        extra={"store_items": len(from_store)},
        progress=progress,
    )
    after = classify.evaluate(model, heldout)
    worse = before is not None and after["macro_f1"] < before["macro_f1"] - 0.005
    if worse and not force:
        return TrainOutcome(
            model,
            before,
            after,
            False,
            f"held-out macro-F1 would drop from {before['macro_f1']} to "
            f"{after['macro_f1']}; kept the current model (use --force)",
        )
    classify.save(model, folder)
    return TrainOutcome(model, before, after, True)


@dataclass(frozen=True)
class Disagreement:
    article_id: int
    outlet_id: str
    title: str
    url: str
    published: str
    columns: tuple[str, ...]
    predicted: tuple[str, ...]
    probabilities: dict[str, float]
    kind: str  # "off_topic_in_column" or "on_topic_outside"
    strength: float  # how sure the model is that the filing is wrong, 0..1


def disagreements(rows: Sequence[dict], limit: int | None = None) -> list[Disagreement]:
    """The articles where the model and the column disagree, the strongest first: filed in
    a column whose topic the model doubts (strength 1 - P(topic)), or in no column while
    the model sees a column topic (strength P(topic)). Agreements are left out."""
    found = []
    for r in rows:
        probs = json.loads(r["probabilities"] or "{}")
        predicted = tuple(json.loads(r["labels"] or "[]"))
        columns = tuple(c for c in json.loads(r["columns"] or "[]") if c in TOPICS)
        if columns:
            doubted = [c for c in columns if c not in predicted]
            if not doubted:
                continue
            kind, strength = "off_topic_in_column", max(1 - probs.get(c, 0.0) for c in doubted)
        else:
            seen = [t for t in predicted if t in TOPICS]
            if not seen:
                continue
            kind, strength = "on_topic_outside", max(probs.get(t, 0.0) for t in seen)
        found.append(
            Disagreement(
                r["id"],
                r["outlet_id"],
                r["title"] or "",
                r["url"],
                r["published"] or "",
                columns,
                predicted,
                probs,
                kind,
                round(strength, 4),
            )
        )
    found.sort(key=lambda d: (-d.strength, d.outlet_id, d.article_id))
    return found[:limit] if limit else found


def check_labels(labels: Sequence[str]) -> list[str]:
    unknown = [lb for lb in labels if lb not in LABELS]
    if unknown or not labels:
        raise ModelError(f"topics must be some of {', '.join(LABELS)}; got {list(labels)}")
    topics = sorted(set(labels) - {"khac"})
    if topics and "khac" in labels:  # "other" means none of the topics: both is a slip
        raise ModelError(f"khac (none of the topics) cannot go with {', '.join(topics)}")
    return topics or ["khac"]
