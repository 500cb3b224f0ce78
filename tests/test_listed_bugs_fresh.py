"""bench/listed_bugs.py applies issue 16's bugs by exact text: when code moves, a bug whose
text is gone would silently stop being tried. Each must still be found, once."""

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from listed_bugs import BUGS  # noqa: E402


@pytest.mark.parametrize("name", sorted(BUGS))
def test_each_listed_bug_still_applies(name):
    path, text, mutated = BUGS[name]
    assert text != mutated
    assert (ROOT / path).read_text(encoding="utf-8").count(text) == 1, f"{name}: stale"
