"""Does a piece of text carry the campaign's welcome banner? Pure.

The directive's words are "Chào mừng đại hội công đoàn các cấp và Đại hội Công đoàn Việt Nam
lần thứ XII". Real banners shorten and restyle them, so the rule is not string equality.
A text is the banner when, after normalisation, it holds

  1. a greeting: "chào mừng" (also "nhiệt liệt chào mừng"), and
  2. within 120 characters after it, a reference to the congress the campaign names:
       - the 12th Vietnam Trade Union Congress: "đại hội [đại biểu] [toàn quốc] công đoàn
         việt nam [lần thứ] XII", "đại hội XII công đoàn việt nam", "đại hội công đoàn việt
         nam khóa XII", with 12 for XII, or
       - "đại hội công đoàn các cấp".

Normalisation: NFC, case, tone-mark placement, entities, line breaks and spacing, and then
all diacritics removed (image file names and alt texts often have none); abbreviations
ĐH → đại hội, CĐVN → công đoàn việt nam, CĐ → công đoàn, "lần thứ 12" → "lần thứ xii".
Near misses stay out: another organisation's congress ("Đại hội Đoàn TNCS"), another
number ("lần thứ XI", "XIII"), the column's name without a greeting ("Hướng tới Đại hội
Công đoàn Việt Nam lần thứ XII"), or a greeting to something else.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from auditor.text import loose_key

_ABBREVIATIONS = [
    (r"\bdhcd\b", "dai hoi cong doan"),
    (r"\bcdvn\b", "cong doan viet nam"),
    (r"\bdh\b", "dai hoi"),
    (r"\bcd\b", "cong doan"),
    (r"\btld\b", "tong lien doan"),
]
_TWELVE = r"(?:xii|12)(?![0-9a-z])"
_CONGRESS = [
    rf"dai hoi (?:dai bieu )?(?:toan quoc )?cong doan viet nam (?:lan thu |khoa )?{_TWELVE}",
    rf"dai hoi (?:lan thu )?{_TWELVE} cong doan viet nam",
    r"dai hoi cong doan cac cap",
]
_RULE = re.compile(r"chao mung(?P<gap>.{0,120}?)(?P<congress>" + "|".join(_CONGRESS) + ")")


@dataclass(frozen=True)
class BannerMatch:
    text: str  # the matched words, as normalised
    congress: str  # which congress reference was found


def banner_key(text: str) -> str:
    """The normalised, diacritic-free form the rule reads."""
    text = html.unescape(text or "")
    text = re.sub(r"[_\-./]+", " ", text)  # image file names: chao-mung_dai-hoi.jpg
    key = loose_key(text)
    key = re.sub(r"[^a-z0-9 ]+", " ", key)
    for pattern, full in _ABBREVIATIONS:
        key = re.sub(pattern, full, key)
    return " ".join(key.split())


def match_banner(text: str) -> BannerMatch | None:
    found = _RULE.search(banner_key(text))
    if not found:
        return None
    return BannerMatch(found.group(0), found.group("congress"))


# -- a whole homepage -------------------------------------------------------------------------

BANNER_REGIONS = ("banner", "slider", "slide", "carousel", "marquee", "header", "top")
_FIRST_LOOK = ("banner", "slider", "slide", "carousel", "marquee")  # read these first
SHELL_MAX_CHARS = 200  # visible text below this, with scripts: a page drawn by JavaScript


@dataclass(frozen=True)
class PageVerdict:
    verdict: str  # present | unknown (the text alone never proves a banner absent)
    evidence: str = ""
    location: str = ""
    image_url: str = ""


def check_page(page) -> PageVerdict:
    """Look at the visible text, alt/title/aria-label texts and image file names."""
    for block in page.blocks:
        found = match_banner(block.text)
        if found:
            return PageVerdict("present", block.text[:300], f"text in {block.region}")
    for attr in page.attributes:
        found = match_banner(attr.text)
        if found:
            return PageVerdict("present", attr.text[:300], attr.region)
    for image in page.images:
        name = image.src.rsplit("/", 1)[-1] if not image.src.startswith("data:") else ""
        if match_banner(name):
            where = f"image file name in {image.region} ({image.origin})"
            return PageVerdict("present", name, where, image.src)
    return PageVerdict("unknown", location="not in the page's text; its images not read")


def script_shell(page) -> str:
    """Why what the page shows is not in its HTML, or "": it is drawn by scripts (an empty
    <div id="app"> and a bundle) or made of frames. Its banner can be neither seen nor missed."""
    if page.visible_chars >= SHELL_MAX_CHARS:
        return ""
    if page.scripts:
        return (
            f"the page is drawn by scripts ({page.visible_chars} characters of visible text, "
            f"{page.scripts} scripts): what it shows is not in its HTML"
        )
    if page.frames:
        return (
            f"the page is made of frames ({page.visible_chars} characters of visible text; "
            f"{', '.join(page.frames[:3])}): what they show is not in its HTML"
        )
    return ""


def logo_like(width: int, height: int) -> bool:
    """A small picture, or a small roughly square one (a logo, an icon, a placeholder
    pixel): no banner. Unknown sizes (0) are not judged here."""
    if (0 < width < 200) or (0 < height < 40):
        return True
    return 0 < width < 300 and 0 < height < 300 and 0.5 <= width / height <= 2


def ocr_candidates(images, limit: int | None = None) -> list:
    """Large or prominent images whose text the HTML does not give: worth reading. Those of
    banner and slider regions first, then header ones, then wide ones."""
    picked, seen = [], set()
    for image in images:
        if not image.src.startswith(("http://", "https://", "data:")) or image.src in seen:
            continue
        prominent = image.region in BANNER_REGIONS or image.width >= 500
        if prominent and not logo_like(image.width, image.height):
            seen.add(image.src)
            picked.append(image)
    picked.sort(
        key=lambda i: 0 if i.region in _FIRST_LOOK else 1 if i.region in BANNER_REGIONS else 2
    )
    return picked[:limit]


def banner_shaped(width: int, height: int) -> bool:
    """Wide and flat: at least 500 px wide and twice as wide as high."""
    return width >= 500 and height > 0 and width >= 2 * height


_NOT_BANNER_REGIONS = ("nav", "menu", "footer", "sidebar", "stylesheet")


def shape_candidates(images, prominent, limit: int = 6) -> list:
    """The first images of the page, in its order, that are not prominent by where they sit
    and whose size the HTML does not give: a banner in a plain <div> is found by fetching
    them and keeping those shaped like a banner. Menus, footers, sidebars and stylesheet
    rules for elements not on the page are left out."""
    taken = {i.src for i in prominent}
    picked = []
    for image in images:
        if image.src in taken or not image.src.startswith(("http://", "https://", "data:")):
            continue
        if image.region in _NOT_BANNER_REGIONS or (image.width and image.height):
            continue  # a sized picture not prominent by now is no banner
        if image.width and image.width < 500:
            continue
        taken.add(image.src)
        picked.append(image)
    return picked[:limit]
