"""Store, crawl side: what a crawl needs to know before it starts, what its rules read
after it (the stored rows an article matches, the live REST posts), and the writes of its
decided rows, all inside the one transaction crawl/save.py opens per outlet."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime

from auditor.errors import StoreError
from auditor.store import fastsql as sql
from auditor.store.rows import from_iso, iso
from auditor.types import (
    Coverage,
    CoverageJoin,
    CoverageSpan,
    NewCrawl,
    OutletState,
    OutletUpdate,
    RequestRecord,
    SectionSeen,
    Term,
)
from auditor.urls import canonical_url


class CrawlRows:
    # -- before a crawl -------------------------------------------------------------------

    def validators(self) -> dict[str, dict]:
        return {
            r["url"]: {"etag": r["etag"], "last_modified": r["last_modified"]}
            for r in self._q("SELECT * FROM http_cache")
        }

    def robots(self) -> dict[str, tuple[datetime, str]]:
        return {
            r["origin"]: (from_iso(r["fetched_at"]), r["body"] or "")
            for r in self._q("SELECT * FROM robots")
        }

    def save_robots(self, fresh: dict[str, tuple[datetime, str]]) -> None:
        if not fresh:
            return
        with self.transaction():
            self.db["robots"].upsert_all(
                (
                    {"origin": o, "fetched_at": iso(at), "body": body}
                    for o, (at, body) in fresh.items()
                ),
                pk="origin",
            )

    def known_urls(self) -> dict[str, list[str]]:
        """Per outlet, the URLs earlier crawls found for it (its feeds, API root and
        section pages): their hosts are the outlet's too (crawl/procs.py shares outlets
        out by site)."""
        found: dict[str, list[str]] = {}
        for r in self._q("SELECT id, api_root, feeds FROM outlets"):
            urls = [url for url, _ in json.loads(r["feeds"] or "[]")]
            found[r["id"]] = [*urls, r["api_root"]] if r["api_root"] else urls
        for r in self._q("SELECT outlet_id, url FROM sections"):
            found.setdefault(r["outlet_id"], []).append(r["url"])
        return found

    def outlet_state(self, outlet_id: str) -> OutletState:
        rows = self._q("SELECT * FROM outlets WHERE id = ?", (outlet_id,))
        if not rows:
            return OutletState(coverage_end={})
        r = rows[0]
        ends = {
            c["source"]: from_iso(c["e"])
            for c in self._q(
                'SELECT source, max("end") AS e FROM coverage WHERE outlet_id = ? AND '
                "scope IS NOT NULL GROUP BY source",
                (outlet_id,),
            )
        }
        pairs = self.feed_pairs(outlet_id)
        site_feeds = tuple(url for url, column in pairs if not column)
        return OutletState(
            api_root=r["api_root"] or "",
            api_note=r["api_note"] or "",
            feeds=site_feeds,
            column_feeds=tuple((url, column) for url, column in pairs if column),
            last_full_listing=from_iso(r["last_full_listing_at"]),
            rest_cursor=from_iso(r["rest_cursor"]),
            coverage_end=ends,
            consecutive_failures=r["consecutive_failures"] or 0,
            homepage_at=from_iso(r["homepage_at"]),
            sections=tuple(
                (x["column_id"], x["url"])
                for x in self._q(
                    "SELECT column_id, url FROM sections WHERE outlet_id = ?", (outlet_id,)
                )
            ),
            article_columns=self._article_columns(outlet_id),
            dated_urls=frozenset(
                x["url"]
                for x in self._q(
                    "SELECT url FROM articles WHERE outlet_id = ? AND published IS NOT NULL",
                    (outlet_id,),
                )
            ),
            terms=tuple(self.known_terms(outlet_id)),
        )

    def _article_columns(self, outlet_id: str) -> dict[str, frozenset[str]]:
        """Stored article URL → the columns its own listings or terms put it in."""
        out: dict[str, set[str]] = {}
        for r in self._q(
            "SELECT a.url, ac.column_id FROM article_columns ac JOIN articles a ON "
            "a.id = ac.article_id WHERE ac.outlet_id = ?",
            (outlet_id,),
        ):
            out.setdefault(canonical_url(r["url"]), set()).add(r["column_id"])
        return {url: frozenset(columns) for url, columns in out.items()}

    def known_terms(self, outlet_id: str) -> list[Term]:
        """In one order always: the sources resolved from them come out in it, and a
        link's evidence is its first matching source's (save.relink compares sources as
        stored, unordered, before it keeps the links of the articles a poll did not write)."""
        sql = "SELECT * FROM terms WHERE outlet_id = ? ORDER BY kind, name, origin"
        return [
            Term(r["kind"], r["name"], r["slug"] or "", r["term_id"], r["link"] or "")
            for r in self._q(sql, (outlet_id,))
        ]

    # -- after a crawl --------------------------------------------------------------------

    # Each write below runs inside the caller's transaction (crawl/save.py opens it), so
    # that one outlet's crawl is written whole or not at all; the rules have decided
    # every value it writes.

    def count_articles(self, crawl_id: int, new: int, updated: int) -> None:
        self._writing()
        sql.update(
            self.db, "crawls", {"id": crawl_id}, {"new_articles": new, "updated_articles": updated}
        )

    def _writing(self) -> None:
        """Writes of a crawl never commit piecemeal: outside a transaction they refuse."""
        if not self.db.conn.in_transaction:
            raise StoreError(f"{self.path}: a crawl's rows are written inside store.transaction()")

    def insert_crawl(self, c: NewCrawl) -> int:
        """The crawl's own row; returns its id."""
        self._writing()
        return sql.insert(
            self.db,
            "crawls",
            {
                "outlet_id": c.outlet_id,
                "started_at": iso(c.started),
                "finished_at": iso(c.finished),
                "status": c.status,
                "error": c.error,
                "notes": c.notes,
                "requests": c.requests,
                "requests_by": json.dumps(c.requests_by),
                "retry_after": c.retry_after,
                "listing": c.listing,
                "bytes": c.bytes,
                "new_articles": 0,
                "updated_articles": 0,
            },
        )

    def save_fetches(self, crawl_id: int, outlet_id: str, records: list[RequestRecord]) -> None:
        self._writing()
        sql.insert_many(
            self.db,
            "fetches",
            (
                {
                    "crawl_id": crawl_id,
                    "outlet_id": outlet_id,
                    "url": r.url,
                    "status": r.status,
                    "bytes": r.bytes,
                    "elapsed_ms": r.elapsed_ms,
                    "at": iso(r.at),
                    "error": r.error,
                    "attempt": r.attempt,
                    "purpose": r.purpose,
                }
                for r in records
            ),
        )

    def failure_count(self, outlet_id: str) -> int:
        """The outlet's stored count of failed crawls in a row (outlet_state has it too,
        but reads every article)."""
        rows = self._q("SELECT consecutive_failures AS n FROM outlets WHERE id = ?", (outlet_id,))
        return (rows[0]["n"] or 0) if rows else 0

    def save_outlet(self, r: OutletUpdate) -> None:
        self._writing()
        o = r.outlet
        row = {
            "id": o.id,
            "name": o.name,
            "kind": o.kind,
            "url": o.url,
            "grp": o.group,
            "last_crawl_at": iso(r.crawled_at),
            "last_status": r.status,
            "last_error": r.error,
            "consecutive_failures": r.failures,
        }
        if r.api is not None:
            row.update(api_root=r.api[0], api_note=r.api[1])
        if r.feeds is not None:
            row["feeds"] = json.dumps(r.feeds)
        if r.full_listing_at:
            row["last_full_listing_at"] = iso(r.full_listing_at)
        if r.homepage_at:
            row["homepage_at"] = iso(r.homepage_at)
        if r.rest_cursor:
            row["rest_cursor"] = iso(r.rest_cursor)
        sql.upsert_many(self.db, "outlets", [row], pk=("id",))

    def save_validators(self, validators: dict[str, dict], at: datetime) -> None:
        self._writing()
        sql.upsert_many(
            self.db,
            "http_cache",
            (
                {
                    "url": url,
                    "etag": v.get("etag", ""),
                    "last_modified": v.get("last_modified", ""),
                    "at": iso(at),
                }
                for url, v in validators.items()
            ),
            pk=("url",),
        )

    def save_terms(
        self, outlet_id: str, terms: list[tuple[str, Term]], at: datetime, replace_rest: bool
    ) -> None:
        """The terms a crawl kept, (origin, term) as terms.kept_terms decided; replace_rest:
        the REST terms stored before go first."""
        self._writing()
        if replace_rest:
            self.db.execute(
                "DELETE FROM terms WHERE outlet_id = ? AND origin = 'rest'", (outlet_id,)
            )
        rows = (
            {
                "outlet_id": outlet_id,
                "kind": t.kind,
                "name": t.name,
                "slug": t.slug,
                "term_id": t.term_id,
                "link": t.link,
                "origin": origin,
                "seen_at": iso(at),
            }
            for origin, t in terms
        )
        sql.upsert_many(self.db, "terms", rows, pk=("outlet_id", "kind", "name", "origin"))

    def put_sections(self, outlet_id: str, sections: list[SectionSeen], at: datetime) -> None:
        """The menu sections a crawl found, inside its transaction."""
        self._writing()
        self._put_sections(outlet_id, sections, at)

    def save_sections(self, outlet_id: str, sections: list[SectionSeen], at: datetime) -> None:
        """Menu sections found outside a crawl (`discover --all`)."""
        with self.transaction():
            self._put_sections(outlet_id, sections, at)

    def _put_sections(self, outlet_id: str, sections: list[SectionSeen], at: datetime) -> None:
        sql.upsert_many(
            self.db,
            "sections",
            (
                {
                    "outlet_id": outlet_id,
                    "column_id": x.column_id,
                    "url": x.url,
                    "evidence": x.evidence,
                    "found_at": iso(at),
                }
                for x in sections
            ),
            pk=("outlet_id", "column_id", "url"),
        )

    def insert_article(self, row: dict) -> int:
        """A decided `articles` row (merge.py) for an article not stored before."""
        self._writing()
        return sql.insert(self.db, "articles", row)

    def update_article(self, article_id: int, row: dict) -> None:
        self._writing()
        sql.update(self.db, "articles", {"id": article_id}, row)

    def articles_matching(self, outlet_id: str, url: str, ks: set[str]) -> list[dict]:
        """Stored rows of the URL or sharing any of the article's keys (identity.keys:
        URLs, guid, WordPress id), oldest first."""
        ks = sorted(ks)
        marks = ", ".join("?" * len(ks))
        return self._q(
            f"SELECT * FROM articles WHERE outlet_id = ? AND (url = ? OR id IN (SELECT "
            f"article_id FROM article_keys WHERE outlet_id = ? AND key IN ({marks}))) "
            "ORDER BY id",
            (outlet_id, url, outlet_id, *ks),
        )

    def save_keys(self, outlet_id: str, article_id: int, ks: set[str]) -> None:
        self._writing()
        self.db.conn.executemany(
            "INSERT OR REPLACE INTO article_keys (outlet_id, key, article_id) VALUES (?, ?, ?)",
            [(outlet_id, k, article_id) for k in sorted(ks)],
        )

    def fold_articles(self, keep: dict, others: list[int]) -> None:
        """Stored rows found to be one article become the oldest row (keep, as merge.fold
        decided it); a person's topic correction moves with it, predictions and column
        links are recomputed."""
        self._writing()
        new = keep["id"]
        for old in others:
            self.db.execute(
                "UPDATE article_keys SET article_id = ? WHERE article_id = ?", (new, old)
            )
            if self._q("SELECT 1 FROM corrections WHERE article_id = ?", (new,)):
                self.db.execute("DELETE FROM corrections WHERE article_id = ?", (old,))
            else:
                self.db.execute(
                    "UPDATE corrections SET article_id = ? WHERE article_id = ?", (new, old)
                )
            for table in ("predictions", "article_columns"):
                self.db.execute(f"DELETE FROM {table} WHERE article_id = ?", (old,))
            self.db.execute("DELETE FROM articles WHERE id = ?", (old,))
        self.db["articles"].update(new, {k: v for k, v in keep.items() if k != "id"})

    def count_undated(self, crawl_id: int, outlet_id: str, skipped: int) -> None:
        """The outlet's undated articles after the crawl, and the entries it skipped."""
        self._writing()
        undated = self._q(
            "SELECT count(*) AS n FROM articles WHERE outlet_id = ? AND published IS NULL "
            "AND removed_at IS NULL",
            (outlet_id,),
        )[0]["n"]
        sql.update(self.db, "crawls", {"id": crawl_id}, {"undated": undated, "skipped": skipped})

    def live_rest_posts(self, outlet_id: str) -> dict[int, int]:
        """Stored posts a REST listing showed and none has marked removed: article id →
        WordPress id (what merge.removals weighs a new complete listing against)."""
        known = self._q(
            "SELECT id, wp_id FROM articles WHERE outlet_id = ? AND removed_at IS "
            "NULL AND wp_id IS NOT NULL AND sources LIKE '%rest%'",
            (outlet_id,),
        )
        return {r["id"]: r["wp_id"] for r in known}

    def mark_removed(self, article_ids: Iterable[int], at: datetime) -> None:
        self._writing()
        for article_id in article_ids:
            self.db["articles"].update(article_id, {"removed_at": iso(at)})

    def withdraw_coverage(self, outlet_id: str, pairs: Iterable[tuple[str, str]]) -> None:
        """(column id, source): coverage the crawl found unfounded after all."""
        self._writing()
        for column_id, source in pairs:
            self.db.execute(
                "DELETE FROM coverage WHERE outlet_id = ? AND column_id = ? AND source = ?",
                (outlet_id, column_id, source),
            )

    def extend_coverage(self, outlet_id: str, sources: Iterable[str], end: datetime) -> None:
        """Sources that answered "not modified": each column's latest span from them now
        reaches `end`."""
        self._writing()
        for source in sources:
            self.db.execute(
                'UPDATE coverage SET "end" = max("end", ?) WHERE outlet_id = ? AND '
                'source = ? AND "end" = (SELECT max("end") FROM coverage c2 WHERE '
                "c2.outlet_id = coverage.outlet_id AND c2.column_id = "
                "coverage.column_id AND c2.source = coverage.source)",
                (iso(end), outlet_id, source),
            )

    def coverage_touching(self, outlet_id: str, c: Coverage) -> list[CoverageSpan]:
        """The stored spans of c's column and source (of a decided scope) that overlap or
        touch it, in the store's order (what coverage.join_span joins it with)."""
        rows = self._q(
            'SELECT id, start, "end" FROM coverage WHERE outlet_id = ? AND '
            'column_id = ? AND source = ? AND "end" >= ? AND start <= ? AND scope IS NOT NULL',
            (outlet_id, c.column_id, c.source, iso(c.start), iso(c.end)),
        )
        return [CoverageSpan(r["id"], from_iso(r["start"]), from_iso(r["end"])) for r in rows]

    def save_coverage_span(self, outlet_id: str, j: CoverageJoin) -> None:
        """A covered span as coverage.join_span decided: a new row, or a stored one
        widened and the rows it swallowed deleted."""
        self._writing()
        c = j.coverage
        if j.keep is None:
            sql.insert(
                self.db,
                "coverage",
                {
                    "outlet_id": outlet_id,
                    "column_id": c.column_id,
                    "start": iso(c.start),
                    "end": iso(c.end),
                    "source": c.source,
                    "scope": c.scope,
                },
            )
            return
        sql.update(
            self.db,
            "coverage",
            {"id": j.keep},
            {"start": iso(c.start), "end": iso(c.end), "scope": c.scope},
        )
        for row_id in j.drop:
            self.db.conn.execute("DELETE FROM coverage WHERE id = ?", (row_id,))
