"""The words people read: machine ids of values → plain Vietnamese (or English).

Machine ids (`met`, `on_time`, `column_exists` …) stay the default output for scripts; with
`--labels vi` every value a person reads is Vietnamese, and reports use the same words. One
vocabulary, here, for the CLI, the CSV exports and the reports. Header labels of the CSV
columns are in export.LABELS.

Some ids are listed before any code emits them (`unknown` existence, `not_checked`,
`not_reached`), so that whoever adds them finds their words ready.
"""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

LANGS = ("vi", "en")

# kind of value → machine id → words
VALUES: dict[str, dict[str, dict[str, str]]] = {
    "vi": {
        "week": {
            "met": "đạt",
            "missed": "không đạt",
            "in_progress": "đang diễn ra",
            "unknown": "chưa rõ",
            "not_reached": "không truy cập được",
        },
        "existence": {"yes": "có", "no": "không", "unknown": "chưa rõ"},
        "timeliness": {"on_time": "đúng hạn", "late": "trễ hạn", "unknown": "chưa rõ"},
        "finding": {
            "column_exists": "Có chuyên mục",
            "column_mostly_off_topic": "Có chuyên mục nhưng phần lớn bài lạc chủ đề",
            "no_column": "Không có chuyên mục",
            "no_column_but_topic_published_elsewhere": (
                "Không có chuyên mục, nhưng có bài đúng chủ đề đăng ở mục khác"
            ),
            "no_column_and_no_topic_content": (
                "Không có chuyên mục và không có bài nào về chủ đề này"
            ),
            "not_checked": "Chưa kiểm tra được (không đọc được trang của đơn vị)",
            "unknown": "chưa rõ",
        },
        "crawl": {
            "ok": "thành công",
            "error": "lỗi",
            "partial": "một phần",
            "skipped": "bỏ qua (tiến trình khác đang thu thập)",
            "stopped": "đã dừng",
            "not_reached": "không truy cập được",
        },
        "banner": {"present": "có", "absent": "không có", "unknown": "chưa rõ"},
        "outlet_kind": {
            "newspaper": "báo",
            "magazine": "tạp chí",
            "website": "trang thông tin điện tử",
        },
        "source": {
            "rest": "WordPress API",
            "rss": "nguồn tin RSS/Atom",
            "feed": "nguồn tin RSS/Atom",
            "section": "trang chuyên mục",
            "homepage": "trang chủ",
        },
        "topic": {
            "loi_ich_doan_vien": "Lợi ích đoàn viên",
            "thiet_che_cong_doan": "Thiết chế công đoàn",
            "dai_hoi_cong_doan": "Đại hội công đoàn",
            "khac": "Khác",
        },
    },
    "en": {
        "week": {"in_progress": "in progress", "not_reached": "not reached"},
        "existence": {},
        "timeliness": {"on_time": "on time"},
        "finding": {
            "column_exists": "Column exists",
            "column_mostly_off_topic": "Column exists, mostly off topic",
            "no_column": "No column",
            "no_column_but_topic_published_elsewhere": (
                "No column, but the topic is published elsewhere"
            ),
            "no_column_and_no_topic_content": "No column and no article on the topic",
            "not_checked": "Not checked (the outlet's pages could not be read)",
        },
        "crawl": {"not_reached": "not reached"},
        "banner": {},
        "source": {"rest": "WordPress API", "rss": "RSS/Atom feed", "feed": "RSS/Atom feed"},
        "topic": {
            "loi_ich_doan_vien": "Members' benefits",
            "thiet_che_cong_doan": "Union institutions",
            "dai_hoi_cong_doan": "Union congress",
            "khac": "Other",
        },
    },
}

# CSV field (the part after "<column>__" for per-column fields) → kind of value
FIELD_KINDS = {
    "status": "week",
    "exists": "existence",
    "timeliness": "timeliness",
    "finding": "finding",
    "last_crawl_status": "crawl",
    "banner": "banner",
    "kind": "outlet_kind",
}
# fields that hold several ids separated by spaces
LIST_FIELDS = {"sources": "source", "topics": "topic", "person_topics": "topic"}


def value(kind: str, machine_id: str | None, lang: str | None) -> str:
    """The words for one id; the id itself without a language or for an id not listed."""
    if machine_id is None:
        return ""
    if not lang:
        return machine_id
    return VALUES[lang].get(kind, {}).get(machine_id, machine_id)


