"""Store, column side: where each column lives, which articles belong to it, the facts the
audit reads, and the topic predictions and corrections of articles."""

from __future__ import annotations

import json
from datetime import datetime

from auditor import columns as columns_mod
from auditor.audit import ColumnFacts
from auditor.errors import InputError
from auditor.store import fastsql as sql
from auditor.store.rows import from_iso, iso, row_to_article
from auditor.text import name_key
from auditor.types import Campaign, ColumnSource, Outlet


class ColumnRows:
    # -- columns --------------------------------------------------------------------------

    def relink(self, outlet: Outlet, campaign: Campaign) -> dict[str, list[ColumnSource]]:
        """Recompute where each column lives and which articles belong to it."""
        sources = columns_mod.resolve(campaign, outlet.overrides, self.known_terms(outlet.id))
        sources = self._with_sections(outlet, sources)  # menu evidence first: it says more
        sources = self._with_column_feeds(outlet.id, sources)
        self.db.execute("DELETE FROM column_sources WHERE outlet_id = ?", (outlet.id,))
        sql.insert_many(
            self.db,
            "column_sources",
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
        sql.insert_many(self.db, "article_columns", links, replace=True)
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
        found, placed = self._column_evidence(outlet_id)
        listing = self.complete_listing(outlet_id)
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
            rows = self.q(
                'SELECT start, "end", source, scope FROM coverage WHERE outlet_id = ? AND '
                "column_id = ? AND scope IS NOT NULL",  # rows of no decided scope prove nothing
                (outlet_id, column.id),
            )
            cov = tuple((from_iso(r["start"]), from_iso(r["end"])) for r in rows)
            sources = tuple((s, e, _label(r)) for (s, e), r in zip(cov, rows, strict=True))
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
                    listing,
                    placed.get(column.id, ""),
                    sources,
                    self._undated_spans(outlet_id, column.id),
                )
            )
        return facts

    def _column_evidence(self, outlet_id: str) -> tuple[dict[str, str], dict[str, str]]:
        """Per column, the first evidence that it exists, and the operator's placement where
        the crawl has not seen the column yet (a config line is not proof of a column)."""
        names = {(t.kind, name_key(t.name)) for t in self.known_terms(outlet_id)}
        own = {
            r["column_id"]
            for r in self.q(
                "SELECT DISTINCT column_id FROM coverage WHERE outlet_id = ? AND scope IS NOT "
                "NULL AND scope NOT LIKE 'site-wide%'",
                (outlet_id,),
            )
        }
        found: dict[str, str] = {}
        placed: dict[str, str] = {}
        for r in self.q(
            "SELECT * FROM column_sources WHERE outlet_id = ? ORDER BY rowid", (outlet_id,)
        ):
            column_id = r["column_id"]
            seen = r["rule"] != "config override" or column_id in own
            seen = seen or (r["kind"], name_key(r["value"])) in names
            if seen:
                found.setdefault(column_id, r["evidence"])
            else:
                placed.setdefault(column_id, r["evidence"])
        return found, placed

    def complete_listing(self, outlet_id: str) -> str:
        """The latest complete listing of the outlet's categories, tags or menu, and when."""
        rows = self.q(
            "SELECT listing, started_at FROM crawls WHERE outlet_id = ? AND listing != '' "
            "ORDER BY id DESC LIMIT 1",
            (outlet_id,),
        )
        return f"{rows[0]['listing']} read at {rows[0]['started_at']}" if rows else ""

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
            raise InputError(f"no article with id {article_id} in the store {self.path}")
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

    def article_topics(self) -> dict[int, dict]:
        """Per article: the model's prediction (labels, probabilities, version) and a
        person's correction, where either exists."""
        rows = self.q(
            "SELECT a.id, p.model_version, p.probabilities, p.labels, c.labels AS corrected "
            "FROM articles a LEFT JOIN predictions p ON p.article_id = a.id "
            "LEFT JOIN corrections c ON c.article_id = a.id "
            "WHERE p.article_id IS NOT NULL OR c.article_id IS NOT NULL"
        )
        return {r["id"]: r for r in rows}

    def weak_labels(self) -> list[dict]:
        """Articles with a label from the store: a person's correction, else the columns
        the article was filed in."""
        return self.q(
            "SELECT a.id, a.title, a.summary, a.text, c.labels AS corrected, "
            "(SELECT json_group_array(ac.column_id) FROM article_columns ac "
            " WHERE ac.article_id = a.id) AS columns FROM articles a "
            "LEFT JOIN corrections c ON c.article_id = a.id WHERE a.removed_at IS NULL"
        )

    def review_candidates(self, outlet_id: str | None = None) -> list[dict]:
        """Live, classified, uncorrected articles with the columns they were filed in: what
        `auditor review` ranks."""
        where = "AND a.outlet_id = ?" if outlet_id else ""
        return self.q(
            "SELECT a.id, a.outlet_id, a.title, a.url, a.published, p.probabilities, "
            "p.labels, p.model_version, (SELECT json_group_array(ac.column_id) FROM "
            "article_columns ac WHERE ac.article_id = a.id) AS columns FROM articles a "
            "JOIN predictions p ON p.article_id = a.id LEFT JOIN corrections c ON "
            f"c.article_id = a.id WHERE a.removed_at IS NULL AND c.article_id IS NULL {where}",
            (outlet_id,) if outlet_id else (),
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


def _label(row: dict) -> str:
    """A coverage row in words: which listing, and why it shows the column."""
    if row["source"] == "rest":
        return row["scope"]
    return f"{row['source'].removeprefix('feed:')} ({row['scope']})"
