"""Classifier speed: articles classified per second in one process, and training time on
the shipped data, as the shipped model is trained. Prints figures; asserts nothing. Results:
bench/results/classify.json.

    python3 bench/bench_classify.py
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

# bench/ for sites.py, and the checkout itself: a fresh clone runs without installing
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import sites  # the bench folder is not a package: found through sys.path

from auditor.classify import model as classify

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    model = classify.load(ROOT / "models")
    items = classify.read_jsonl(ROOT / "models/data/train.jsonl")
    texts = [e.text for e in items] * 5
    model.predict(texts[:100])  # warm up
    started = time.perf_counter()
    model.predict(texts)
    took = time.perf_counter() - started
    print(f"classify: {len(texts)} articles in {took:.2f} s = {len(texts) / took:,.0f} articles/s")

    started = time.perf_counter()
    _, dev_file, _ = classify.shipped_data(ROOT / "models")
    classify.train(items, dev=classify.read_optional(dev_file))
    trained = time.perf_counter() - started
    print(
        f"train: {len(items)} items (+ their titles alone) in {trained:.1f} s, "
        "thresholds on the dev file"
    )
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
    result = {
        "machine": sites.machine(),
        "classify": {"articles": len(texts), "wall_s": round(took, 3)},
        "articles_per_s": round(len(texts) / took),
        "train": {"items": len(items), "wall_s": round(trained, 2)},
    }
    print("written:", sites.write_result("classify", result))


if __name__ == "__main__":
    main()
