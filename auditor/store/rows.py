"""Values shared by the store's parts: instants as ISO text, an outlet's crawl state, an
article from its row."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime

from auditor.types import Article, Term


def iso(when: datetime | None) -> str | None:
    return when.astimezone(UTC).isoformat(timespec="seconds") if when else None


def from_iso(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


@dataclass(frozen=True)
class OutletState:
    api_root: str = ""
    api_note: str = ""
    feeds: tuple[str, ...] = ()
    column_feeds: tuple[tuple[str, str], ...] = ()  # (url, column id) found before
    last_full_listing: datetime | None = None
    rest_cursor: datetime | None = None
    coverage_end: dict[str, datetime] | None = None  # latest end per source
    consecutive_failures: int = 0
    sections: tuple[tuple[str, str], ...] = ()  # (column id, url) found on menus
    dated_urls: frozenset[str] = frozenset()  # stored articles that have a date
    article_columns: dict[str, frozenset[str]] | None = None  # canonical URL → columns
    homepage_at: datetime | None = None  # when a crawl last read the homepage
    terms: tuple[Term, ...] = ()  # categories and tags seen before (REST ones with slugs)


def row_to_article(row: dict) -> Article:
    terms = tuple(
        Term(t["kind"], t.get("name") or "", t.get("slug") or "", t.get("term_id"))
        for t in json.loads(row["terms"] or "[]")
    )
    return Article(
        url=row["url"],
        title=row["title"] or "",
        published=from_iso(row["published"]),
        source="store",
        guid=row["guid"] or "",
        wp_id=row["wp_id"],
        summary=row["summary"] or "",
        text=row["text"] or "",
        terms=terms,
    )
