"""Where the files that ship with auditor are: the trained model, its data, the starter config.

The repository keeps them at its top level (`models/`, `config.yaml`); building a wheel copies
them into the package as `auditor/_shipped/` (see setup.py). A source checkout uses the
top-level files, the ones being edited; an installed package uses its own copy, so the tool
works from any working folder.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
BUNDLED = PACKAGE / "_shipped"


def _checkout() -> Path | None:
    """The repository root when auditor runs from a source checkout, else None (an
    installed package's parent is site-packages, which has no setup.cfg beside models/)."""
    root = PACKAGE.parent
    if (root / "setup.cfg").is_file() and (root / "models").is_dir():
        return root
    return None


def roots() -> list[Path]:
    checkout = _checkout()
    return [checkout, BUNDLED] if checkout else [BUNDLED]


def models_dirs() -> list[Path]:
    """Folders that may hold the shipped classifier, best first."""
    return [root / "models" for root in roots()]


def config_file() -> Path | None:
    """The starter config.yaml (with its comments), or None if this install has none."""
    for root in roots():
        if (root / "config.yaml").is_file():
            return root / "config.yaml"
    return None
