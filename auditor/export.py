"""Rows → CSV: UTF-8 with BOM (so Excel shows Vietnamese), formula-safe cells."""

from __future__ import annotations

import csv
import functools
import json
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice, repeat
from zoneinfo import ZoneInfo

from auditor import labels as words

WEEKLY = (
    "outlet_id",
    "outlet_name",
    "column_id",
    "column_name",
    "week",
    "week_start",
    "week_end",
    "articles",
    "required",
    "status",
    "on_topic",
    "article_urls",
    "covered_by",
)
OUTLET_HEAD = ("outlet_id", "outlet_name", "kind")
OUTLET_PER_COLUMN = (
    "exists",
    "found_by",
    "first_article",
    "timeliness",
    "weeks_met",
    "weeks_judged",
    "off_topic",
    "on_topic_elsewhere",
    "finding",
)
OUTLET_TAIL = (
    "banner_days_checked",
    "banner_days_present",
    "banner_share",
    "banner_first_seen",
    "banner_last_seen",
    "last_crawl_at",
    "last_crawl_status",
    "last_error",
    "last_reached",
    "undated_articles",
)
ARTICLES = (
    "outlet_id",
    "article_id",
    "published",
    "title",
    "url",
    "sources",
    "columns",
    "evidence",
    "topics",
    "topic_probabilities",
    "person_topics",
    "model_version",
)
# Instants stored in UTC, shown in the campaign's zone (named once, in the header)
TIME_FIELDS = ("published", "last_crawl_at", "last_reached")

LABELS = {
    "vi": {
        "outlet_id": "Mã đơn vị",
        "outlet_name": "Tên đơn vị",
        "kind": "Loại hình",
        "column_id": "Mã chuyên mục",
        "column_name": "Tên chuyên mục",
        "week": "Tuần",
        "week_start": "Từ ngày",
        "week_end": "Đến ngày",
        "articles": "Số bài",
        "required": "Số bài tối thiểu",
        "status": "Kết quả",
        "article_urls": "Các bài",
        "exists": "Có chuyên mục",
        "found_by": "Căn cứ",
        "first_article": "Bài đầu tiên",
        "timeliness": "Đúng hạn",
        "weeks_met": "Số tuần đạt",
        "weeks_missed": "Số tuần không đạt",
        "weeks_unknown": "Số tuần chưa rõ",
        "weeks_judged": "Số tuần đã xét",
        "last_crawl_at": "Lần thu thập gần nhất",
        "last_crawl_status": "Tình trạng thu thập",
        "last_error": "Lỗi",
        "last_reached": "Lần truy cập được gần nhất",
        "undated_articles": "Số bài không rõ ngày đăng",
        "article_id": "Mã bài",
        "published": "Ngày đăng",
        "title": "Tiêu đề",
        "url": "Địa chỉ",
        "sources": "Nguồn",
        "columns": "Chuyên mục",
        "evidence": "Căn cứ xếp chuyên mục",
        "topics": "Chủ đề (mô hình)",
        "topic_probabilities": "Xác suất từng chủ đề",
        "person_topics": "Chủ đề (người gán)",
        "model_version": "Phiên bản mô hình",
        "on_topic": "Số bài đúng chủ đề",
        "covered_by": "Nguồn đã xem trọn tuần",
        "off_topic": "Số bài lạc chủ đề",
        "on_topic_elsewhere": "Bài đúng chủ đề đăng ngoài chuyên mục",
        "finding": "Nhận định",
        "banner_days_checked": "Số ngày kiểm tra banner",
        "banner_days_present": "Số ngày có banner",
        "banner_share": "Tỷ lệ ngày có banner",
        "banner_first_seen": "Ngày đầu thấy banner",
        "banner_last_seen": "Ngày cuối thấy banner",
    },
    "en": {
        "outlet_id": "Outlet ID",
        "outlet_name": "Outlet",
        "kind": "Kind",
        "column_id": "Column ID",
        "column_name": "Column",
        "week": "Week",
        "week_start": "Week start",
        "week_end": "Week end",
        "articles": "Articles",
        "required": "Required",
        "status": "Status",
        "article_urls": "Articles (URLs)",
        "exists": "Column exists",
        "found_by": "Evidence",
        "first_article": "First article",
        "timeliness": "On time",
        "weeks_met": "Weeks met",
        "weeks_missed": "Weeks missed",
        "weeks_unknown": "Weeks unknown",
        "weeks_judged": "Weeks judged",
        "last_crawl_at": "Last crawl",
        "last_crawl_status": "Last crawl status",
        "last_error": "Last error",
        "last_reached": "Last reached",
        "undated_articles": "Articles without a date",
        "article_id": "Article ID",
        "published": "Published",
        "title": "Title",
        "url": "URL",
        "sources": "Sources",
        "columns": "Columns",
        "evidence": "Column evidence",
        "topics": "Topics (model)",
        "topic_probabilities": "Topic probabilities",
        "person_topics": "Topics (person)",
        "model_version": "Model version",
        "on_topic": "On topic",
        "covered_by": "Listings that showed the whole week",
        "off_topic": "Off topic in column",
        "on_topic_elsewhere": "On topic outside any column",
        "finding": "Finding",
        "banner_days_checked": "Banner: days checked",
        "banner_days_present": "Banner: days seen",
        "banner_share": "Banner: share of days",
        "banner_first_seen": "Banner: first seen",
        "banner_last_seen": "Banner: last seen",
    },
}

