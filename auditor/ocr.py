"""Text in banner images, read by Tesseract (Debian: tesseract-ocr, tesseract-ocr-vie).

The auditor works without it: `available()` says why OCR cannot run, and the banner check
records that reason as the evidence for images it could not read.
"""

from __future__ import annotations

import shutil
import subprocess

TIMEOUT_S = 60


def available() -> str:
    """ "" when Tesseract with Vietnamese can run here; otherwise the reason it cannot."""
    if not shutil.which("tesseract"):
        return "Tesseract is not installed (apt-get install tesseract-ocr tesseract-ocr-vie)"
    try:
        done = subprocess.run(
            ["tesseract", "--list-langs"], capture_output=True, text=True, timeout=TIMEOUT_S
        )
    except (OSError, subprocess.TimeoutExpired) as e:
        return f"Tesseract does not run: {e}"
    if "vie" not in done.stdout.split():
        return "Tesseract has no Vietnamese data (apt-get install tesseract-ocr-vie)"
    return ""


def read_text(image: bytes) -> str:
    """The text Tesseract reads in an image (PNG, JPEG, GIF…), Vietnamese then English."""
    done = subprocess.run(
        ["tesseract", "stdin", "stdout", "-l", "vie+eng", "--psm", "6"],
        input=image,
        capture_output=True,
        timeout=TIMEOUT_S,
    )
    if done.returncode != 0:
        raise RuntimeError(done.stderr.decode("utf-8", "replace").strip()[:300])
    return done.stdout.decode("utf-8", "replace")
