"""Store, typed reads: what status, the weekly digest, the reports and the scheduler ask of
the store, by name, as values from auditor.types (no SQL and no column names above here)."""

from __future__ import annotations

import json
from datetime import datetime

from auditor.store.rows import from_iso, iso
from auditor.types import BannerSeen, CrawlRecord, FiledArticle, OutletStatus


class ReadRows:
    def latest_crawl(self, outlet_id: str) -> CrawlRecord | None:
        """The outlet's last crawl, or None if it was never crawled."""
        rows = self._q(
            "SELECT started_at, finished_at, status, error, requests, requests_by, new_articles, "
            "updated_articles, retry_after FROM crawls WHERE outlet_id = ? "
            "ORDER BY id DESC LIMIT 1",
            (outlet_id,),
        )
        if not rows:
            return None
        r = rows[0]
        return CrawlRecord(
            started_at=from_iso(r["started_at"]),
            finished_at=from_iso(r["finished_at"]),
            status=r["status"] or "",
            error=r["error"] or "",
            requests=r["requests"],
            requests_by=json.loads(r["requests_by"] or "{}"),
            new_articles=r["new_articles"],
            updated_articles=r["updated_articles"],
            retry_after=r["retry_after"],
        )

    def outlet_statuses(self) -> list[OutletStatus]:
        """Per stored outlet: its row, its last crawl and the scheduler's next run."""
        planned = self.schedule_rows()
        out = []
        for r in self.outlet_rows():  # one read with the counts (and its index, m012)
            last = self.latest_crawl(r["id"])
            out.append(
                OutletStatus(
                    id=r["id"],
                    name=r["name"],
                    kind=r["kind"],
                    url=r["url"],
                    group=r["grp"],
                    api_root=r["api_root"],
                    api_note=r["api_note"],
                    feeds=tuple(tuple(pair) for pair in json.loads(r["feeds"] or "[]")),
                    last_crawl_at=from_iso(r["last_crawl_at"]),
                    last_status=r["last_status"],
                    last_error=r["last_error"],
                    last_full_listing_at=from_iso(r["last_full_listing_at"]),
                    rest_cursor=from_iso(r["rest_cursor"]),
                    consecutive_failures=r["consecutive_failures"],
                    homepage_at=from_iso(r["homepage_at"]),
                    articles=r["articles"],
                    undated=r["undated"],
                    last_reached=from_iso(r["last_reached"]),
                    requests=r["requests"],
                    requests_by=last.requests_by if last else {},
                    seconds=last.seconds if last else None,
                    new_articles=last.new_articles if last else None,
                    updated_articles=last.updated_articles if last else None,
                    retry_after=last.retry_after if last else None,
                    next_run=from_iso(planned.get(f"crawl:{r['id']}", {}).get("next_run")),
                    # without a complete listing a column's existence is unknown, never "no"
                    column_listing=self.complete_listing(r["id"]),
                )
            )
        return out

    def banner_seen(self, outlet_id: str, until: datetime | None = None) -> list[BannerSeen]:
        """The outlet's banner checks up to `until`, oldest first."""
        return [
            BannerSeen(from_iso(r["checked_at"]), r["verdict"])
            for r in self._q(
                "SELECT checked_at, verdict FROM banner_checks WHERE outlet_id = ? AND "
                "(? IS NULL OR checked_at <= ?) ORDER BY checked_at",
                (outlet_id, iso(until), iso(until)),
            )
        ]

    def week_verdicts(self, run_id: int, outlet_id: str, week: str) -> dict[str, str]:
        """column id → the week's status in that audit run (columns not judged are absent)."""
        return {
            r["column_id"]: r["status"]
            for r in self._q(
                "SELECT column_id, status FROM week_results WHERE run_id = ? AND "
                "outlet_id = ? AND week = ?",
                (run_id, outlet_id, week),
            )
        }

    def filed_articles(self, outlet_id: str, start: datetime, end: datetime) -> list[FiledArticle]:
        """The outlet's live articles published in [start, end), with their columns."""
        return [
            FiledArticle(
                r["id"],
                r["title"] or "",
                r["url"] or "",
                from_iso(r["published"]),
                tuple(json.loads(r["columns"] or "[]")),
            )
            for r in self._q(
                "SELECT a.id, a.title, a.url, a.published, (SELECT json_group_array("
                "ac.column_id) FROM article_columns ac WHERE ac.article_id = a.id) AS columns "
                "FROM articles a WHERE a.outlet_id = ? AND a.removed_at IS NULL AND "
                "a.published >= ? AND a.published < ? ORDER BY a.published",
                (outlet_id, iso(start), iso(end)),
            )
        ]
