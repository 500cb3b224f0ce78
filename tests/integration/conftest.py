"""The real-WordPress suite: skipped with one clear line where it cannot run (in CI that
skip fails the run: tests/ci_skips.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "wordpress"))

import harness

SEEN: list[str] = []


def pytest_terminal_summary(terminalreporter):
    if SEEN:
        terminalreporter.write_line("real WordPress sites audited: " + "; ".join(SEEN))


@pytest.fixture(scope="session")
def wordpress_sites():
    why = harness.missing()
    if why:
        pytest.skip(f"real-WordPress suite skipped: {why}")
    with harness.Sites() as sites:
        versions = ", ".join(
            f"{s.name} {s.url} WordPress {s.version}" for s in sites.sites.values()
        )
        SEEN.append(versions)
        yield sites
