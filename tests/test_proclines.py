"""The helper tests use to wait for a process's line: it returns the line, or fails loudly."""

from __future__ import annotations

import subprocess
import sys

import pytest
from proclines import NotSeen, start


def test_waits_for_the_line_and_returns_its_match(tmp_path):
    script = "import sys; print('booting'); print('listening on 4711'); sys.stdout.flush()"
    proc, lines = start([sys.executable, "-c", script], tmp_path / "out.log")
    [found] = lines.wait_for(r"listening on (\d+)")
    assert found.group(1) == "4711"
    assert proc.wait(60) == 0
    lines.close()
    assert (tmp_path / "out.log").read_text(encoding="utf-8") == "booting\nlistening on 4711\n"


def test_counts_repeated_lines(tmp_path):
    script = "for i in range(3): print(f'crawl {i} done')"
    proc, lines = start([sys.executable, "-c", script], tmp_path / "out.log")
    assert [m.group(1) for m in lines.wait_for(r"crawl (\d) done", count=3)] == ["0", "1", "2"]
    proc.wait(60)
    lines.close()


def test_a_process_that_ends_without_the_line_fails_at_once(tmp_path):
    proc, lines = start([sys.executable, "-c", "print('crashed: no port')"], tmp_path / "o.log")
    with pytest.raises(NotSeen, match=r"(?s)the process ended.*crashed: no port"):
        lines.wait_for(r"listening")
    proc.wait(60)
    lines.close()


def test_a_process_that_hangs_fails_at_the_safety_cap(tmp_path):
    script = "import sys; print('stuck'); sys.stdout.flush(); sys.stdin.read()"
    proc, lines = start([sys.executable, "-c", script], tmp_path / "o.log", stdin=subprocess.PIPE)
    lines.wait_for("stuck")
    try:
        with pytest.raises(NotSeen, match=r"hung past the 0\.2 s safety cap"):
            lines.wait_for(r"listening", cap=0.2)
    finally:
        proc.stdin.close()  # its read ends: it exits
        proc.wait(60)
        lines.close()
