"""Store, column side: where each column lives, which articles belong to it, the facts the
audit reads, and the topic predictions and corrections of articles."""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from itertools import compress, filterfalse, groupby
from operator import itemgetter

from auditor.errors import InputError
from auditor.store.rows import from_iso, iso, terms_from_json
from auditor.text import name_key
from auditor.types import Article, Campaign, ColumnFacts, ColumnLink, ColumnSource, SectionSeen


class ColumnRows:
    # -- columns --------------------------------------------------------------------------

    # Column linking is decided in columns.py (crawlsave.relink calls it); the store reads
    # what it needs and writes the decided rows, inside the caller's transaction.

    def sections_of(self, outlet_id: str) -> list[SectionSeen]:
        """The menu sections stored for the outlet, as found (column, URL, evidence), in one
        order always (see known_terms)."""
        sql = "SELECT * FROM sections WHERE outlet_id = ? ORDER BY column_id, url"
        return [
            SectionSeen(r["column_id"], r["url"], r["evidence"]) for r in self._q(sql, (outlet_id,))
        ]

    def outlet_articles(
        self, outlet_id: str, ids: Iterable[int] | None = None
    ) -> list[tuple[int, Article, list[str]]]:
        """Every stored article of the outlet (removed ones too), or those of ids, as
        columns.link reads it: its id, its address and terms (no text, no dates: a full
        crawl relinks every article of its outlet, so this is read whole each time) and
        the feeds it was read from."""
        terms_of = functools.lru_cache(maxsize=None)(terms_from_json)  # the same few, over and over
        sql, params = "SELECT id, url, terms, feeds FROM articles WHERE outlet_id = ?", [outlet_id]
        if ids is not None:
            chosen = sorted(set(ids))
            sql += f" AND id IN ({', '.join('?' * len(chosen))})"
            params += chosen
        return [
            (i, Article(url, "", None, "store", terms=terms_of(terms)), json.loads(feeds))
            for i, url, terms, feeds in self.db.conn.execute(sql, params)
        ]

    def save_column_links(
        self,
        outlet_id: str,
        sources: dict[str, list[ColumnSource]],
        links: list[tuple[int, ColumnLink]],
    ) -> None:
        """Replace where each column lives and which articles belong to it (article id,
        link) with what columns.py decided. Rows already as decided are left alone: most
        crawls change nothing, and rewriting every link of an outlet each time cost a
        warm crawl more than its requests."""
        self._writing()
        self._replace_if_changed(
            outlet_id, "column_sources", _SOURCE_COLUMNS, _source_rows(sources)
        )
        self._replace_if_changed(outlet_id, "article_columns", _LINK_COLUMNS, _link_rows(links))

    def sources_as_stored(self, outlet_id: str, sources: dict[str, list[ColumnSource]]) -> bool:
        """Whether the outlet's columns live where the store already says they do."""
        return self._stored_as(outlet_id, "column_sources", _SOURCE_COLUMNS, _source_rows(sources))

    def save_article_links(
        self, outlet_id: str, ids: Iterable[int], links: list[tuple[int, ColumnLink]]
    ) -> None:
        """Replace the column links of the articles of ids alone with links (each of
        theirs): the other articles' links stand, their sources being as stored."""
        self._writing()
        chosen = sorted(set(ids))
        self.db.conn.execute(
            f"DELETE FROM article_columns WHERE outlet_id = ? AND article_id IN "
            f"({', '.join('?' * len(chosen))})",
            (outlet_id, *chosen),
        )
        self._insert_rows(outlet_id, "article_columns", _LINK_COLUMNS, _link_rows(links))

    def _replace_if_changed(
        self, outlet_id: str, table: str, columns: tuple[str, ...], rows: list[tuple]
    ) -> None:
        if self._stored_as(outlet_id, table, columns, rows):
            return
        self.db.conn.execute(f"DELETE FROM {table} WHERE outlet_id = ?", (outlet_id,))
        self._insert_rows(outlet_id, table, columns, rows)

    def _stored_as(
        self, outlet_id: str, table: str, columns: tuple[str, ...], rows: list[tuple]
    ) -> bool:
        """Whether the outlet's rows of table are rows, in any order."""
        stored = self.db.conn.execute(
            f"SELECT {', '.join(columns)} FROM {table} WHERE outlet_id = ?", (outlet_id,)
        ).fetchall()
        return len(stored) == len(rows) and set(stored) == set(rows)

    def _insert_rows(
        self, outlet_id: str, table: str, columns: tuple[str, ...], rows: list[tuple]
    ) -> None:
        marks = ", ".join("?" * (len(columns) + 1))
        self.db.conn.executemany(
            f"INSERT INTO {table} (outlet_id, {', '.join(columns)}) VALUES ({marks})",
            [(outlet_id, *row) for row in rows],
        )

    def feed_pairs(self, outlet_id: str) -> list[tuple[str, str]]:
        """The feeds crawls found for the outlet: (URL, column id, "" for a site feed)."""
        rows = self._q("SELECT feeds FROM outlets WHERE id = ?", (outlet_id,))
        return [tuple(p) for p in json.loads(rows[0]["feeds"] or "[]")] if rows else []

    def column_facts(self, outlet_id: str, campaign: Campaign) -> list[ColumnFacts]:
        """The outlet's articles are read once, from indexes alone, with their topics in
        the same pass, and split by column here: a join per column and a correlated
        subquery per article, each row a dict, made the audit's reading 14 s over
        2,000,000 articles (issue 14)."""
        found, placed = self._column_evidence(outlet_id)
        listing = self.complete_listing(outlet_id)
        read = self._outlet_articles(outlet_id)
        facts = []
        for column in campaign.columns:
            cov, sources = self._coverage(outlet_id, column.id)
            arts = read.articles_of(column.id)
            on_topic, elsewhere = read.on_topic(column.id, arts)
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
                    read.undated_of(column.id),
                )
            )
        return facts

    def _coverage(self, outlet_id: str, column_id: str) -> tuple[tuple, tuple]:
        """The column's spans fully seen, and each with the listing that saw it."""
        rows = self.db.conn.execute(
            'SELECT start, "end", source, scope FROM coverage WHERE outlet_id = ? AND '
            "column_id = ? AND scope IS NOT NULL",  # rows of no decided scope prove nothing
            (outlet_id, column_id),
        ).fetchall()
        cov = tuple((from_iso(start), from_iso(end)) for start, end, _, _ in rows)
        sources = tuple(
            (s, e, _label({"source": r[2], "scope": r[3]}))
            for (s, e), r in zip(cov, rows, strict=True)
        )
        return cov, sources

    def _outlet_articles(self, outlet_id: str) -> OutletArticles:
        """The outlet's live articles, the ids its links file under each column (in the
        links' index order), the undated spans of its live undated articles, and each
        article's topic labels as stored. Read from indexes (m008, m012) and the
        predictions' key: no article row is read, however long its text; dates and
        topics in one pass over the outlet's articles, not two (issue 14)."""
        conn = self.db.conn
        removed = {
            i
            for (i,) in conn.execute(
                "SELECT id FROM articles INDEXED BY articles_live WHERE outlet_id = ? AND "
                "removed_at IS NOT NULL",
                (outlet_id,),
            )
        }
        ids, published, labels = _columns_of(
            conn.execute(
                # a person's correction wins over the model; joined here, as a separate
                # query it walked the outlet's articles once more (issue 14)
                "SELECT a.id, a.published, coalesce(c.labels, p.labels) FROM articles a "
                "INDEXED BY articles_published LEFT JOIN predictions p ON p.article_id = "
                "a.id LEFT JOIN corrections c ON c.article_id = a.id WHERE a.outlet_id = ?",
                (outlet_id,),
            ).fetchall(),
            3,
        )
        live = dict(zip(ids, published, strict=True))  # built in C, in the index's order
        for i in removed:
            live.pop(i, None)
        texts = dict(zip(ids, labels, strict=True))
        filed = self._filed(outlet_id, live, removed)
        return OutletArticles(live, filed, self._undated(outlet_id), texts)

    def _filed(self, outlet_id: str, live: dict, removed: set) -> dict[str, list[int]]:
        """Column id → the ids the outlet's links file under it, in the links' order; a
        link to another outlet's live article adds that article to live."""
        links = self.db.conn.execute(
            "SELECT column_id, article_id FROM article_columns WHERE outlet_id = ?",
            (outlet_id,),
        ).fetchall()
        filed: dict[str, list[int]] = {}
        for column_id, group in groupby(links, _first):  # the index gives them by column
            filed.setdefault(column_id, []).extend(map(_second, group))
        foreign = sorted(set(map(_second, links)).difference(live, removed))
        live.update(self._live_by_id(foreign))  # links to another outlet's article
        return filed

    def _undated(self, outlet_id: str) -> dict[int, tuple]:
        """The undated spans of the outlet's live undated articles, found through
        articles_published (published IS NULL): through articles_live every live
        article's row was read to test its date (issue 14)."""
        return {
            i: (from_iso(s), from_iso(e))
            for i, s, e in self.db.conn.execute(
                "SELECT id, undated_from, undated_to FROM articles INDEXED BY "
                "articles_published WHERE outlet_id = ? AND published IS NULL AND "
                "removed_at IS NULL AND undated_from IS NOT NULL",
                (outlet_id,),
            )
        }

    def _live_by_id(self, ids: list[int]) -> dict:
        found = {}
        for start in range(0, len(ids), 500):
            part = ids[start : start + 500]
            found.update(
                (i, published)
                for i, published in self.db.conn.execute(
                    "SELECT id, published FROM articles WHERE removed_at IS NULL AND id IN "
                    f"({', '.join('?' * len(part))})",
                    part,
                )
            )
        return found

    def _column_evidence(self, outlet_id: str) -> tuple[dict[str, str], dict[str, str]]:
        """Per column, the first evidence that it exists, and the operator's placement where
        the crawl has not seen the column yet (a config line is not proof of a column)."""
        names = {(t.kind, name_key(t.name)) for t in self.known_terms(outlet_id)}
        own = {
            r["column_id"]
            for r in self._q(
                "SELECT DISTINCT column_id FROM coverage WHERE outlet_id = ? AND scope IS NOT "
                "NULL AND scope NOT LIKE 'site-wide%'",
                (outlet_id,),
            )
        }
        found: dict[str, str] = {}
        placed: dict[str, str] = {}
        for r in self._q(
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
        rows = self._q(
            "SELECT listing, started_at FROM crawls WHERE outlet_id = ? AND listing != '' "
            "ORDER BY id DESC LIMIT 1",
            (outlet_id,),
        )
        return f"{rows[0]['listing']} read at {rows[0]['started_at']}" if rows else ""

    # -- topics ---------------------------------------------------------------------------

    def unclassified_batch(
        self,
        model_version: str,
        outlet_id: str | None = None,
        everything: bool = False,
        after: int = 0,
        limit: int = 1000,
    ) -> list[tuple[int, str, str, str | None]]:
        """The next `limit` articles after id `after` that the model has not seen (all
        of them with everything): (id, title, summary, the text's first 600 characters
        where the summary is empty). Read batch by batch: the whole list with every
        article's text took 7 GB at 2,000,000 articles (issue 14)."""
        return self.db.conn.execute(
            "SELECT a.id, a.title, a.summary, CASE WHEN a.summary IS NULL OR a.summary = '' "
            "THEN substr(a.text, 1, 600) END FROM articles a LEFT JOIN predictions p ON "
            "p.article_id = a.id WHERE a.id > ? AND (? IS NULL OR a.outlet_id = ?) AND "
            "(? OR p.model_version IS NULL OR p.model_version != ?) ORDER BY a.id LIMIT ?",
            (after, outlet_id, outlet_id, int(everything), model_version, limit),
        ).fetchall()

    def save_predictions(
        self, model_version: str, rows: list[tuple[int, dict, frozenset]], at: datetime
    ) -> None:
        """Tuples through executemany (sqlite-utils' upsert_all checked a dict per row)."""
        when = iso(at)
        with self.transaction():
            self.db.conn.executemany(
                "INSERT INTO predictions (article_id, model_version, probabilities, labels, "
                "at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (article_id) DO UPDATE SET "
                "model_version = excluded.model_version, probabilities = "
                "excluded.probabilities, labels = excluded.labels, at = excluded.at",
                [
                    (i, model_version, json.dumps(p), json.dumps(sorted(lb)), when)
                    for i, p, lb in rows
                ],
            )

    def correct(self, article_id: int, labels: list[str], by: str, at: datetime) -> None:
        if not self._q("SELECT 1 FROM articles WHERE id = ?", (article_id,)):
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

    def weak_labels(self) -> list[dict]:
        """Articles with a label from the store: a person's correction, else the columns
        the article was filed in."""
        return self._q(
            "SELECT a.id, a.title, a.summary, a.text, c.labels AS corrected, "
            "(SELECT json_group_array(ac.column_id) FROM article_columns ac "
            " WHERE ac.article_id = a.id) AS columns FROM articles a "
            "LEFT JOIN corrections c ON c.article_id = a.id WHERE a.removed_at IS NULL"
        )

    def review_candidates(self, outlet_id: str | None = None) -> list[dict]:
        """Live, classified, uncorrected articles with the columns they were filed in: what
        `auditor review` ranks."""
        where = "AND a.outlet_id = ?" if outlet_id else ""
        return self._q(
            "SELECT a.id, a.outlet_id, a.title, a.url, a.published, p.probabilities, "
            "p.labels, p.model_version, (SELECT json_group_array(ac.column_id) FROM "
            "article_columns ac WHERE ac.article_id = a.id) AS columns FROM articles a "
            "JOIN predictions p ON p.article_id = a.id LEFT JOIN corrections c ON "
            f"c.article_id = a.id WHERE a.removed_at IS NULL AND c.article_id IS NULL {where}",
            (outlet_id,) if outlet_id else (),
        )

    def topics_of(self, outlet_id: str) -> dict[int, frozenset[str]]:
        """Each article's topics: a person's correction wins over the model. The few
        distinct label lists are parsed once each, not once per article (issue 14)."""
        parse = functools.lru_cache(maxsize=1024)(lambda text: frozenset(json.loads(text)))
        topics = {
            i: parse(labels)
            for i, labels in self.db.conn.execute(
                "SELECT p.article_id, p.labels FROM predictions p JOIN articles a ON "
                "a.id = p.article_id WHERE a.outlet_id = ?",
                (outlet_id,),
            )
        }
        topics.update(
            {
                i: parse(labels)
                for i, labels in self.db.conn.execute(
                    "SELECT c.article_id, c.labels FROM corrections c JOIN articles a ON "
                    "a.id = c.article_id WHERE a.outlet_id = ?",
                    (outlet_id,),
                )
            }
        )
        return topics


_first, _second = itemgetter(0), itemgetter(1)
_instant = datetime.fromisoformat  # from_iso without its test: the value is never empty


def _label(row: dict) -> str:
    """A coverage row in words: which listing, and why it shows the column."""
    if row["source"] == "rest":
        return row["scope"]
    return f"{row['source'].removeprefix('feed:')} ({row['scope']})"


def _columns_of(rows: list[tuple], width: int) -> list[tuple]:
    """Rows turned into columns (made in C): one tuple of ids, one of dates..."""
    return list(zip(*rows, strict=True)) if rows else [()] * width


@dataclass
class OutletArticles:
    """What column_facts reads of one outlet, and its split by column. The loops run in
    C (map, compress, zip) where they can: they see every article of the store."""

    live: dict[int, str | None]  # live article id → published as stored (None: undated)
    filed: dict[str, list[int]]  # column id → the ids its links file under it
    undated: dict[int, tuple[datetime, datetime]]  # live undated article → its span
    labels: dict[int, str | None]  # the outlet's article id → its topics as stored (JSON)

    def articles_of(self, column_id: str) -> tuple[tuple[int, datetime], ...]:
        """(id, published) of the column's live dated articles, in the links' order."""
        filed = self.filed.get(column_id, ())
        ids = list(compress(filed, map(self.live.get, filed)))
        return tuple(zip(ids, map(_instant, map(self.live.__getitem__, ids)), strict=True))

    def undated_of(self, column_id: str) -> tuple[tuple[datetime, datetime], ...]:
        if not self.undated:
            return ()
        return tuple(self.undated[i] for i in self.filed.get(column_id, ()) if i in self.undated)

    def on_topic(self, column_id: str, arts: tuple) -> tuple[frozenset[int] | None, tuple]:
        """The column's articles on its topic, and the on-topic articles in no column;
        None and () when no article of the outlet has topics."""
        if not self.topics:
            return None, ()
        on = self.texts_with(column_id).__contains__
        ids = list(map(_first, arts))
        on_topic = frozenset(compress(ids, map(on, map(self.labels.get, ids))))
        out = self.outside
        elsewhere = compress(out, map(on, map(self.labels.get, out)))
        return on_topic, tuple((i, _instant(self.live[i])) for i in elsewhere)

    @functools.cached_property
    def outside(self) -> list[int]:
        """The live dated articles in no column. The store files an article only under
        its own outlet (relink), so "in no column" is decided by this outlet's links."""
        in_any = set().union(*self.filed.values())
        return list(filterfalse(in_any.__contains__, compress(self.live, self.live.values())))

    @functools.cached_property
    def topics(self) -> dict[str, frozenset[str]]:
        """Each distinct stored label list, parsed once: there are few (issue 14)."""
        return {t: frozenset(json.loads(t)) for t in set(self.labels.values()) if t is not None}

    def texts_with(self, column_id: str) -> frozenset[str]:
        """The stored label lists that name the column."""
        return frozenset(t for t, labels in self.topics.items() if column_id in labels)


_SOURCE_COLUMNS = ("column_id", "kind", "value", "rule", "evidence")
_LINK_COLUMNS = ("article_id", "column_id", "rule", "evidence")


def _source_rows(sources: dict[str, list[ColumnSource]]) -> list[tuple]:
    return _last_per_key(
        ((s.column_id, s.kind, s.value), (s.rule, s.evidence))
        for ss in sources.values()
        for s in ss
    )


def _link_rows(links: list[tuple[int, ColumnLink]]) -> list[tuple]:
    return _last_per_key(((i, lk.column_id), (lk.rule, lk.evidence)) for i, lk in links)


def _last_per_key(decided: Iterable[tuple[tuple, tuple]]) -> list[tuple]:
    """Rows as INSERT OR REPLACE would leave them: one per key, the last decided, in the
    order they were last decided."""
    kept: dict[tuple, tuple] = {}
    for key, rest in decided:
        kept.pop(key, None)
        kept[key] = rest
    return [key + rest for key, rest in kept.items()]
