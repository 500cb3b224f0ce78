"""Store, column side: where each column lives, which articles belong to it, the facts the
audit reads, and the topic predictions and corrections of articles."""

from __future__ import annotations

import json
from datetime import datetime

from auditor import columns as columns_mod
from auditor.audit import ColumnFacts
from auditor.errors import StoreError
from auditor.store.rows import from_iso, iso, row_to_article
from auditor.types import Campaign, ColumnSource, Outlet


class ColumnRows:
    # -- columns --------------------------------------------------------------------------

    def relink(self, outlet: Outlet, campaign: Campaign) -> dict[str, list[ColumnSource]]:
        """Recompute where each column lives and which articles belong to it."""
        sources = columns_mod.resolve(campaign, outlet.overrides, self.known_terms(outlet.id))
        sources = self._with_sections(outlet, sources)  # menu evidence first: it says more
        sources = self._with_column_feeds(outlet.id, sources)
        self.db.execute("DELETE FROM column_sources WHERE outlet_id = ?", (outlet.id,))
        self.db["column_sources"].insert_all(
            (
                {
                    "outlet_id": outlet.id,
                    "column_id": s.column_id,
                    "kind": s.kind,
                    "value": s.value,
                    "rule": s.rule,
                    "evidence": s.evidence,
                }
                for ss in sources.values()
                for s in ss
            ),
            pk=("outlet_id", "column_id", "kind", "value"),
            replace=True,
        )
        self.db.execute("DELETE FROM article_columns WHERE outlet_id = ?", (outlet.id,))
        links = []
        for row in self.q("SELECT * FROM articles WHERE outlet_id = ?", (outlet.id,)):
            article = row_to_article(row)
            for lk in columns_mod.link(article, json.loads(row["feeds"]), sources):
                links.append(
                    {
                        "article_id": row["id"],
                        "outlet_id": outlet.id,
                        "column_id": lk.column_id,
                        "rule": lk.rule,
                        "evidence": lk.evidence,
                    }
                )
        self.db["article_columns"].insert_all(
            links, pk=("article_id", "column_id"), replace=True, batch_size=500
        )
        return sources

    def _with_column_feeds(self, outlet_id: str, sources: dict) -> dict:
        """Column feeds found while crawling (WordPress category feeds) are sources too."""
        for url, column_id in self._feed_pairs(outlet_id):
            already = {s.value for s in sources.get(column_id, [])}
            if column_id and url not in already:
                sources.setdefault(column_id, []).append(
                    ColumnSource(column_id, "feed", url, "category feed", f"feed {url}")
                )
        return sources

    def _with_sections(self, outlet: Outlet, sources: dict) -> dict:
        """Menu sections count for columns the operator has not placed by hand."""
        placed = {o.column_id for o in outlet.overrides}
        for r in self.q("SELECT * FROM sections WHERE outlet_id = ?", (outlet.id,)):
            if r["column_id"] in placed:
                continue
            already = {s.value for s in sources.get(r["column_id"], [])}
            if r["url"] not in already:
                sources.setdefault(r["column_id"], []).append(
                    ColumnSource(r["column_id"], "section", r["url"], "menu link", r["evidence"])
                )
        return sources

    def _feed_pairs(self, outlet_id: str) -> list[tuple[str, str]]:
        rows = self.q("SELECT feeds FROM outlets WHERE id = ?", (outlet_id,))
        return [tuple(p) for p in json.loads(rows[0]["feeds"] or "[]")] if rows else []

    def column_facts(self, outlet_id: str, campaign: Campaign) -> list[ColumnFacts]:
        found = {}
        for r in self.q(
            "SELECT column_id, evidence FROM column_sources WHERE outlet_id = ? ORDER BY rowid",
            (outlet_id,),
        ):
            found.setdefault(r["column_id"], r["evidence"])
        topics = self.topics_of(outlet_id)
        outside = self._outside_any_column(outlet_id)
        facts = []
        for column in campaign.columns:
            arts = tuple(
                (r["id"], from_iso(r["published"]))
                for r in self.q(
                    "SELECT a.id, a.published FROM articles a JOIN article_columns ac ON "
                    "ac.article_id = a.id WHERE ac.outlet_id = ? AND ac.column_id = ? AND "
                    "a.removed_at IS NULL AND a.published IS NOT NULL",
                    (outlet_id, column.id),
                )
            )
            cov = tuple(
                (from_iso(r["start"]), from_iso(r["end"]))
                for r in self.q(
                    'SELECT start, "end" FROM coverage WHERE outlet_id = ? AND column_id = ?',
                    (outlet_id, column.id),
                )
            )
            on_topic = None
            elsewhere: tuple = ()
            if topics:
                on_topic = frozenset(i for i, _ in arts if column.id in topics.get(i, ()))
                elsewhere = tuple(
                    (i, when) for i, when in outside if column.id in topics.get(i, ())
                )
            facts.append(
                ColumnFacts(
                    column.id,
                    found.get(column.id, ""),
                    arts,
                    cov,
                    on_topic,
                    elsewhere,
                    self._undated_spans(outlet_id, column.id),
                )
            )
        return facts

    def _undated_spans(self, outlet_id: str, column_id: str) -> tuple:
        """Where the column's undated articles may lie (see auditor/undated.py)."""
        return tuple(
            (from_iso(r["undated_from"]), from_iso(r["undated_to"]))
            for r in self.q(
                "SELECT a.undated_from, a.undated_to FROM articles a JOIN article_columns ac "
                "ON ac.article_id = a.id WHERE ac.outlet_id = ? AND ac.column_id = ? AND "
                "a.removed_at IS NULL AND a.published IS NULL AND a.undated_from IS NOT NULL",
                (outlet_id, column_id),
            )
        )

    def _outside_any_column(self, outlet_id: str) -> list[tuple[int, datetime]]:
        return [
            (r["id"], from_iso(r["published"]))
            for r in self.q(
                "SELECT a.id, a.published FROM articles a WHERE a.outlet_id = ? AND "
                "a.removed_at IS NULL AND a.published IS NOT NULL AND NOT EXISTS "
                "(SELECT 1 FROM article_columns ac WHERE ac.article_id = a.id)",
                (outlet_id,),
            )
        ]

    # -- topics ---------------------------------------------------------------------------

    def unclassified(
        self, model_version: str, outlet_id: str | None = None, everything: bool = False
    ) -> list[dict]:
        """Articles the current model has not seen (all of them with everything)."""
        return self.q(
            "SELECT a.id, a.title, a.summary, a.text FROM articles a LEFT JOIN predictions p "
            "ON p.article_id = a.id WHERE (? IS NULL OR a.outlet_id = ?) AND "
            "(? OR p.model_version IS NULL OR p.model_version != ?) ORDER BY a.id",
            (outlet_id, outlet_id, int(everything), model_version),
        )

    def save_predictions(
        self, model_version: str, rows: list[tuple[int, dict, frozenset]], at: datetime
    ) -> None:
        with self.transaction():
            self.db["predictions"].upsert_all(
                (
                    {
                        "article_id": i,
                        "model_version": model_version,
                        "probabilities": json.dumps(p),
                        "labels": json.dumps(sorted(lb)),
                        "at": iso(at),
                    }
                    for i, p, lb in rows
                ),
                pk="article_id",
            )

    def correct(self, article_id: int, labels: list[str], by: str, at: datetime) -> None:
        if not self.q("SELECT 1 FROM articles WHERE id = ?", (article_id,)):
            raise StoreError(f"no article with id {article_id}")
        with self.transaction():
            self.db["corrections"].upsert(
                {
                    "article_id": article_id,
                    "labels": json.dumps(sorted(labels)),
                    "by": by,
                    "at": iso(at),
                },
                pk="article_id",
            )

    def weak_labels(self) -> list[dict]:
        """Articles with a label from the store: a person's correction, else the columns
        the article was filed in."""
        return self.q(
            "SELECT a.id, a.title, a.summary, a.text, c.labels AS corrected, "
            "(SELECT json_group_array(ac.column_id) FROM article_columns ac "
            " WHERE ac.article_id = a.id) AS columns FROM articles a "
            "LEFT JOIN corrections c ON c.article_id = a.id WHERE a.removed_at IS NULL"
        )

    def topics_of(self, outlet_id: str) -> dict[int, set[str]]:
        """Each article's topics: a person's correction wins over the model."""
        topics = {
            r["article_id"]: set(json.loads(r["labels"]))
            for r in self.q(
                "SELECT p.article_id, p.labels FROM predictions p JOIN articles a ON "
                "a.id = p.article_id WHERE a.outlet_id = ?",
                (outlet_id,),
            )
        }
        topics.update(
            {
                r["article_id"]: set(json.loads(r["labels"]))
                for r in self.q(
                    "SELECT c.article_id, c.labels FROM corrections c JOIN articles a ON "
                    "a.id = c.article_id WHERE a.outlet_id = ?",
                    (outlet_id,),
                )
            }
        )
        return topics
