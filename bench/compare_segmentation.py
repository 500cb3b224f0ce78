"""Does Vietnamese word segmentation (pyvi) help the classifier? Prints held-out scores
of the shipped pipeline with and without it. Needs `pip install pyvi` (not a dependency).

    python3 bench/compare_segmentation.py
"""

from __future__ import annotations

import time
from pathlib import Path

from sklearn.feature_extraction.text import TfidfVectorizer

from auditor.classify import model as classify

ROOT = Path(__file__).resolve().parent.parent


ORIGINAL = classify.build_pipeline


def with_segmentation():
    from pyvi import ViTokenizer

    pipeline = ORIGINAL()
    words = TfidfVectorizer(
        preprocessor=lambda t: ViTokenizer.tokenize(classify.normalize(t)),
        token_pattern=r"(?u)[^\W\d]+|\d+",
        ngram_range=(1, 2),
        sublinear_tf=True,
    )
    pipeline.named_steps["features"].transformer_list[0] = ("words", words)
    return pipeline


def main() -> None:
    train = classify.read_jsonl(ROOT / "models/data/train.jsonl")
    held = classify.read_jsonl(ROOT / "models/data/heldout.jsonl")
    baseline = classify.train(train, heldout=held)
    print(
        f"syllables + chars     held-out macro-F1 {baseline.sidecar['heldout']['macro_f1']:.4f}"
        f"  cross-validated {baseline.sidecar['cross_validated']['macro_f1']:.4f}"
    )
    classify.build_pipeline = lambda c=0.5: with_segmentation()
    try:
        started = time.perf_counter()
        segmented = classify.train(train, heldout=held)
        took = time.perf_counter() - started
    finally:
        classify.build_pipeline = ORIGINAL
    print(
        f"pyvi words + chars    held-out macro-F1 {segmented.sidecar['heldout']['macro_f1']:.4f}"
        f"  cross-validated {segmented.sidecar['cross_validated']['macro_f1']:.4f}"
        f"  ({took:.0f} s to train)"
    )
    texts = [e.text for e in train] * 3
    for name, model in (("syllables + chars", baseline), ("pyvi words + chars", segmented)):
        started = time.perf_counter()
        model.predict(texts)
        rate = len(texts) / (time.perf_counter() - started)
        print(f"{name:<21} classifies {rate:,.0f} articles/s")


if __name__ == "__main__":
    main()
