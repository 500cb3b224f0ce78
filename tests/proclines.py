"""A started process's output, read line by line as it comes.

Tests and the real-WordPress harness wait for a line the process prints ("server started on
port N", "good: ok, 12 new"): an event, not a guess at how long something takes. The only
timer is a generous safety cap, reached only by a process that hangs, and it fails loudly.
"""

from __future__ import annotations

import re
import subprocess
import threading
from pathlib import Path

SAFETY_CAP_S = 120  # under pytest-timeout (300 s), so this message is the one seen


class NotSeen(AssertionError):
    """The awaited line never came: the process ended, or hung past the safety cap."""


class Lines:
    """Reads `proc` (started with stdout=PIPE, stderr=STDOUT, text=True) into `log` and
    into memory; `wait_for` blocks until lines match."""

    def __init__(self, proc: subprocess.Popen, log: Path):
        self.proc = proc
        self.log = log
        self.lines: list[str] = []
        self.ended = False
        self.changed = threading.Condition()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        with open(self.log, "w", encoding="utf-8") as out:
            for line in self.proc.stdout:
                out.write(line)
                out.flush()
                with self.changed:
                    self.lines.append(line.rstrip("\n"))
                    self.changed.notify_all()
        self.proc.stdout.close()
        with self.changed:
            self.ended = True
            self.changed.notify_all()

    def matches(self, pattern: str) -> list[re.Match]:
        regex = re.compile(pattern)
        with self.changed:
            return [m for m in map(regex.search, self.lines) if m]

    def wait_for(self, pattern: str, count: int = 1, cap: float = SAFETY_CAP_S) -> list[re.Match]:
        """The first `count` lines matching `pattern`, once the process has printed them."""
        with self.changed:
            self.changed.wait_for(
                lambda: len(self.matches(pattern)) >= count or self.ended, timeout=cap
            )
            found = self.matches(pattern)
            if len(found) >= count:
                return found[:count]
            why = "ended" if self.ended else f"hung past the {cap:g} s safety cap"
            tail = "\n".join(self.lines[-20:])
        raise NotSeen(
            f"waited for {count} line(s) matching {pattern!r}: the process {why}:\n{tail}"
        )

    def close(self, cap: float = 60) -> None:
        """After the process has ended: the reader has written everything to the log."""
        self.reader.join(cap)


def start(argv: list[str], log: Path, **popen) -> tuple[subprocess.Popen, Lines]:
    proc = subprocess.Popen(
        argv,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        encoding="utf-8",
        errors="replace",
        bufsize=1,
        **popen,
    )
    return proc, Lines(proc, log)
