"""Optional: the HTML report printed to A4 PDF by a headless Chromium, where one is
installed (Debian: `chromium`). The page's own print stylesheet lays it out; the browser
starts with a fresh profile and no network of its own, and is given a deadline."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from auditor.errors import AuditorError

BROWSERS = ("chromium", "chromium-browser", "google-chrome")
FLAGS = (
    "--headless",
    "--no-sandbox",  # it runs as root in containers and under systemd's auditor user alike
    "--disable-gpu",
    "--disable-background-networking",
    "--no-first-run",
    "--no-pdf-header-footer",  # the page prints its own header: campaign and period
)


def find_browser() -> str | None:
    return next((path for name in BROWSERS if (path := shutil.which(name))), None)


def print_pdf(html: Path, pdf: Path, browser: str, timeout_s: float = 180) -> Path:
    part = pdf.with_name(pdf.name + ".part")
    with tempfile.TemporaryDirectory(prefix="auditor-pdf-") as profile:
        command = [
            browser,
            *FLAGS,
            f"--user-data-dir={profile}",
            f"--print-to-pdf={part}",
            html.resolve().as_uri(),
        ]
        try:
            subprocess.run(command, check=True, capture_output=True, timeout=timeout_s)
        except (OSError, subprocess.SubprocessError) as e:
            raise AuditorError(f"{browser} could not print {html} to PDF: {e}") from None
    if not part.exists() or part.read_bytes()[:5] != b"%PDF-":
        raise AuditorError(f"{browser} wrote no PDF for {html}")
    os.replace(part, pdf)
    return pdf
