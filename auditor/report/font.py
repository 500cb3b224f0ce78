"""The page's font, inline: DejaVu Sans (regular and bold) from matplotlib's own data,
cut down to Latin and Vietnamese letters and the few symbols the report prints, as WOFF
data: URIs. The page then shows every diacritic even where no font on the reader's
machine has them, and asks nothing of the network."""

from __future__ import annotations

import base64
import functools
import io
import logging
from pathlib import Path

import matplotlib
from fontTools import subset
from fontTools.ttLib import TTFont

FAMILY = "Auditor DejaVu Sans"
logging.getLogger("fontTools.subset").setLevel(logging.ERROR)  # "FFTM dropped": expected
UNICODES = [
    *range(0x20, 0x7F),  # ASCII
    *range(0xA0, 0x250),  # Latin-1, Latin Extended-A/B (ă â đ ê ô ơ ư)
    *range(0x300, 0x324),  # combining marks: decomposed (NFD) text from some keyboards
    *range(0x1EA0, 0x1F00),  # Latin Extended Additional: the Vietnamese precomposed letters
    *range(0x2010, 0x2050),  # dashes, quotes, bullet, ellipsis
    0x20AB,  # ₫
    0x2022,
    0x2192,
    0x25A0,
    0x25CF,
    0x2713,  # ✓ met
    0x2717,  # ✗ missed
]


def _path(bold: bool) -> Path:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return Path(matplotlib.get_data_path()) / "fonts" / "ttf" / name


@functools.cache
def woff_uri(bold: bool = False) -> str:
    font = TTFont(_path(bold))
    options = subset.Options()
    options.flavor = "woff"
    options.layout_features = ["*"]  # keep mark positioning for decomposed text
    options.name_IDs = ["*"]
    cutter = subset.Subsetter(options)
    cutter.populate(unicodes=UNICODES)
    cutter.subset(font)
    out = io.BytesIO()
    font.flavor = "woff"
    font.save(out)
    return "data:font/woff;base64," + base64.b64encode(out.getvalue()).decode("ascii")


def font_faces() -> str:
    return "".join(
        f"@font-face{{font-family:'{FAMILY}';font-weight:{w};src:url({woff_uri(b)}) "
        "format('woff');}"
        for b, w in ((False, 400), (True, 700))
    )
