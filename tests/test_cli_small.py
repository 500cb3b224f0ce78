"""Smaller CLI promises: help that says what an option does, log lines beside a progress bar."""

from __future__ import annotations

import io
import logging

import pytest

from auditor import logs
from auditor.cli import main


@pytest.mark.parametrize("command", [["crawl"], ["audit"], ["banner"]])
def test_outlet_help_says_it_repeats(command, capsys):
    assert main([*command, "--help"]) == 0
    help_text = " ".join(capsys.readouterr().out.split())
    assert "--outlet ID Only this outlet (repeat the option for several)." in help_text


def test_log_lines_clear_the_progress_bar_line_first():
    stream = io.StringIO()
    logs.setup(logging.INFO, stream=stream)
    try:
        log = logging.getLogger("auditor.test")
        log.warning("before")
        with logs.progress_line():
            stream.write("Crawling  [####------]  40%")  # what click's bar leaves on the line
            log.warning("during")
        log.warning("after")
    finally:
        logs.setup(logging.WARNING)
    lines = stream.getvalue().split("\n")
    assert not lines[0].startswith("\r") and lines[0].endswith("before")
    assert lines[1].startswith("Crawling  [####------]  40%\r\x1b[K") and "during" in lines[1]
    assert lines[2].endswith("after") and "\x1b" not in lines[2]