# A spreadsheet runs a cell that starts with one of these as a formula (OWASP "CSV injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def outlet_columns(column_ids: Sequence[str]) -> list[str]:
    per_column = [f"{c}__{field}" for c in column_ids for field in OUTLET_PER_COLUMN]
    return [*OUTLET_HEAD, *per_column, *OUTLET_TAIL]


def label(
    column: str, labels: str | None, column_names: dict[str, str], tz: ZoneInfo | None = None
) -> str:
    if not labels:
        return column
    if "__" in column:
        column_id, field = column.split("__", 1)
        return f"{column_names.get(column_id, column_id)}: {LABELS[labels][field]}"
    text = LABELS[labels].get(column, column)
    return f"{text} {words.zone_note(tz, labels)}" if tz and column in TIME_FIELDS else text


def to_csv(
    columns: Sequence[str],
    rows: Iterable[dict],
    labels: str | None = None,
    column_names: dict[str, str] | None = None,
    tz: ZoneInfo | None = None,
) -> str:
    """Header of machine ids, or of labels; with labels, values in words too. With tz,
    instants are shown in that zone (ISO 8601 with offset for scripts)."""
    return "".join(csv_chunks(columns, rows, labels, column_names, tz))


def csv_chunks(
    columns: Sequence[str],
    rows: Iterable[dict],
    labels: str | None = None,
    column_names: dict[str, str] | None = None,
    tz: ZoneInfo | None = None,
    rows_per_chunk: int = 1000,
) -> Iterator[str]:
    """to_csv in pieces of rows_per_chunk rows, so a big export never sits whole in memory."""
    out = _Pieces(["\ufeff"])
    writer = csv.writer(out, lineterminator="\r\n")
    names = column_names or {}
    writer.writerow([label(c, labels, names, tz) for c in columns])
    write = _chunk_writer(columns, labels, tz, names, writer, out)
    rows = iter(rows)
    while chunk := list(islice(rows, rows_per_chunk)):
        write(chunk)
        yield out.take()
    yield out.take()


class _Pieces(list):
    """Where csv.writer writes: a list of strings, joined once per chunk. Through a
    StringIO, the writing took half of writerow's time (issue 14)."""

    write = list.append

    def take(self) -> str:
        text = "".join(self)
        self.clear()
        return text


def _chunk_writer(columns: Sequence[str], labels, tz, names: dict, writer, out: _Pieces):
    """rows → their CSV lines in out. What each column's cells go through is decided
    once, not once per cell (issue 14)."""
    convert = [(c, _converter(c, labels, tz, names)) for c in columns]
    if any(f is not _plain for _, f in convert):
        return lambda rows: writer.writerows([f(row.get(c)) for c, f in convert] for row in rows)
    texts, commas = _plain_texts(columns), len(columns) - 1

    def write(rows: list[dict]) -> None:
        for cells in map(texts, rows):
            line = ",".join(cells)
            if not line or '"' in line or "\r" in line or "\n" in line or line.count(",") > commas:
                writer.writerow(cells)  # csv quotes the cells that need it
            else:  # what csv writes for a row with nothing to quote, without its test of
                out.append(line + "\r\n")  # every character (a fifth of the export's time)

    return write


def _plain_texts(columns: Sequence[str]):
    """A row's cells as text when every column is _plain: one call per row, not one per
    cell (4,000,000 calls for export weekly at 2,000,000 articles; issue 14). None is
    empty and a number is str() of it, as csv writes them."""
    first = _FORMULA_FIRST
    return lambda row: [
        ("'" + v if v[:1] in first else v) if isinstance(v, str) else "" if v is None else str(v)
        for v in map(row.get, columns)
    ]


_FORMULA_FIRST = frozenset(_FORMULA_START)


def _converter(column: str, labels: str | None, tz: ZoneInfo | None, names: dict[str, str]):
    """safe_cell(_cell(...)) for this column, decided once: a plainer function doing the
    same where it can."""
    if tz and column in TIME_FIELDS:  # an instant written out starts with its year
        return lambda raw: "" if raw is None else words.local_time(raw, tz, labels)
    if not labels:  # words.cell leaves every value as it is without a language
        return _plain
    return lambda raw: safe_cell(_cell(column, raw, labels, tz, names))


def _plain(raw: object) -> object:
    if raw is None:
        return ""
    if isinstance(raw, str) and raw[:1] in _FORMULA_FIRST:
        return "'" + raw
    return raw


