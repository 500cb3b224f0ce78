"""The topic classifier: build, train, evaluate, save, load, predict. No DB, no HTTP.

Text is normalised as column names are (NFC, one tone-mark convention, case), then read
twice: syllable uni- and bigrams, and character 2–5-grams inside words (they survive
spelling variants, abbreviations and mojibake). One calibrated linear SVM per label,
one-vs-rest, so an article can carry several column topics; a per-label threshold chosen
on cross-validated predictions turns probabilities into labels. Word segmentation (pyvi)
was not kept: see the README for the comparison.

Files: models/classifier.joblib and models/classifier.json (its sidecar: versions, labels,
thresholds, training-data hash, scores). The joblib file is loaded only if its SHA-256 is
the one the sidecar recorded, and only if the installed scikit-learn is the one that
wrote it; otherwise the model is rebuilt from the shipped training data.
"""

from __future__ import annotations

import hashlib
import json
import logging
import platform
import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from sklearn.pipeline import Pipeline

# scikit-learn and joblib are imported where a model is built, trained, saved or loaded:
# importing them costs about a second and 130 MB, which every other command (status,
# export, audit) would pay for nothing (issue 14).

from auditor import __version__, shipped
from auditor.errors import ModelError
from auditor.text import clean

log = logging.getLogger("auditor.classify")

TOPICS = ("loi_ich_doan_vien", "thiet_che_cong_doan", "dai_hoi_cong_doan")
LABELS = (*TOPICS, "khac")
RANDOM_STATE = 0
FOLDS = 5
MODEL_NAME = "classifier"

# Abbreviations union outlets use, spelt out so both forms meet the same features.
_ABBREVIATIONS = {
    "cđcs": "công đoàn cơ sở",
    "lđlđ": "liên đoàn lao động",
    "tlđ": "tổng liên đoàn",
    "cnvclđ": "công nhân viên chức lao động",
    "nlđ": "người lao động",
    "cđ": "công đoàn",
    "kcn": "khu công nghiệp",
    "kcx": "khu chế xuất",
    "đvcđ": "đoàn viên công đoàn",
    "cđvn": "công đoàn việt nam",
    "đh": "đại hội",
    "bch": "ban chấp hành",
    "cnlđ": "công nhân lao động",
    "cn": "công nhân",
    "đhđcđ": "đại hội đồng cổ đông",
    "tdtt": "thể dục thể thao",
    "bhxh": "bảo hiểm xã hội",
    "tnhh": "trách nhiệm hữu hạn",
}
_ABBR = re.compile(r"\b(" + "|".join(sorted(_ABBREVIATIONS, key=len, reverse=True)) + r")\b")


def normalize(text: str) -> str:
    """The text the features see: NFC, one tone convention, lower case, abbreviations
    written out (the abbreviation is kept too)."""
    text = clean(text).casefold()
    return _ABBR.sub(lambda m: f"{m.group(1)} {_ABBREVIATIONS[m.group(1)]}", text)


def article_text(title: str, summary: str = "") -> str:
    return f"{title or ''}. {summary or ''}".strip(" .")


def build_pipeline(c: float = 0.5) -> Pipeline:
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.multiclass import OneVsRestClassifier
    from sklearn.pipeline import FeatureUnion, Pipeline
    from sklearn.svm import LinearSVC

    words = TfidfVectorizer(
        preprocessor=normalize,
        token_pattern=r"(?u)[^\W\d_]+|\d+",
        ngram_range=(1, 2),
        sublinear_tf=True,
        min_df=1,
    )
    chars = TfidfVectorizer(
        preprocessor=normalize, analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2
    )
    svm = LinearSVC(C=c, class_weight="balanced", random_state=RANDOM_STATE)
    model = OneVsRestClassifier(CalibratedClassifierCV(svm, cv=3, method="sigmoid"))
    return Pipeline(
        [("features", FeatureUnion([("words", words), ("chars", chars)])), ("model", model)]
    )


# -- data -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Example:
    text: str
    labels: frozenset[str]
    source: str = ""


def read_jsonl(path: str | Path) -> list[Example]:
    """Lines of {"title", "summary" or "text", "label" or "labels", "source"}."""
    examples = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
            except ValueError as e:
                raise ModelError(f"{path}:{n}: not JSON: {e}") from None
            examples.append(example_from(item, f"{path}:{n}"))
    return examples


def example_from(item: dict, where: str) -> Example:
    if not isinstance(item, dict):
        raise ModelError(f"{where}: expected a JSON object, got {type(item).__name__}")
    labels = item.get("labels", item.get("label"))
    labels = [labels] if isinstance(labels, str) else labels
    if not isinstance(labels, list) or not all(isinstance(lb, str) for lb in labels):
        raise ModelError(f"{where}: labels must be some of {', '.join(LABELS)}, got {labels}")
    unknown = set(labels) - set(LABELS)
    if not labels or unknown:
        raise ModelError(f"{where}: labels must be some of {', '.join(LABELS)}, got {labels}")
    text = article_text(item.get("title", ""), item.get("summary") or item.get("text") or "")
    topics = frozenset(lb for lb in labels if lb != "khac")
    return Example(text, topics or frozenset({"khac"}), str(item.get("source", where)))


