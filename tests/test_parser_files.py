"""The parsers against data files: tests/data/parsers/<kind>/<name> beside
<name>.expected.json. A new case is two files and no code.

The expected files were written by reading the input by hand (times below are UTC; an
input without a zone is Hà Nội time, UTC+7). To see what a parser gives for a new input,
run `python tests/test_parser_files.py tests/data/parsers/feeds/x.xml` and check every
value against the input before saving it: an expected file copied unread tests nothing.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from auditor.parse import wordpress as wp
from auditor.parse.feeds import parse_feed
from auditor.parse.homepage import read_page
from auditor.parse.listing import article_date, read_listing

DATA = Path(__file__).parent / "data" / "parsers"
VN = ZoneInfo("Asia/Ho_Chi_Minh")


def _when(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _article(a) -> dict:
    return {
        "url": a.url,
        "title": a.title,
        "published": _when(a.published),
        "modified": _when(a.modified),
        "guid": a.guid,
        "wp_id": a.wp_id,
        "summary": a.summary,
        "terms": [[t.kind, t.name, t.term_id] for t in a.terms],
        "aliases": list(a.aliases),
    }


def feed(path: Path) -> dict:
    base = "https://" + path.stem + ".example.vn/feed/"
    page = parse_feed(path.read_bytes(), base, "application/xml", base=base, tz=VN)
    return {
        "title": page.title,
        "is_wordpress": page.is_wordpress,
        "skipped": [list(s) for s in page.skipped],
        "articles": [_article(a) for a in page.articles],
    }


def wordpress(path: Path) -> dict:
    data = json.loads(path.read_text(encoding="utf-8"))
    terms = [t for block in data["terms"] for t in wp.parse_terms(block["items"], block["kind"])]
    by_id = {(t.kind, t.term_id): t for t in terms}
    posts = wp.parse_posts(data["posts"], by_id, "https://cd.example.vn/")
    return {
        "terms": [[t.kind, t.name, t.slug, t.term_id, t.link] for t in terms],
        "posts": [_article(p) for p in posts],
    }


def homepage(path: Path) -> dict:
    page = read_page(path.read_text(encoding="utf-8"), "https://cd.example.vn/")
    return {
        "feeds": page.feeds,
        "links": [[k.href, k.text, k.region, k.title] for k in page.links],
        "images": [[i.src, i.region, i.alt, i.width, i.height] for i in page.images],
        "stylesheets": page.stylesheets,
        "scripts": page.scripts,
    }


def listing(path: Path) -> dict:
    found = read_listing(
        path.read_text(encoding="utf-8"), "https://cd.example.vn/chuyen-muc/thiet-che", VN
    )
    return {
        "items": [[i.url, i.title, _when(i.published)] for i in found.items],
        "next_url": found.next_url,
    }


def article(path: Path) -> dict:
    return {"published": _when(article_date(path.read_text(encoding="utf-8"), VN))}


READERS = {
    "feeds": feed,
    "wordpress": wordpress,
    "homepage": homepage,
    "listings": listing,
    "articles": article,
}
CASES = sorted(p for p in DATA.glob("*/*") if not p.name.endswith(".expected.json") and p.is_file())


def test_every_kind_has_cases_and_every_case_its_expectation():
    assert {p.parent.name for p in CASES} == set(READERS)
    missing = [p.name for p in CASES if not p.with_name(p.name + ".expected.json").exists()]
    assert missing == []


@pytest.mark.parametrize("path", CASES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_parser_output_matches_the_expected_file(path: Path):
    expected = json.loads(path.with_name(path.name + ".expected.json").read_text("utf-8"))
    assert READERS[path.parent.name](path) == expected


if __name__ == "__main__":  # print what a parser gives, to check by hand
    for arg in sys.argv[1:]:
        p = Path(arg)
        print(json.dumps(READERS[p.parent.name](p), ensure_ascii=False, indent=2))