def _cell(
    column: str, raw: object, labels: str | None, tz: ZoneInfo | None, names: dict[str, str]
) -> object:
    if raw is None:
        return ""
    if tz and column in TIME_FIELDS:
        return words.local_time(raw, tz, labels)
    if column == "columns" and labels and isinstance(raw, str):  # campaign column ids
        return "; ".join(names.get(c, c) for c in raw.split())
    if column == "evidence" and labels and isinstance(raw, str):  # "column_id: evidence; …"
        parts = (p.partition(": ") for p in raw.split("; "))
        return "; ".join(f"{names.get(c, c)}: {words.cell(column, e, labels)}" for c, _, e in parts)
    return words.cell(column, raw, labels)


def weekly_rows(
    week_rows: list[dict],
    outlet_names: dict[str, str],
    column_names: dict[str, str],
    urls: dict[int, str],
    article_ids: list[list[int]] | None = None,
) -> list[dict]:
    """The rows of export weekly; article_ids: each row's ids, when the caller has
    already parsed them from the rows' JSON."""
    if article_ids is None:
        article_ids = [json.loads(r["article_ids"] or "[]") for r in week_rows]
    rows = []
    for r, ids in zip(week_rows, article_ids, strict=True):
        rows.append(
            {
                **r,
                "outlet_name": outlet_names.get(r["outlet_id"], ""),
                "column_name": column_names.get(r["column_id"], ""),
                "article_urls": " ".join(map(urls.get, ids, repeat(""))),  # get(i, "")
            }
        )
    return rows


def outlet_rows(outlets: list[dict], column_results: list[dict]) -> list[dict]:
    """One row per outlet, each column's verdict flattened into prefixed fields."""
    by_outlet: dict[str, dict] = {}
    for o in outlets:
        by_outlet[o["id"]] = {
            "outlet_id": o["id"],
            "outlet_name": o["name"],
            "kind": o["kind"],
            "last_crawl_at": o["last_crawl_at"],
            "last_crawl_status": o["last_status"],
            "last_error": o["last_error"],
            # after a failed crawl, the last one that read the outlet: what is known since
            # then is unknown, not missed
            "last_reached": o.get("last_reached"),
            # undated articles count nowhere: a reader must know they exist
            "undated_articles": o.get("undated") or 0,
        }
    for r in column_results:
        row = by_outlet.setdefault(r["outlet_id"], {"outlet_id": r["outlet_id"]})
        prefix = r["column_id"] + "__"
        row.update(
            {
                prefix + "exists": existence(r["exists_"]),
                prefix + "found_by": r["found_by"],
                prefix + "first_article": r["first_article"],
                prefix + "timeliness": r["timeliness"],
                prefix + "weeks_met": r["weeks_met"],
                prefix + "weeks_judged": r["weeks_met"] + r["weeks_missed"],
                prefix + "off_topic": r["off_topic"],
                prefix + "on_topic_elsewhere": r["on_topic_elsewhere"],
                prefix + "finding": r["finding"],
            }
        )
    return [by_outlet[k] for k in sorted(by_outlet)]


def existence(stored: int | None) -> str:
    """The stored exists_ (1, 0, NULL) as yes / no / unknown."""
    return {1: "yes", 0: "no"}.get(stored, "unknown")


def article_rows(rows: Iterable[dict], topics: dict[int, dict] | None = None) -> Iterator[dict]:
    """One row per article, as the rows come; topics (article id → the store's prediction
    and correction) adds what the model decided, its probabilities, a person's label and
    the model. Without topics, a row that carries them itself (has_topics) gives its own."""
    for r in rows:
        columns, evidence = _links_text(r["links"])
        t = topics.get(r["id"]) if topics is not None else (r if r.get("has_topics") else None)
        yield (
            {
                "outlet_id": r["outlet_id"],
                "article_id": r["id"],
                "published": r["published"],
                "title": r["title"],
                "url": r["url"],
                "sources": _words(r["sources"]),
                "columns": columns,
                "evidence": evidence,
                **_topic_fields(t),
            }
        )


# Articles share a few link lists and source lists: each is parsed and written out once.
@functools.lru_cache(maxsize=4096)
def _links_text(links: str | None) -> tuple[str, str]:
    found = [lk for lk in json.loads(links or "[]") if lk.get("column_id")]
    return (
        " ".join(lk["column_id"] for lk in found),
        "; ".join(f"{lk['column_id']}: {lk['evidence']} ({lk['rule']})" for lk in found),
    )


@functools.lru_cache(maxsize=1024)
def _words(text: str | None) -> str:
    """A stored JSON list of words, as the words."""
    return " ".join(json.loads(text or "[]"))


def _topic_fields(t: dict | None) -> dict:
    if not t:
        return {}
    probs = json.loads(t["probabilities"] or "{}")
    return {
        "topics": _words(t["labels"]),
        "topic_probabilities": " ".join(f"{k}={v:.2f}" for k, v in probs.items()),
        "person_topics": _words(t["corrected"]),
        "model_version": t["model_version"] or "",
    }
