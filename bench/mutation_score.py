"""The mutation score per module, from mutmut's results: killed / (all that ran).

    python bench/mutation_score.py [module ...]

A timeout counts as killed (the mutant made the tests hang, and they said so); "no
tests" (no fast unit test reaches the function) and "survived" count against the score;
mutants not run yet are listed apart and left out.
"""

from __future__ import annotations

import subprocess
import sys
from collections import Counter, defaultdict

KILLED = {"killed", "timeout", "segfault"}
NOT_RUN = {"not checked", "skipped"}


def results() -> list[tuple[str, str]]:
    out = subprocess.run(
        ["mutmut", "results", "--all", "true"], capture_output=True, text=True, check=True
    ).stdout
    rows = []
    for line in out.splitlines():
        name, sep, status = line.strip().rpartition(": ")
        if sep and "__mutmut_" in name:
            rows.append((name, status.strip()))
    return rows


def module_of(name: str) -> str:
    path = name.split("__mutmut_")[0].rsplit(".", 1)[0]
    return path.removeprefix("auditor.")


def main(only: list[str]) -> None:
    by_module: dict[str, Counter] = defaultdict(Counter)
    for name, status in results():
        by_module[module_of(name)][status] += 1
    total = Counter()
    head = ("module", "killed", "survived", "no tests", "not run", "score")
    print("{:16} {:>7} {:>9} {:>9} {:>8} {:>7}".format(*head))
    for module in sorted(by_module):
        if only and module not in only:
            continue
        c = by_module[module]
        killed = sum(c[s] for s in KILLED)
        not_run = sum(c[s] for s in NOT_RUN)
        judged = sum(c.values()) - not_run
        total.update({"killed": killed, "judged": judged})
        score = f"{100 * killed / judged:.1f}%" if judged else "-"
        print(f"{module:16} {killed:7} {c['survived']:9} {c['no tests']:9} {not_run:8} {score:>7}")
    if total["judged"]:
        print(
            f"{'all run':16} {total['killed']:7} {'':9} {'':9} {'':8} "
            f"{100 * total['killed'] / total['judged']:6.1f}%"
        )


if __name__ == "__main__":
    main(sys.argv[1:])
