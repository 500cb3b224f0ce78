"""Classifier speed: articles classified per second in one process, and training time on
the shipped data, as the shipped model is trained. Prints figures; asserts nothing.

    python3 bench/bench_classify.py
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from auditor import classify

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
    print(
        f"train: {len(items)} items (+ their titles alone) in "
        f"{time.perf_counter() - started:.1f} s, thresholds on the dev file"
    )
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
