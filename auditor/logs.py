"""Log set-up: one line per event on stderr, plain or JSON lines for log collectors."""

from __future__ import annotations

import contextlib
import json
import logging
import sys
from collections.abc import Iterator
from datetime import UTC, datetime


class JsonLines(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        event = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        outlet = getattr(record, "outlet", None) or _outlet_of(record)
        if outlet:
            event["outlet"] = outlet
        if record.exc_info:
            event["error"] = self.formatException(record.exc_info)
        return json.dumps(event, ensure_ascii=False)


def _outlet_of(record: logging.LogRecord) -> str:
    """Our messages about one outlet start with "<outlet id>: "."""
    if isinstance(record.msg, str) and record.msg.startswith("%s:") and record.args:
        return str(record.args[0])
    return ""


class LineHandler(logging.StreamHandler):
    """A stream handler that first clears a progress bar's line, so a warning printed
    during a crawl starts at the left edge instead of overwriting the bar or being
    overwritten by it (the bar draws itself again at its next step)."""

    live_line = False

    def emit(self, record: logging.LogRecord) -> None:
        if LineHandler.live_line:
            self.stream.write("\r\x1b[K")
        super().emit(record)


@contextlib.contextmanager
def progress_line() -> Iterator[None]:
    """While a progress bar owns the terminal's last line."""
    LineHandler.live_line = True
    try:
        yield
    finally:
        LineHandler.live_line = False


def setup(level: int, as_json: bool = False, stream=None) -> None:
    handler = LineHandler(stream or sys.stderr)
    if as_json:
        handler.setFormatter(JsonLines())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    logging.getLogger("apscheduler").setLevel(max(level, logging.WARNING))