def indicator(examples: Sequence[Example]) -> np.ndarray:
    return np.array([[label in e.labels for label in LABELS] for e in examples], dtype=int)


def data_hash(paths: Iterable[Path]) -> str:
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(Path(path).read_bytes())
    return digest.hexdigest()


# -- training and evaluation ----------------------------------------------------------------


@dataclass
class Model:
    pipeline: Pipeline
    thresholds: dict[str, float]
    sidecar: dict

    @property
    def version(self) -> str:
        return self.sidecar["version"]

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        return self.pipeline.predict_proba(list(texts))

    def decide(self, probs: np.ndarray) -> list[frozenset[str]]:
        out = []
        for row in probs:
            topics = {t for i, t in enumerate(TOPICS) if row[i] >= self.thresholds[t]}
            out.append(frozenset(topics) or frozenset({"khac"}))
        return out

    def predict(self, texts: Sequence[str]) -> list[tuple[dict[str, float], frozenset[str]]]:
        if not texts:
            return []
        probs = self.probabilities(texts)
        labels = self.decide(probs)
        return [
            ({lb: round(float(p), 4) for lb, p in zip(LABELS, row, strict=True)}, lbs)
            for row, lbs in zip(probs, labels, strict=True)
        ]


def choose_thresholds(y: np.ndarray, probs: np.ndarray) -> dict[str, float]:
    """Per topic, the threshold that gives the best F1 on cross-validated predictions."""
    thresholds = {}
    for i, topic in enumerate(TOPICS):
        best, best_f1 = 0.5, -1.0
        for t in np.arange(0.15, 0.86, 0.025):
            predicted = probs[:, i] >= t
            tp = int(np.sum(predicted & (y[:, i] == 1)))
            f1 = 2 * tp / max(1, int(predicted.sum()) + int(y[:, i].sum()))
            if f1 > best_f1 + 1e-9:
                best, best_f1 = float(round(t, 3)), f1
        thresholds[topic] = best
    return thresholds


def scores(gold: Sequence[frozenset[str]], predicted: Sequence[frozenset[str]]) -> dict:
    y = np.array([[lb in g for lb in LABELS] for g in gold], dtype=int)
    p = np.array([[lb in q for lb in LABELS] for q in predicted], dtype=int)
    from sklearn.metrics import precision_recall_fscore_support

    prec, rec, f1, support = precision_recall_fscore_support(y, p, zero_division=0)
    per_label = {
        lb: {
            "precision": round(float(prec[i]), 4),
            "recall": round(float(rec[i]), 4),
            "f1": round(float(f1[i]), 4),
            "support": int(support[i]),
        }
        for i, lb in enumerate(LABELS)
    }
    return {
        "macro_f1": round(float(np.mean(f1)), 4),
        "per_label": per_label,
        "confusion": confusion(gold, predicted),
        "items": len(gold),
    }


def confusion(gold: Sequence[frozenset[str]], predicted: Sequence[frozenset[str]]) -> dict:
    """Rows: the gold label of single-label items; columns: the predicted label (or "+"
    joined labels when several were predicted)."""
    table: dict[str, dict[str, int]] = {lb: {} for lb in LABELS}
    for g, q in zip(gold, predicted, strict=True):
        if len(g) != 1:
            continue
        key = "+".join(lb for lb in LABELS if lb in q)
        row = table[next(iter(g))]
        row[key] = row.get(key, 0) + 1
    return table


def train(
    examples: Sequence[Example],
    *,
    data_files: Sequence[Path] = (),
    heldout: Sequence[Example] = (),
    extra: dict | None = None,
    progress: Callable[[str], None] | None = None,
) -> Model:
    """Cross-validate by sentence pattern (for thresholds and honest scores), then fit on
    everything. progress, if given, is told after each of the FOLDS + 1 steps."""
    from sklearn.model_selection import GroupKFold

    started = time.perf_counter()
    texts = np.array([e.text for e in examples], dtype=object)
    y = indicator(examples)
    groups = [e.source for e in examples]  # one pattern never straddles two folds
    cv_probs = np.zeros(y.shape)
    for n, (fit, held) in enumerate(GroupKFold(n_splits=FOLDS).split(texts, y, groups), 1):
        fold = build_pipeline().fit(list(texts[fit]), y[fit])
        cv_probs[held] = fold.predict_proba(list(texts[held]))
        if progress:
            progress(f"fold {n}/{FOLDS}")
    thresholds = choose_thresholds(y, cv_probs)
    pipeline = build_pipeline().fit(list(texts), y)
    if progress:
        progress("final fit")
    model = Model(pipeline, thresholds, {})
    cv_scores = scores([e.labels for e in examples], model.decide(cv_probs))
    model.sidecar = {
        "version": datetime.now(UTC).strftime("%Y%m%d%H%M%S"),
        "trained_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "seconds_to_train": round(time.perf_counter() - started, 1),
        "auditor_version": __version__,
        "sklearn_version": _sklearn_version(),
        "python_version": platform.python_version(),
        "labels": list(LABELS),
        "thresholds": thresholds,
        "random_state": RANDOM_STATE,
        "training_items": len(examples),
        "training_data": [Path(p).name for p in data_files],
        "training_data_sha256": data_hash(data_files) if data_files else "",
        "cross_validated": {k: v for k, v in cv_scores.items() if k != "confusion"},
        **(extra or {}),
    }
    if heldout:
        held = evaluate(model, heldout)
        model.sidecar["heldout"] = {k: v for k, v in held.items() if k != "confusion"}
    return model


