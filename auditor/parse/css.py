"""Background images in CSS: which rule (selector) shows which image. Pure.

Headers and banners are often drawn as a `background` / `background-image` of a div, in an
inline `style=""` or in the site's stylesheets. This is not a CSS parser: it reads rules as
`selector { declarations }` (the innermost ones, so rules inside `@media` are found too),
and in their declarations the `url(...)` of the background properties.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin

_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_BACKGROUND = re.compile(r"background(?:-image)?\s*:\s*([^;]*)", re.I)
_URL = re.compile(r"""url\(\s*(["']?)(.*?)\1\s*\)""", re.I | re.S)
_IMPORT = re.compile(r"""@import\s+(?:url\(\s*(["']?)(.*?)\1\s*\)|(["'])(.*?)\3)""", re.I)
_SIZE = re.compile(r"(?<![-\w])(width|height|min-height)\s*:\s*(\d+(?:\.\d+)?)px", re.I)


@dataclass(frozen=True)
class Background:
    selector: str  # "" for an inline style
    url: str
    width: int = 0
    height: int = 0


def declared_backgrounds(declarations: str, base: str, selector: str = "") -> list[Background]:
    """Background image URLs of one declaration block (an inline style or a rule's body)."""
    sizes = {name.lower(): int(float(px)) for name, px in _SIZE.findall(declarations)}
    height = sizes.get("height") or sizes.get("min-height", 0)
    found = []
    for value in _BACKGROUND.findall(declarations):
        for _, url in _URL.findall(value):
            url = url.strip()
            if url and not url.startswith("#"):
                url = url if url.startswith("data:") else urljoin(base, url)
                found.append(Background(selector, url, sizes.get("width", 0), height))
    return found


def stylesheet_backgrounds(css: str, base: str) -> list[Background]:
    """Every rule of a stylesheet that shows a background image, with its selector."""
    css = _COMMENT.sub(" ", css)
    found = []
    for selector, body in _RULE.findall(css):
        selector = " ".join(selector.split())
        if selector.startswith("@"):
            continue  # @font-face and friends: no backgrounds to see
        found += declared_backgrounds(body, base, selector)
    return found


def imports(css: str, base: str) -> list[str]:
    """The stylesheets an `@import` pulls in (child themes import their parent's)."""
    css = _COMMENT.sub(" ", css)
    return [urljoin(base, m[1] or m[3]) for m in _IMPORT.findall(css) if (m[1] or m[3]).strip()]


def selector_names(selector: str) -> list[str]:
    """The ids and class names a selector mentions ("#top .banner-img" → top, banner-img)."""
    return re.findall(r"[#.]([\w-]+)", selector)
