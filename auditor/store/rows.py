"""Values shared by the store's parts: instants as ISO text, an article from its row."""

from __future__ import annotations

import json

from auditor.clock import from_iso, iso
from auditor.types import Article, Term

__all__ = ["from_iso", "iso", "row_to_article"]


def terms_from_json(text: str | None) -> tuple[Term, ...]:
    """An article's terms as the store keeps them (a JSON list)."""
    return tuple(
        Term(t["kind"], t.get("name") or "", t.get("slug") or "", t.get("term_id"))
        for t in json.loads(text or "[]")
    )


def row_to_article(row: dict) -> Article:
    terms = terms_from_json(row["terms"])
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