def evaluate(model: Model, examples: Sequence[Example]) -> dict:
    probs = model.probabilities([e.text for e in examples])
    return scores([e.labels for e in examples], model.decide(probs))


# -- files ----------------------------------------------------------------------------------


def paths(folder: Path) -> tuple[Path, Path]:
    return folder / f"{MODEL_NAME}.joblib", folder / f"{MODEL_NAME}.json"


def save(model: Model, folder: Path) -> None:
    import joblib

    blob, sidecar = paths(folder)
    folder.mkdir(parents=True, exist_ok=True)
    tmp = blob.with_suffix(".joblib.part")
    joblib.dump({"pipeline": model.pipeline, "thresholds": model.thresholds}, tmp, compress=3)
    model.sidecar["joblib_sha256"] = hashlib.sha256(tmp.read_bytes()).hexdigest()
    tmp.replace(blob)
    sidecar.write_text(
        json.dumps(model.sidecar, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )


def load(folder: Path) -> Model:
    """The saved model, or ModelError saying why it cannot be used here."""
    blob, sidecar_path = paths(folder)
    if not sidecar_path.exists() or not blob.exists():
        raise ModelError(f"no model in {folder}")
    sidecar = json.loads(sidecar_path.read_text(encoding="utf-8"))
    digest = hashlib.sha256(blob.read_bytes()).hexdigest()
    if digest != sidecar.get("joblib_sha256"):
        raise ModelError(
            f"{blob} is not the file this project wrote (SHA-256 differs); refusing to load it"
        )
    if _minor(sidecar.get("sklearn_version", "")) != _minor(_sklearn_version()):
        raise ModelError(
            f"model was trained with scikit-learn {sidecar.get('sklearn_version')}, "
            f"this is {_sklearn_version()}"
        )
    import joblib

    try:
        saved = joblib.load(blob)
    except Exception as e:  # unpickling across versions fails in many ways
        raise ModelError(f"cannot load {blob}: {type(e).__name__}: {e}") from None
    return Model(saved["pipeline"], saved["thresholds"], sidecar)


def _sklearn_version() -> str:
    import sklearn

    return sklearn.__version__


def _minor(version: str) -> str:
    return ".".join(version.split(".")[:2])


def shipped_data(folder: Path) -> tuple[Path, Path]:
    return folder / "data" / "train.jsonl", folder / "data" / "heldout.jsonl"


def rebuild(folder: Path) -> Model:
    """Train again from the shipped data (the held-out file stays held out)."""
    train_file, heldout_file = shipped_data(folder)
    if not train_file.exists():
        raise ModelError(f"no training data at {train_file} to rebuild the model from")
    heldout = read_jsonl(heldout_file) if heldout_file.exists() else []
    model = train(read_jsonl(train_file), data_files=[train_file], heldout=heldout)
    try:
        save(model, folder)
    except OSError as e:  # e.g. an installed package in a read-only site-packages
        log.warning("rebuilt model used for this run only, not saved: %s", e)
    return model


def load_or_rebuild(folder: Path, say=log.warning) -> Model:
    try:
        return load(folder)
    except ModelError as e:
        say(f"classifier: {e}; rebuilding it from {folder / 'data'} (takes under a minute)")
        return rebuild(folder)


def locate(explicit: str | None = None, config_dir: Path | None = None) -> Path:
    """The models folder: explicit, next to the config file, here, or the one that ships
    with auditor (the checkout's models/, or the installed package's copy)."""
    if explicit:
        folder = Path(explicit)
        if not (folder / "data" / "train.jsonl").exists() and not paths(folder)[1].exists():
            raise ModelError(f"--models {folder}: no classifier.json nor data/train.jsonl there")
        return folder
    candidates = []
    if config_dir is not None:
        candidates.append(config_dir / "models")
    candidates += [Path.cwd() / "models", *shipped.models_dirs()]
    for folder in candidates:
        if (folder / "data" / "train.jsonl").exists() or paths(folder)[1].exists():
            return folder
    raise ModelError(
        "no models/ folder found (looked in: " + ", ".join(str(c) for c in candidates) + ")"
    )
