"""Vietnamese text normalisation and name keys. Pure functions, no I/O.

Two keys are built for every name:

* ``name_key`` – NFC, one tone-mark convention, case-folded, spacing and punctuation
  variants unified. Two names with the same key are the same name.
* ``loose_key`` – ``name_key`` with every diacritic removed and đ → d. It collides
  ("hội" / "hỏi"), so it is only a second resort, used when it points to one name only.
"""

from __future__ import annotations

import functools
import html
import re
import unicodedata
from html.parser import HTMLParser

TONES = "\u0300\u0301\u0303\u0309\u0323"  # huyền, sắc, ngã, hỏi, nặng

# In oa / oe / uy at the end of a syllable the tone can sit on either vowel ("hoà" / "hòa").
# We move it to the first vowel; "qu" + y (quý) is a consonant cluster and is left alone.
# Working on NFD text, the second vowel carries at most a tone mark here.
_MOVABLE = re.compile(rf"(?<![qQ])([oO][aAeE]|[uU][yY])([{TONES}])(?![^\W\d_])")

_SPACES = re.compile(r"[\s\u00a0\u2000-\u200b\u202f\u205f\u3000\ufeff]+")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
_PUNCT = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
    }
)
# Icelandic eth from legacy fonts stands in for Đ / đ
_ETH = str.maketrans({"\u00d0": "\u0110", "\u00f0": "\u0111"})


def _move_tone(match: re.Match) -> str:
    pair, tone = match.group(1), match.group(2)
    return pair[0] + tone + pair[1]


def nfc(text: str) -> str:
    """NFC with invisible characters removed, Ð fixed, tone placement unified."""
    # names (categories, columns, menus) come back thousands of times a crawl: kept
    return _nfc_kept(text) if len(text) <= 200 else _nfc(text)


def _nfc(text: str) -> str:
    text = unicodedata.normalize("NFD", text.translate(_INVISIBLE).translate(_ETH))
    return unicodedata.normalize("NFC", _MOVABLE.sub(_move_tone, text))


_nfc_kept = functools.lru_cache(maxsize=16384)(_nfc)


def clean(text: str | None) -> str:
    """Display text: NFC, one convention of tone marks, spaces collapsed."""
    if not text:
        return ""
    return _SPACES.sub(" ", nfc(text)).strip()


def as_published(text: str | None) -> str:
    """Text to store as the outlet published it: NFC and spacing only. Tone-mark placement
    and look-alike letters are left alone; they are unified only in keys (name_key)."""
    if not text:
        return ""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


# Elements whose content is never text a reader sees: dropped whole, even when unclosed.
_HIDDEN = frozenset(("script", "style", "noscript", "template", "svg"))
_BREAKS = frozenset(
    (
        *("address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt"),
        *("figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header"),
        *("hr", "li", "main", "nav", "ol", "p", "pre", "section", "table", "td", "th", "tr"),
        "ul",
    )
)


class _TextReader(HTMLParser):
    """The text a browser would show: comments, scripts and styles vanish, block elements
    separate words, inline ones do not."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in _HIDDEN:
            self.hidden.append(tag)
        elif tag in _BREAKS:
            self.parts.append(" ")

    def handle_startendtag(self, tag, attrs):
        if tag in _BREAKS:
            self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag in self.hidden:
            while self.hidden and self.hidden.pop() != tag:
                pass
        elif tag in _BREAKS:
            self.parts.append(" ")

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def html_to_text(fragment: str | None) -> str:
    """Plain text from an HTML fragment (WordPress content, feed summaries), read by a real
    HTML parser: a `>` inside a comment or an unclosed <script> leaks nothing."""
    if not fragment:
        return ""
    reader = _TextReader()
    reader.feed(fragment)
    reader.close()
    return as_published("".join(reader.parts))


# The same few thousand names (terms, menu links, columns) are keyed for every article of
# every outlet when columns are relinked; the key is a pure function of the text.
@functools.lru_cache(maxsize=65536)
def name_key(text: str) -> str:
    """Key for comparing names: same words, same key. A key is its own key: WordPress
    escapes names twice ("&amp;amp;"), and removing a character can bring an entity
    together, so the steps are repeated until nothing changes (twice for real names)."""
    for _ in range(8):
        key = _name_key_once(text)
        if key == text:
            break
        text = key
    return key


def _name_key_once(text: str) -> str:
    text = clean(html.unescape(text)).translate(_PUNCT).casefold()
    text = re.sub(r"[\"'“”‘’«»:;,.!?()\[\]|/\\-]+", " ", text)
    return " ".join(text.split())


def strip_marks(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return bare.replace("đ", "d").replace("Đ", "D")


@functools.lru_cache(maxsize=65536)
def loose_key(text: str) -> str:
    """Diacritic-insensitive key: a secondary match only (it collides)."""
    # a lone combining mark is a word of name_key; without its mark it is no word at all
    return " ".join(strip_marks(name_key(text)).split())


def slugify(text: str) -> str:
    """The slug WordPress would give this name: marks removed, đ → d, hyphens."""
    return re.sub(r"[^a-z0-9]+", "-", loose_key(text)).strip("-")
