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
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from sklearn.pipeline import Pipeline

# scikit-learn and joblib are imported where a model is built, trained, saved or loaded:
# importing them costs about a second and 130 MB, which every other command (status,
# export, audit) would pay for nothing (issue 14).

from auditor import __version__, shipped
from auditor.clock import utcnow
from auditor.errors import ModelError
from auditor.text import clean

log = logging.getLogger("auditor.classify.model")

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
    written out (the abbreviation is kept too). Word by word, each word remembered: a few
    thousand syllables make up nearly all text, and normalising one is costly."""
    return " ".join(_normal_word(w) for w in text.split())


_WORDS: dict[str, str] = {}


def _normal_word(word: str) -> str:
    known = _WORDS.get(word)
    if known is None:
        if len(_WORDS) > 500_000:  # a bound for long-running processes
            _WORDS.clear()
        lowered = clean(word).casefold()
        known = _WORDS[word] = _ABBR.sub(
            lambda m: f"{m.group(1)} {_ABBREVIATIONS[m.group(1)]}", lowered
        )
    return known


def article_text(title: str, summary: str = "") -> str:
    return f"{title or ''}. {summary or ''}".strip(" .")


KINDS = ("svm", "logreg", "cnb", "svm+lexicon", "logreg+lexicon")
DEFAULT_KIND = "svm"


def build_pipeline(kind: str = DEFAULT_KIND, c: float = 0.5) -> Pipeline:
    """A fresh, unfitted pipeline of this kind (see auditor/classify/pipeline.py)."""
    from auditor.classify import pipeline

    return pipeline.build(kind, c)


# -- data -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Example:
    text: str
    labels: frozenset[str]
    source: str = ""
    title: str = ""


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
    title = str(item.get("title") or "")
    return Example(text, topics or frozenset({"khac"}), str(item.get("source", where)), title)


def with_title_copies(examples: Sequence[Example]) -> list[Example]:
    """Each example, plus its title alone where it has a lead: feeds often carry a title
    and nothing else, and the fit should learn what a title says by itself."""
    copies = [
        Example(e.title, e.labels, e.source, e.title)
        for e in examples
        if e.title and e.title.strip(" .") != e.text.strip(" .")
    ]
    return [*examples, *copies]


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
    """Per topic, the threshold that gives the best F1 on predictions for unseen data."""
    thresholds = {}
    for i, topic in enumerate(TOPICS):
        best, best_f1 = 0.5, -1.0
        for t in np.arange(0.05, 0.951, 0.025):
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
    kind: str = DEFAULT_KIND,
    title_copies: bool = True,
    dev: Sequence[Example] = (),
    data_files: Sequence[Path] = (),
    heldout: Sequence[Example] = (),
    extra: dict | None = None,
    progress: Callable[[str], None] | None = None,
) -> Model:
    """Fit on the training examples; choose each topic's threshold on the dev examples
    (data the fit never saw), or, without them, on cross-validated predictions grouped by
    source. progress, if given, is told after each step."""
    started = time.perf_counter()
    fitted = with_title_copies(examples) if title_copies else list(examples)
    pipeline = build_pipeline(kind).fit([e.text for e in fitted], indicator(fitted))
    if progress:
        progress("fit")
    if dev:
        dev_probs = pipeline.predict_proba([e.text for e in dev])
        thresholds = choose_thresholds(indicator(dev), dev_probs)
        chosen_on = "dev"
    else:
        thresholds = choose_thresholds(
            indicator(examples), _cross_validated(examples, kind, progress)
        )
        chosen_on = "cross-validation"
    model = Model(pipeline, thresholds, {})
    trained = utcnow()
    model.sidecar = {
        "version": trained.strftime("%Y%m%d%H%M%S"),
        "trained_at": trained.isoformat(timespec="seconds"),
        "seconds_to_train": round(time.perf_counter() - started, 1),
        "auditor_version": __version__,
        "sklearn_version": _sklearn_version(),
        "python_version": platform.python_version(),
        "kind": kind,
        "title_copies": title_copies,
        "labels": list(LABELS),
        "thresholds": thresholds,
        "thresholds_chosen_on": chosen_on,
        "random_state": RANDOM_STATE,
        "training_items": len(examples),
        "training_data": [Path(p).name for p in data_files],
        "training_data_sha256": data_hash(data_files) if data_files else "",
        **(extra or {}),
    }
    if heldout:
        held = evaluate(model, heldout)
        model.sidecar["heldout"] = {k: v for k, v in held.items() if k != "confusion"}
    return model


def _cross_validated(
    examples: Sequence[Example], kind: str, progress: Callable[[str], None] | None
) -> np.ndarray:
    texts = np.array([e.text for e in examples], dtype=object)
    y = indicator(examples)
    probs = np.zeros(y.shape)
    from sklearn.model_selection import GroupKFold

    groups = [e.source for e in examples]  # one source never straddles two folds
    folds = min(FOLDS, len(set(groups)))
    for n, (fit, held) in enumerate(GroupKFold(n_splits=folds).split(texts, y, groups), 1):
        probs[held] = (
            build_pipeline(kind).fit(list(texts[fit]), y[fit]).predict_proba(list(texts[held]))
        )
        if progress:
            progress(f"fold {n}/{folds}")
    return probs


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


def shipped_data(folder: Path) -> tuple[Path, Path, Path]:
    """The training file, the dev file (thresholds) and the held-out file (scores only)."""
    data = folder / "data"
    return data / "train.jsonl", data / "dev.jsonl", data / "heldout.jsonl"


def read_optional(path: Path) -> list[Example]:
    return read_jsonl(path) if path.exists() else []


def rebuild(folder: Path) -> Model:
    """Train again from the shipped data (the held-out file stays held out)."""
    train_file, dev_file, heldout_file = shipped_data(folder)
    if not train_file.exists():
        raise ModelError(f"no training data at {train_file} to rebuild the model from")
    model = train(
        read_jsonl(train_file),
        dev=read_optional(dev_file),
        data_files=[train_file],
        heldout=read_optional(heldout_file),
    )
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