def cell(field: str, raw: object, lang: str | None) -> object:
    """One CSV cell in the reader's language (numbers, names and URLs pass unchanged)."""
    if not lang or not isinstance(raw, str) or not raw:
        return raw
    field = field.split("__", 1)[-1]
    if field in FIELD_KINDS:
        return value(FIELD_KINDS[field], raw, lang)
    if field in LIST_FIELDS:
        return ", ".join(value(LIST_FIELDS[field], x, lang) for x in raw.split())
    if field == "topic_probabilities":
        pairs = (x.partition("=") for x in raw.split())
        return "; ".join(f"{value('topic', k, lang)}: {v}" for k, _, v in pairs)
    if field in ("evidence", "found_by") and lang == "vi":
        return evidence(raw)
    if field == "covered_by" and lang == "vi":
        return coverage(raw)
    return raw


# The scopes of coverage.py, in the order they must be replaced (longer phrases first);
# URLs and column ids stay as they are.
_COVERAGE_WORDS_VI = [
    (
        "the column's own feed: announced by its section page alone",
        "nguồn tin riêng của chuyên mục (chỉ trang chuyên mục công bố)",
    ),
    ("site-wide: the REST posts endpoint", "toàn trang: danh sách bài qua WordPress API"),
    ("site-wide: the site's main feed", "toàn trang: nguồn tin chính của trang"),
    ("the column's own section listing", "trang chuyên mục riêng"),
    ("the column's own feed", "nguồn tin riêng của chuyên mục"),
    ("site-wide: its items fall in", "toàn trang: bài thuộc"),
    ("columns", "chuyên mục"),
]
_COVERAGE = re.compile("|".join(re.escape(w) for w, _ in _COVERAGE_WORDS_VI))


def coverage(text: str) -> str:
    words = dict(_COVERAGE_WORDS_VI)
    parts = _QUOTED.split(text)
    return "".join(
        p if i % 2 else _COVERAGE.sub(lambda m: words[m.group(0)], p) for i, p in enumerate(parts)
    )


# The evidence strings of columns.py, "category 'X', slug x, id 3 matched by alias",
# in words; names in quotes are left as they are.
_EVIDENCE_WORDS_VI = [
    ("name without diacritics", "tên viết không dấu"),
    ("config override", "cấu hình chỉ định"),
    ("matched by", "khớp theo"),
    ("config:", "cấu hình:"),
    ("category", "chuyên mục"),
    ("url_prefix", "đường dẫn"),
    ("section", "mục trên trang"),
    ("feed", "nguồn tin"),
    ("alias", "tên gọi khác"),
    ("slug", "đường dẫn rút gọn"),
    ("name", "tên"),
    ("tag", "thẻ"),
    ("id", "mã"),
]
_QUOTED = re.compile(r"('[^']*'|\"[^\"]*\"|https?://\S+)")
# whole words only: a slug such as "tag-name" is a value, not words
_WORDS = re.compile(
    r"(?<![\w/-])(" + "|".join(re.escape(w) for w, _ in _EVIDENCE_WORDS_VI) + r")(?![\w/-])"
)


def evidence(text: str) -> str:
    words = dict(_EVIDENCE_WORDS_VI)
    parts = _QUOTED.split(text)
    return "".join(
        p if i % 2 else _WORDS.sub(lambda m: words[m.group(1)], p) for i, p in enumerate(parts)
    )


def zone_note(tz: ZoneInfo, lang: str | None) -> str:
    """The zone named once, in a header: "(giờ Asia/Ho_Chi_Minh)"."""
    return f"(giờ {tz.key})" if lang == "vi" else f"({tz.key})"


def local_time(instant: str | datetime | None, tz: ZoneInfo, lang: str | None = None) -> str:
    """A stored UTC instant in the campaign's zone: for people "2017-09-25 08:00" (the header
    names the zone), for scripts ISO 8601 with the offset."""
    if not instant:
        return ""
    when = datetime.fromisoformat(instant) if isinstance(instant, str) else instant
    when = when.astimezone(tz)
    return when.strftime("%Y-%m-%d %H:%M") if lang else when.isoformat(timespec="seconds")


# Why a request was made, as the crawl log and `status` count them: robots.txt; finding
# the feeds, the API or the menus (homepage, probes); a listing's first page (feed, REST,
# section); its further pages; an article page read for its date; a repeat after a failure.
PURPOSES = ("robots", "discovery", "listing", "paging", "article", "retry")


def purposes_text(by: dict[str, int]) -> str:
    """'robots 1, discovery 1, listing 3': requests by why they were made, in PURPOSES order."""
    return ", ".join(f"{p} {by[p]}" for p in PURPOSES if by.get(p))
