"""Apply each bug issue 16 lists, alone, to a scratch copy of the code and run the fast
unit tests against it: every bug must make at least one test fail.

    python bench/listed_bugs.py            # all bugs
    python bench/listed_bugs.py 404-end    # one

Each bug is (file, the exact text, what it becomes); a bug whose text is no longer in the
file is reported as stale (the code moved: update the bug, do not drop it).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TESTS = [
    "tests/test_crawl_layer.py",
    "tests/test_rules_direct.py",
    "tests/test_dates_table.py",
    "tests/test_parser_files.py",
    "tests/test_audit.py",
    "tests/test_coverage_rules.py",
]
BUGS = {
    "listing-start-beginning": (
        "auditor/crawl/sections.py",
        "BEGINNING if complete else oldest,",
        "BEGINNING,",
    ),
    "listing-start-oldest": (
        "auditor/crawl/sections.py",
        "BEGINNING if complete else oldest,",
        "oldest or BEGINNING,",
    ),
    "removed-still-counts": (
        "auditor/store/columns.py",
        "live.pop(i, None)",
        "pass",
    ),
    "removed-undated-still-in-doubt": (
        "auditor/store/columns.py",
        '"removed_at IS NULL AND undated_from IS NOT NULL",',
        '"undated_from IS NOT NULL",',
    ),
    "off-topic-finding-lost": (
        "auditor/rules/audit.py",
        'return "column_mostly_off_topic"',
        'return "column_exists"',
    ),
    "no-column-finding-lost": (
        "auditor/rules/audit.py",
        'return "no_column" if elsewhere is None',
        'return "not_checked" if elsewhere is None',
    ),
    "no-post-id-from-feeds": (
        "auditor/crawl/feeds.py",
        "if wordpress and a.wp_id is None and _post_id(a) is not None:",
        "if False:",
    ),
    "no-post-id-key": (
        "auditor/rules/identity.py",
        'found.add(f"wp:{a.wp_id}")',
        "pass",
    ),
    "per-host-delay-ignored": (
        "auditor/fetch.py",
        "wait = last + self.settings.per_host_delay_s - ",
        "wait = last + 0 - ",
    ),
    "listing-time-of-day-ignored": (
        "auditor/parse/listing.py",
        "hour, minute = int(m.group(4) or 0), int(m.group(5) or 0)",
        "hour, minute = 0, 0",
    ),
    "json-ld-ignored": (
        "auditor/parse/listing.py",
        "for blob in reader.json_ld:",
        "for blob in ():",
    ),
    "404-end": (
        "auditor/crawl/feeds.py",
        "if e.status == 404:\n                return True",
        "if e.status == 404:\n                return False",
    ),
}


def run(name: str) -> str:
    path, before, after = BUGS[name]
    with tempfile.TemporaryDirectory(prefix="bug-") as tmp:
        copy = Path(tmp) / "repo"
        shutil.copytree(ROOT / "auditor", copy / "auditor")
        shutil.copytree(ROOT / "tests", copy / "tests")
        for f in ("setup.cfg", "pyproject.toml"):
            if (ROOT / f).exists():
                shutil.copy(ROOT / f, copy / f)
        target = copy / path
        text = target.read_text(encoding="utf-8")
        if text.count(before) != 1:
            return "STALE (text not found once)"
        target.write_text(text.replace(before, after), encoding="utf-8")
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "pytest",
                "-q",
                "-x",
                "-p",
                "no:randomly",
                "-p",
                "no:cacheprovider",
                *TESTS,
            ],
            cwd=copy,
            env={"PYTHONPATH": str(copy), "PATH": "/usr/bin:/bin"},
            capture_output=True,
            text=True,
        )
        failed = [ln for ln in done.stdout.splitlines() if ln.startswith("FAILED")]
        return f"caught by {failed[0][7:].split(' - ')[0]}" if done.returncode else "NOT CAUGHT"


def main(names: list[str]) -> int:
    missed = 0
    for name in names or list(BUGS):
        result = run(name)
        missed += not result.startswith("caught")
        print(f"{name:32} {result}", flush=True)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
