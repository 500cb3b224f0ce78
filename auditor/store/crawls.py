"""Store, crawl side: what a crawl needs to know before it starts, and writing its Harvest
whole in one transaction (articles merged across REST and feeds, coverage, terms)."""

from __future__ import annotations

import json
from datetime import datetime

from auditor.identity import keys
from auditor.store import fastsql as sql
from auditor.store.rows import OutletState, from_iso, iso
from auditor.text import name_key
from auditor.types import Article, Campaign, Coverage, Harvest, Term
from auditor.urls import canonical_url


class CrawlRows:
    # -- before a crawl -------------------------------------------------------------------

    def validators(self) -> dict[str, dict]:
        return {
            r["url"]: {"etag": r["etag"], "last_modified": r["last_modified"]}
            for r in self.q("SELECT * FROM http_cache")
        }

    def robots(self) -> dict[str, tuple[datetime, str]]:
        return {
            r["origin"]: (from_iso(r["fetched_at"]), r["body"] or "")
            for r in self.q("SELECT * FROM robots")
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

    def outlet_state(self, outlet_id: str) -> OutletState:
        rows = self.q("SELECT * FROM outlets WHERE id = ?", (outlet_id,))
        if not rows:
            return OutletState(coverage_end={})
        r = rows[0]
        ends = {
            c["source"]: from_iso(c["e"])
            for c in self.q(
                'SELECT source, max("end") AS e FROM coverage WHERE outlet_id = ? AND '
                "scope IS NOT NULL GROUP BY source",
                (outlet_id,),
            )
        }
        pairs = self._feed_pairs(outlet_id)
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
                for x in self.q(
                    "SELECT column_id, url FROM sections WHERE outlet_id = ?", (outlet_id,)
                )
            ),
            article_columns=self._article_columns(outlet_id),
            dated_urls=frozenset(
                x["url"]
                for x in self.q(
                    "SELECT url FROM articles WHERE outlet_id = ? AND published IS NOT NULL",
                    (outlet_id,),
                )
            ),
            terms=tuple(self.known_terms(outlet_id)),
        )

    def _article_columns(self, outlet_id: str) -> dict[str, frozenset[str]]:
        """Stored article URL → the columns its own listings or terms put it in."""
        out: dict[str, set[str]] = {}
        for r in self.q(
            "SELECT a.url, ac.column_id FROM article_columns ac JOIN articles a ON "
            "a.id = ac.article_id WHERE ac.outlet_id = ?",
            (outlet_id,),
        ):
            out.setdefault(canonical_url(r["url"]), set()).add(r["column_id"])
        return {url: frozenset(columns) for url, columns in out.items()}

    def known_terms(self, outlet_id: str) -> list[Term]:
        return [
            Term(r["kind"], r["name"], r["slug"] or "", r["term_id"], r["link"] or "")
            for r in self.q("SELECT * FROM terms WHERE outlet_id = ?", (outlet_id,))
        ]

    # -- after a crawl --------------------------------------------------------------------

    def save_harvest(self, h: Harvest, campaign: Campaign) -> dict:
        """Write one outlet's crawl whole, or not at all. Returns the crawl's counts."""
        with self.transaction():
            self._mark_removed(h)  # first: what it notes goes into the crawl row
            crawl_id = self._crawl_row(h)
            self._fetch_rows(h, crawl_id)
            self._outlet_row(h)
            self._cache_rows(h)
            self._term_rows(h)
            self._section_rows(h)
            new, updated = self._article_rows(h)
            self._coverage_rows(h)
            self._count_rows(h, crawl_id)
            self.relink(h.outlet, campaign)
            counts = {"new_articles": new, "updated_articles": updated}
            sql.update(self.db, "crawls", {"id": crawl_id}, counts)
        return {"crawl_id": crawl_id, "new": new, "updated": updated, "status": h.status}

    def _crawl_row(self, h: Harvest) -> int:
        return sql.insert(
            self.db,
            "crawls",
            {
                "outlet_id": h.outlet.id,
                "started_at": iso(h.started),
                "finished_at": iso(h.finished),
                "status": h.status,
                "error": "; ".join(h.errors),
                "notes": "; ".join(h.notes),
                "requests": len(h.records),
                "requests_by": json.dumps(h.requests_by()),
                "retry_after": h.retry_after,
                "listing": _listing(h),
                "bytes": sum(r.bytes for r in h.records),
                "new_articles": 0,
                "updated_articles": 0,
            },
        )

    def _fetch_rows(self, h: Harvest, crawl_id: int) -> None:
        sql.insert_many(
            self.db,
            "fetches",
            (
                {
                    "crawl_id": crawl_id,
                    "outlet_id": h.outlet.id,
                    "url": r.url,
                    "status": r.status,
                    "bytes": r.bytes,
                    "elapsed_ms": r.elapsed_ms,
                    "at": iso(r.at),
                    "error": r.error,
                    "attempt": r.attempt,
                    "purpose": r.purpose,
                }
                for r in h.records
            ),
        )

    def _outlet_row(self, h: Harvest) -> None:
        o = h.outlet
        # only the count is needed here, not the whole state (that reads every article)
        before = self.q("SELECT consecutive_failures AS n FROM outlets WHERE id = ?", (o.id,))
        failures = 0 if h.status == "ok" else ((before[0]["n"] or 0) if before else 0) + 1
        row = {
            "id": o.id,
            "name": o.name,
            "kind": o.kind,
            "url": o.url,
            "grp": o.group,
            "last_crawl_at": iso(h.started),
            "last_status": h.status,
            "last_error": "; ".join(h.errors),
            "consecutive_failures": failures,
        }
        if h.api_root or h.api_note:
            row.update(api_root=h.api_root, api_note=h.api_note)
        if h.feeds:
            row["feeds"] = json.dumps(sorted({(f.url, f.column_id) for f in h.feeds}))
        if h.full_listing:
            row["last_full_listing_at"] = iso(h.started)
        if h.homepage_read:
            row["homepage_at"] = iso(h.started)
        if h.rest_cursor:
            row["rest_cursor"] = iso(h.rest_cursor)
        sql.upsert_many(self.db, "outlets", [row], pk=("id",))

    def _cache_rows(self, h: Harvest) -> None:
        sql.upsert_many(
            self.db,
            "http_cache",
            (
                {
                    "url": url,
                    "etag": v.get("etag", ""),
                    "last_modified": v.get("last_modified", ""),
                    "at": iso(h.started),
                }
                for url, v in h.validators.items()
            ),
            pk=("url",),
        )

    def _term_rows(self, h: Harvest) -> None:
        if h.rest_terms_complete:
            self.db.execute(
                "DELETE FROM terms WHERE outlet_id = ? AND origin = 'rest'", (h.outlet.id,)
            )
        rows = {}
        for t in h.terms:
            rows[(t.kind, t.name)] = {
                "outlet_id": h.outlet.id,
                "kind": t.kind,
                "name": t.name,
                "slug": t.slug,
                "term_id": t.term_id,
                "link": t.link,
                "origin": "rest",
                "seen_at": iso(h.started),
            }
        for a, _ in h.articles:
            for t in a.terms:
                if t.name and (t.kind, t.name) not in rows and a.source == "rss":
                    rows[(t.kind, t.name)] = {
                        "outlet_id": h.outlet.id,
                        "kind": t.kind,
                        "name": t.name,
                        "slug": "",
                        "term_id": None,
                        "link": "",
                        "origin": "rss",
                        "seen_at": iso(h.started),
                    }
        sql.upsert_many(self.db, "terms", rows.values(), pk=("outlet_id", "kind", "name", "origin"))

    def _section_rows(self, h: Harvest) -> None:
        sql.upsert_many(
            self.db,
            "sections",
            (
                {
                    "outlet_id": h.outlet.id,
                    "column_id": x.column_id,
                    "url": x.url,
                    "evidence": x.evidence,
                    "found_at": iso(h.started),
                }
                for x in h.sections
            ),
            pk=("outlet_id", "column_id", "url"),
        )

    def _article_rows(self, h: Harvest) -> tuple[int, int]:
        """Each record joins the stored article that shares any of its keys (URLs, guid,
        WordPress id); stored articles that one record shows to be one are folded."""
        new = updated = 0
        for article, feed in h.articles:
            found = self._find_articles(h.outlet.id, article)
            existing = self._fold(found) if len(found) > 1 else (found[0] if found else None)
            row = _merge(existing, article, feed, h)
            if existing is None:
                article_id = sql.insert(self.db, "articles", row)
                new += 1
            else:
                article_id = existing["id"]
                changed = len(found) > 1 or any(row[k] != existing[k] for k in _CHANGES)
                sql.update(self.db, "articles", {"id": article_id}, row)
                updated += changed
            self._save_keys(h.outlet.id, article_id, keys(article))
        return new, updated

    def _find_articles(self, outlet_id: str, a: Article) -> list[dict]:
        ks = sorted(keys(a))
        marks = ", ".join("?" * len(ks))
        return self.q(
            f"SELECT * FROM articles WHERE outlet_id = ? AND (url = ? OR id IN (SELECT "
            f"article_id FROM article_keys WHERE outlet_id = ? AND key IN ({marks}))) "
            "ORDER BY id",
            (outlet_id, a.url, outlet_id, *ks),
        )

    def _save_keys(self, outlet_id: str, article_id: int, ks: set[str]) -> None:
        self.db.conn.executemany(
            "INSERT OR REPLACE INTO article_keys (outlet_id, key, article_id) VALUES (?, ?, ?)",
            [(outlet_id, k, article_id) for k in sorted(ks)],
        )

    def _fold(self, rows: list[dict]) -> dict:
        """Stored rows found to be one article become the oldest row; a person's topic
        correction moves with it, predictions and column links are recomputed."""
        keep = dict(rows[0])
        for other in rows[1:]:
            keep = _combine(keep, other)
            old, new = other["id"], keep["id"]
            self.db.execute(
                "UPDATE article_keys SET article_id = ? WHERE article_id = ?", (new, old)
            )
            if self.q("SELECT 1 FROM corrections WHERE article_id = ?", (new,)):
                self.db.execute("DELETE FROM corrections WHERE article_id = ?", (old,))
            else:
                self.db.execute(
                    "UPDATE corrections SET article_id = ? WHERE article_id = ?", (new, old)
                )
            for table in ("predictions", "article_columns"):
                self.db.execute(f"DELETE FROM {table} WHERE article_id = ?", (old,))
            self.db.execute("DELETE FROM articles WHERE id = ?", (old,))
        self.db["articles"].update(keep["id"], {k: v for k, v in keep.items() if k != "id"})
        return keep

    def _count_rows(self, h: Harvest, crawl_id: int) -> None:
        undated = self.q(
            "SELECT count(*) AS n FROM articles WHERE outlet_id = ? AND published IS NULL "
            "AND removed_at IS NULL",
            (h.outlet.id,),
        )[0]["n"]
        sql.update(self.db, "crawls", {"id": crawl_id}, {"undated": undated, "skipped": h.skipped})

    def _mark_removed(self, h: Harvest) -> None:
        """A complete REST listing is the truth: posts missing from it were unpublished.
        Unless it would drop more than a fifth of them at once: a caching plugin or a
        broken server answering a short listing must not erase an outlet's history."""
        if h.rest_ids is None:
            return
        known = self.q(
            "SELECT id, wp_id FROM articles WHERE outlet_id = ? AND removed_at IS "
            "NULL AND wp_id IS NOT NULL AND sources LIKE '%rest%'",
            (h.outlet.id,),
        )
        gone = [r["id"] for r in known if r["wp_id"] not in h.rest_ids]
        if len(gone) > max(5, len(known) // 5):
            h.notes.append(
                f"REST listing lacks {len(gone)} of {len(known)} known posts; "
                "not marking them removed"
            )
            return
        for article_id in gone:
            self.db["articles"].update(article_id, {"removed_at": iso(h.started)})

    def _coverage_rows(self, h: Harvest) -> None:
        end = iso(h.finished or h.started)
        for column_id, source in h.withdrawn:  # what it claimed is not proven after all
            self.db.execute(
                "DELETE FROM coverage WHERE outlet_id = ? AND column_id = ? AND source = ?",
                (h.outlet.id, column_id, source),
            )
        for source in h.not_modified:
            self.db.execute(
                'UPDATE coverage SET "end" = max("end", ?) WHERE outlet_id = ? AND '
                'source = ? AND "end" = (SELECT max("end") FROM coverage c2 WHERE '
                "c2.outlet_id = coverage.outlet_id AND c2.column_id = "
                "coverage.column_id AND c2.source = coverage.source)",
                (end, h.outlet.id, source),
            )
        for c in h.coverage:
            self._add_coverage(h.outlet.id, c)

    def _add_coverage(self, outlet_id: str, c: Coverage) -> None:
        start, end = iso(c.start), iso(c.end)
        rows = self.q(
            'SELECT id, start, "end" FROM coverage WHERE outlet_id = ? AND '
            'column_id = ? AND source = ? AND "end" >= ? AND start <= ? AND scope IS NOT NULL',
            (outlet_id, c.column_id, c.source, start, end),
        )
        if not rows:
            self.db["coverage"].insert(
                {
                    "outlet_id": outlet_id,
                    "column_id": c.column_id,
                    "start": start,
                    "end": end,
                    "source": c.source,
                    "scope": c.scope,
                }
            )
            return
        keep = rows[0]
        self.db["coverage"].update(
            keep["id"],
            {
                "start": min([start, *(r["start"] for r in rows)]),
                "end": max([end, *(r["end"] for r in rows)]),
                "scope": c.scope,
            },
        )
        for r in rows[1:]:
            self.db["coverage"].delete(r["id"])


# Fewer menu links than this on a homepage is no complete listing of its sections.
MIN_MENU_LINKS = 3


def _listing(h: Harvest) -> str:
    """What this crawl saw a complete listing of, if anything: a column missing from it
    can be called absent (`no`); without one, its existence is unknown."""
    if h.rest_terms_complete:
        return "REST categories and tags"
    if h.menu_links >= MIN_MENU_LINKS:
        return f"homepage menu ({h.menu_links} links)"
    return ""


_CHANGES = ("title", "published", "modified", "terms", "text", "removed_at", "aliases")


def _merge(existing: dict | None, a: Article, feed: str, h: Harvest) -> dict:
    """One row for every copy of an article: REST wins on dates and title; among feed
    copies, one modified later than the stored row brings its title."""
    old = existing or {}
    rest = a.source == "rest"
    sources = sorted(set(json.loads(old.get("sources") or "[]")) | {a.source})
    feeds = sorted(set(json.loads(old.get("feeds") or "[]")) | ({feed} if feed else set()))
    keep_old_dates = not rest and "rest" in sources and old.get("published")
    newer = bool(a.modified) and (not old.get("modified") or iso(a.modified) > old["modified"])
    take_title = rest or not old.get("title") or (newer and "rest" not in sources)
    url = old.get("url") or a.url
    published = old["published"] if keep_old_dates else (iso(a.published) or old.get("published"))
    return {
        "outlet_id": h.outlet.id,
        "url": url,
        "aliases": _aliases(old, a, url),
        "guid": old.get("guid") or a.guid,
        "wp_id": a.wp_id if a.wp_id is not None else old.get("wp_id"),
        "title": a.title if take_title else old["title"],
        "summary": _longer(old.get("summary"), a.summary),
        "text": _longer(old.get("text"), a.text),
        "published": published,
        "modified": max(filter(None, [old.get("modified"), iso(a.modified)]), default=None),
        "terms": json.dumps(
            _merge_terms(json.loads(old.get("terms") or "[]"), a.terms, rest), ensure_ascii=False
        ),
        "sources": json.dumps(sources),
        "feeds": json.dumps(feeds),
        "first_seen": old.get("first_seen") or iso(h.started),
        "last_seen": iso(h.started),
        "removed_at": None,
        **_undated_span(old, h.undated_spans.get(a.url), published),
    }


def _aliases(old: dict, a: Article, url: str) -> str:
    known = set(json.loads(old.get("aliases") or "[]")) | {a.url, *a.aliases}
    return json.dumps(sorted(known - {url}))


def _undated_span(old: dict, span: tuple | None, published: str | None) -> dict:
    """Where an undated article may lie: the union of the listings that showed it."""
    if published:
        return {"undated_from": None, "undated_to": None}
    starts = [x for x in (old.get("undated_from"), span and iso(span[0])) if x]
    ends = [x for x in (old.get("undated_to"), span and iso(span[1])) if x]
    return {"undated_from": min(starts, default=None), "undated_to": max(ends, default=None)}


def _combine(keep: dict, other: dict) -> dict:
    """Two stored rows of one article as one (keep is the older row; a REST copy's dates
    and title win as in _merge)."""
    merged = dict(keep)
    for k in ("sources", "feeds"):
        merged[k] = json.dumps(sorted(set(_list(keep, k)) | set(_list(other, k))))
    urls = set(_list(keep, "aliases")) | set(_list(other, "aliases")) | {other["url"]}
    merged["aliases"] = json.dumps(sorted(urls - {keep["url"]}))
    for k in ("guid", "wp_id", "title", "published", "undated_from", "undated_to"):
        if not merged.get(k) and other.get(k):
            merged[k] = other[k]
    if "rest" in _list(other, "sources") and "rest" not in _list(keep, "sources"):
        merged["published"], merged["title"] = other["published"], other["title"]
    merged["summary"] = _longer(keep.get("summary"), other.get("summary"))
    merged["text"] = _longer(keep.get("text"), other.get("text"))
    merged["modified"] = max(
        filter(None, [keep.get("modified"), other.get("modified")]), default=None
    )
    merged["first_seen"] = min(filter(None, [keep.get("first_seen"), other.get("first_seen")]))
    terms = _list(keep, "terms")
    merged["terms"] = json.dumps(
        terms + [t for t in _list(other, "terms") if t not in terms], ensure_ascii=False
    )
    if merged["published"]:
        merged["undated_from"] = merged["undated_to"] = None
    if keep.get("removed_at") is None or other.get("removed_at") is None:
        merged["removed_at"] = None
    return merged


def _list(row: dict, key: str) -> list:
    return json.loads(row.get(key) or "[]")


def _longer(a: str | None, b: str | None) -> str:
    return max(a or "", b or "", key=len)


def _merge_terms(old: list, new: tuple[Term, ...], authoritative: bool) -> list:
    """REST terms replace what REST said before; feed categories are added by name."""
    kept = [t for t in old if not (authoritative and t.get("origin") == "rest")]
    names = {(t["kind"], name_key(t["name"])) for t in kept if t.get("name")}
    for t in new:
        if t.name and (t.kind, name_key(t.name)) in names:
            continue
        names.add((t.kind, name_key(t.name)))
        kept.append(
            {
                "kind": t.kind,
                "name": t.name,
                "slug": t.slug,
                "term_id": t.term_id,
                "origin": "rest" if authoritative else "rss",
            }
        )
    return kept
