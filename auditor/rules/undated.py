"""Undated articles and the weeks they leave open. Pure.

A listing that showed an article without any date (none in the feed, none on its page) saw
that article somewhere in the span the listing covers, but not in which week. Such a week
can still be met by the articles that are dated; it cannot be proven missed, because the
undated article may belong to it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime


def in_doubt(start: datetime, end: datetime, spans: Iterable[tuple[datetime, datetime]]) -> bool:
    """Does an undated article's span overlap the week [start, end)?"""
    return any(s < end and start <= e for s, e in spans)
