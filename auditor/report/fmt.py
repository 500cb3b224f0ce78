"""Small formatting and escaping helpers shared by the HTML and XLSX writers.

Everything that came from an outlet (titles, category names, URLs, error messages) goes
through `esc` or `link`; a link is made only of an http(s) URL, anything else is text.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from html import escape
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def esc(value: object) -> str:
    return escape("" if value is None else str(value), quote=True)


def safe_url(url: str) -> str | None:
    """The URL if it is a plain http(s) link, else None (javascript:, data:, …)."""
    url = (url or "").strip()
    if not url or _CONTROL.search(url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url


def link(url: str, text: str | None = None) -> str:
    shown = esc(text if text is not None else url)
    ok = safe_url(url)
    if ok is None:
        return f'<span class="url">{esc(url)}</span>' if text is None else shown
    return f'<a href="{esc(ok)}" rel="noopener noreferrer nofollow">{shown}</a>'


def day(text: str | date | None, lang: str) -> str:
    if not text:
        return ""
    d = text if isinstance(text, date) else date.fromisoformat(str(text)[:10])
    return f"{d:%d/%m/%Y}" if lang == "vi" else d.isoformat()


def instant(text: str | None, lang: str, tz: ZoneInfo) -> str:
    """A stored UTC instant, shown in the campaign's time zone."""
    if not text:
        return ""
    when = datetime.fromisoformat(text).astimezone(tz)
    return f"{when:%d/%m/%Y %H:%M}" if lang == "vi" else f"{when:%Y-%m-%d %H:%M}"


def audit_date(text: str | None, lang: str, tz: ZoneInfo) -> str:
    """An audit's as-of instant: "the end of 30/11/2017" is stored as 01/12 00:00."""
    if not text:
        return ""
    when = datetime.fromisoformat(text).astimezone(tz)
    if when.time() == datetime.min.time():
        return day(when.date() - timedelta(days=1), lang)
    return instant(text, lang, tz)


def instant_day(text: str | None, lang: str, tz: ZoneInfo) -> str:
    if not text:
        return ""
    return day(datetime.fromisoformat(text).astimezone(tz).date(), lang)


def pct(share: float | None, lang: str) -> str:
    if share is None:
        return "—"
    text = f"{share * 100:.1f}"
    return (text.replace(".", ",") if lang == "vi" else text) + " %"


def css_string(text: str) -> str:
    """A CSS string literal: every character but letters, digits and spaces as a hex escape."""
    out = []
    for ch in text:
        out.append(ch if ch.isalnum() or ch == " " else f"\\{ord(ch):06x}")
    return '"' + "".join(out) + '"'
