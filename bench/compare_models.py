"""Which classifier generalises best? Trains each candidate on the shipped training data,
chooses its thresholds on the dev file, and scores it on the held-out file and on the
independent set (tests/data/independent.jsonl, written apart from the training data), in
the forms real outlets send: title + lead, title alone, lead alone, NFD, the other tone-mark
placement, ALL-CAPS titles. Prints a table and writes bench/results/compare_models.json.

    python3 bench/compare_models.py [--kinds svm,logreg,...]
"""

from __future__ import annotations

import argparse
import json
import platform
import re
import time
import unicodedata
from datetime import UTC, datetime
from pathlib import Path

from auditor.classify import model as classify

ROOT = Path(__file__).resolve().parent.parent
INDEPENDENT = ROOT / "tests" / "data" / "independent.jsonl"
OUT = ROOT / "bench" / "results" / "compare_models.json"
TONES = "\u0300\u0301\u0303\u0309\u0323"
# The tone on the first vowel of a final oa / oe / uy ("hòa") moved to the second ("hoà"),
# and the other way round: whichever the writer used, the variant uses the other.
_FIRST = re.compile(rf"(?<![qQ])([oO]|[uU])([{TONES}])([aAeE]|[yY])(?![^\W\d_])")
_SECOND = re.compile(rf"(?<![qQ])([oO][aAeE]|[uU][yY])([{TONES}])(?![^\W\d_])")


def other_tone_placement(text: str) -> str:
    nfd = unicodedata.normalize("NFD", text)
    if _FIRST.search(nfd):
        nfd = _FIRST.sub(lambda m: m.group(1) + m.group(3) + m.group(2), nfd)
    else:
        nfd = _SECOND.sub(lambda m: m.group(1)[0] + m.group(2) + m.group(1)[1], nfd)
    return unicodedata.normalize("NFC", nfd)


VARIANTS = {
    "title+lead": lambda t, s: (t, s),
    "title": lambda t, s: (t, ""),
    "lead": lambda t, s: ("", s),
    "nfd": lambda t, s: (unicodedata.normalize("NFD", t), unicodedata.normalize("NFD", s)),
    "other_tone_placement": lambda t, s: (other_tone_placement(t), other_tone_placement(s)),
    "all_caps_title": lambda t, s: (t.upper(), s),
}


def items(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def examples(raw: list[dict], variant: str) -> list[classify.Example]:
    out = []
    for n, item in enumerate(raw):
        title, lead = VARIANTS[variant](item.get("title", ""), item.get("summary") or "")
        if not (title or lead).strip():
            continue  # an item with no lead has nothing to score in "lead"
        out.append(classify.example_from({**item, "title": title, "summary": lead}, str(n)))
    return out


def score(model: classify.Model, raw: list[dict]) -> dict:
    result = {}
    for variant in VARIANTS:
        s = classify.evaluate(model, examples(raw, variant))
        result[variant] = {
            "macro_f1": s["macro_f1"],
            "items": s["items"],
            **{lb: s["per_label"][lb]["f1"] for lb in classify.LABELS},
        }
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kinds", default=",".join(classify.KINDS))
    parser.add_argument("--independent", type=Path, default=INDEPENDENT)
    parser.add_argument("--models", type=Path, default=ROOT / "models", help="its data/ is used")
    args = parser.parse_args()
    train_file, dev_file, heldout_file = classify.shipped_data(args.models)
    train, dev = classify.read_jsonl(train_file), classify.read_optional(dev_file)
    sets = {"heldout": items(heldout_file), "independent": items(args.independent)}
    report = {
        "date": datetime.now(UTC).date().isoformat(),
        "machine": f"{platform.machine()}, {platform.python_version()}",
        "training_items": len(train),
        "dev_items": len(dev),
        "sets": {name: len(raw) for name, raw in sets.items()},
        "kinds": {},
    }
    for name in args.kinds.split(","):
        kind, _, copies = name.partition("/")
        started = time.perf_counter()
        model = classify.train(train, kind=kind, dev=dev, title_copies=copies != "no-copies")
        took = time.perf_counter() - started
        texts = [e.text for e in train][:3000]
        started = time.perf_counter()
        model.predict(texts)
        speed = len(texts) / (time.perf_counter() - started)
        report["kinds"][name] = {
            "train_s": round(took, 1),
            "articles_per_s": round(speed),
            "thresholds": model.thresholds,
            **{name: score(model, raw) for name, raw in sets.items()},
        }
        print_kind(name, report["kinds"][name])
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"written {OUT.relative_to(ROOT)}")


def print_kind(kind: str, r: dict) -> None:
    print(f"\n{kind}: trained in {r['train_s']} s, {r['articles_per_s']:,} articles/s")
    print(f"  {'set':12} {'variant':22} {'macro-F1':>8}  " + "  ".join(classify.LABELS))
    for name in ("heldout", "independent"):
        for variant, s in r[name].items():
            per = "  ".join(f"{s[lb]:.3f}".rjust(len(lb)) for lb in classify.LABELS)
            print(f"  {name:12} {variant:22} {s['macro_f1']:8.3f}  {per}")


if __name__ == "__main__":
    main()
