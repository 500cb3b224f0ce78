"""Rules the end-to-end tests never pin down on their own: each finding of a column,
per-host pacing with an injected clock, and the WordPress post id as an identity."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from auditor.crawl.feeds import _post_id, _take_feed
from auditor.fetch import Fetcher
from auditor.parse.feeds import FeedPage
from auditor.rules.audit import ColumnFacts, audit_column, finding
from auditor.rules.columns import ambiguous_loose_keys, link, resolve
from auditor.rules.identity import keys, merge_duplicates
from auditor.text import html_to_text, name_key, slugify, strip_marks
from auditor.types import (
    BEGINNING,
    Article,
    Campaign,
    ColumnLink,
    ColumnOverride,
    ColumnSource,
    ColumnSpec,
    Harvest,
    HttpSettings,
    Outlet,
    Term,
)

VN = ZoneInfo("Asia/Ho_Chi_Minh")
CAMPAIGN = Campaign(
    "1476", "", date(2017, 9, 20), date(2018, 9, 30), 2, (ColumnSpec("c", "Thiết chế"),)
)
NOW = datetime(2017, 10, 20, tzinfo=UTC)
ALL_TIME = ((BEGINNING, NOW),)

# -- findings -------------------------------------------------------------------------------

FINDINGS = {
    "never checked": (("unknown", 0, None, None), "not_checked"),
    "never checked, even with articles": (("unknown", 3, 3, 1), "not_checked"),
    "no column, topics not classified": (("no", 0, None, None), "no_column"),
    "no column, topic nowhere": (("no", 0, None, 0), "no_column_and_no_topic_content"),
    "no column, topic elsewhere": (("no", 0, None, 2), "no_column_but_topic_published_elsewhere"),
    "most articles off topic": (("yes", 3, 2, 0), "column_mostly_off_topic"),
    "half off topic is not most": (("yes", 4, 2, 0), "column_exists"),
    "on topic": (("yes", 3, 0, None), "column_exists"),
    "topics not classified": (("yes", 3, None, None), "column_exists"),
    "exists, nothing filed": (("yes", 0, 0, None), "column_exists"),
}


@pytest.mark.parametrize("args, expected", FINDINGS.values(), ids=FINDINGS.keys())
def test_finding(args, expected):
    assert finding(*args) == expected


def _summary(facts: ColumnFacts):
    _, summary = audit_column("o", facts, CAMPAIGN, VN, NOW)
    return summary


def test_a_column_whose_articles_are_mostly_off_topic_says_so():
    times = [datetime(2017, 10, d, 3, tzinfo=UTC) for d in (2, 3, 4)]
    facts = ColumnFacts("c", "category x", tuple(enumerate(times)), ALL_TIME, frozenset({0}))
    summary = _summary(facts)
    assert (summary.off_topic, summary.finding) == (2, "column_mostly_off_topic")
    facts = ColumnFacts("c", "category x", tuple(enumerate(times)), ALL_TIME, frozenset({0, 1}))
    assert (_summary(facts).off_topic, _summary(facts).finding) == (1, "column_exists")


def test_a_column_absent_from_a_complete_listing_is_no_column():
    facts = ColumnFacts("c", "", (), ALL_TIME, listing="REST categories read at 2017-10-19")
    summary = _summary(facts)
    assert (summary.exists, summary.finding) == ("no", "no_column")
    elsewhere = ((7, datetime(2017, 10, 3, tzinfo=UTC)),)
    facts = ColumnFacts("c", "", (), ALL_TIME, frozenset(), elsewhere, "REST categories")
    summary = _summary(facts)
    assert (summary.on_topic_elsewhere, summary.finding) == (
        1,
        "no_column_but_topic_published_elsewhere",
    )


# -- per-host pacing ------------------------------------------------------------------------


class Clock:
    """A monotonic clock that moves only when the code sleeps or the test says so."""

    def __init__(self):
        self.t, self.slept = 100.0, []

    def __call__(self) -> float:
        return self.t

    def sleep(self, seconds: float) -> None:
        self.slept.append(round(seconds, 6))
        self.t += seconds


def _fetcher(delay: float) -> tuple[Fetcher, Clock]:
    clock = Clock()
    settings = HttpSettings(per_host_delay_s=delay, retries=0)
    return Fetcher(settings, sleep=clock.sleep, clock=clock), clock


def test_requests_to_one_host_are_spaced_by_per_host_delay():
    fetcher, clock = _fetcher(2.5)
    fetcher.wait_turn("cd.example.vn")
    assert clock.slept == []  # the first request waits for nothing
    clock.t += 1.0
    fetcher.wait_turn("cd.example.vn")
    assert clock.slept == [1.5]
    fetcher.wait_turn("other.example.vn")  # another host has its own turn
    assert clock.slept == [1.5]
    fetcher.wait_turn("cd.example.vn")
    assert clock.slept == [1.5, 2.5]
    clock.t += 10
    fetcher.wait_turn("cd.example.vn")  # long after: no wait
    assert clock.slept == [1.5, 2.5]
    fetcher.close()


def test_no_delay_never_sleeps():
    fetcher, clock = _fetcher(0)
    for _ in range(3):
        fetcher.wait_turn("cd.example.vn")
    assert clock.slept == []
    fetcher.close()


# -- the WordPress post id as identity ------------------------------------------------------

SITE = "https://cd.example.vn/"


def _a(url: str, guid: str = "", wp_id: int | None = None, source: str = "rss") -> Article:
    return Article(url, "Bài", None, source, guid=guid, wp_id=wp_id)


@pytest.mark.parametrize(
    "article, expected",
    [
        (_a(SITE + "tin/bai/", guid=SITE + "?p=41"), 41),
        (_a(SITE + "?p=42"), 42),
        (_a(SITE + "tin/bai/?p=43"), None),  # ?p= on an article's own path is not the id
        (_a(SITE + "tin/bai/", guid="urn:x"), None),
    ],
    ids=["guid short link", "link to the root", "not the root", "no short link"],
)
def test_post_id_from_a_feed_item(article, expected):
    assert _post_id(article) == expected


def test_a_wordpress_feed_gives_its_items_their_post_id():
    h = Harvest(Outlet("o", "O", "website", SITE), started=NOW)
    item = _a(SITE + "tin/ban-cu/", guid=SITE + "?p=41")
    page = FeedPage(SITE + "feed/", "F", (item,), generator="https://wordpress.org/?v=6")
    _take_feed(h, SITE + "feed/", "", [page], True, NOW)
    [(article, _)] = h.articles
    assert article.wp_id == 41 and "wp:41" in keys(article)


def test_records_sharing_only_a_post_id_are_one_article():
    from_rest = _a(SITE + "2017/10/02/bai/", wp_id=41, source="rest")
    from_feed = _a(SITE + "tin/ban-cu/", guid="urn:other", wp_id=41)
    stranger = _a(SITE + "tin/khac/", wp_id=42)
    merged, folded = merge_duplicates([from_rest, from_feed, stranger])
    assert folded == 1 and [m.wp_id for m in merged] == [41, 42]
    assert merged[0].aliases == (SITE + "tin/ban-cu/",)


# -- columns: evidence and links, rule by rule ----------------------------------------------

COLS = Campaign(
    "1476",
    "",
    date(2017, 9, 20),
    date(2018, 9, 30),
    2,
    (ColumnSpec("tc", "Thiết chế Công đoàn", ("Thiết chế CĐ",)), ColumnSpec("li", "Lợi ích")),
)


def test_resolve_keeps_each_term_with_its_evidence():
    terms = [
        Term("category", "Thiết chế Công đoàn", "thiet-che", 3),
        Term("tag", "Thiết chế CĐ", "", None),
        Term("category", "Thiết chế Công đoàn", "thiet-che", 3),  # the same one again
        Term("category", "Chuyên mục khác", "loi-ich", 9),  # by its slug only
        Term("category", "Thời sự", "thoi-su", 4),
    ]
    found = resolve(COLS, [], terms)
    assert [(s.column_id, s.kind, s.value, s.rule, s.evidence) for s in found["tc"]] == [
        (
            "tc",
            "category",
            "Thiết chế Công đoàn",
            "name",
            "category 'Thiết chế Công đoàn', slug thiet-che, id 3 matched by name",
        ),
        ("tc", "tag", "Thiết chế CĐ", "alias", "tag 'Thiết chế CĐ' matched by alias"),
    ]
    [slug] = found["li"]
    assert slug.evidence == "category 'Chuyên mục khác', slug loi-ich, id 9 matched by slug"


def test_an_operator_placement_replaces_what_names_would_say():
    placed = [ColumnOverride("tc", "section", "https://cd.example.vn/chuyen-muc/tc/")]
    terms = [Term("category", "Thiết chế Công đoàn", "thiet-che", 3), Term("tag", "Lợi ích")]
    found = resolve(COLS, placed, terms)
    assert [(s.column_id, s.rule, s.evidence) for s in found["tc"]] == [
        ("tc", "config override", "config: section 'https://cd.example.vn/chuyen-muc/tc/'")
    ]
    assert [s.rule for s in found["li"]] == ["name"]


LINKS = {
    "category by name": (
        ColumnSource("tc", "category", "Thiết chế Công đoàn", "name", ""),
        {},
        True,
    ),
    "category by slug, any case": (
        ColumnSource("tc", "category", "Thiết chế Công đoàn", "name", ""),
        {"terms": (Term("category", "", "THIET-CHE-CONG-DOAN"),)},
        True,
    ),
    "a tag is not a category": (
        ColumnSource("tc", "tag", "Thiết chế Công đoàn", "name", ""),
        {},
        False,
    ),
    "the section it was listed in": (
        ColumnSource("tc", "section", "https://cd.example.vn/chuyen-muc/tc", "menu", ""),
        {"feeds": ("https://cd.example.vn/chuyen-muc/tc/",)},
        True,
    ),
    "another section": (
        ColumnSource("tc", "section", "https://cd.example.vn/chuyen-muc/tc", "menu", ""),
        {"feeds": ("https://cd.example.vn/chuyen-muc/li/",)},
        False,
    ),
    "the feed it was read from": (
        ColumnSource("tc", "feed", "https://cd.example.vn/tc.rss", "config override", ""),
        {"feeds": ("https://cd.example.vn/tc.rss",)},
        True,
    ),
    "under a URL prefix": (
        ColumnSource("tc", "url_prefix", "https://cd.example.vn/tin/", "config override", ""),
        {},
        True,
    ),
    "tag by name": (
        ColumnSource("tc", "tag", "Thiết chế CĐ", "alias", ""),
        {"terms": (Term("tag", "thiết chế cđ", ""),)},
        True,
    ),
    "an unknown kind": (ColumnSource("tc", "menu", "x", "name", ""), {}, False),
}


@pytest.mark.parametrize("source, seen, expected", LINKS.values(), ids=LINKS.keys())
def test_link_rule_by_rule(source, seen, expected):
    terms = seen.get("terms", (Term("category", "Thiết chế Công đoàn", "x", 3),))
    article = Article(SITE + "tin/bai-1.html", "Bài", None, "rss", terms=terms)
    links = link(article, seen.get("feeds", ()), {"tc": [source]})
    assert links == (
        [ColumnLink("tc", source.rule, f"{source.kind} {source.value!r}")] if expected else []
    )


def test_a_bare_spelling_shared_with_another_phrase_is_not_matched():
    # "Loi ich" could be "Lợi ích" or "Lỗi ích": the outlet uses both spellings
    assert ambiguous_loose_keys(["Lợi ích", "Lỗi ích"], COLS) == frozenset({"loi ich"})
    assert ambiguous_loose_keys(["Lợi ích"], COLS) == frozenset()
    assert ambiguous_loose_keys(["Lỗi ích"], COLS) == frozenset()  # one spelling: no doubt
    assert ambiguous_loose_keys(["Lợi ích", "LỢI ÍCH"], COLS) == frozenset()


# -- text: mutants that survived in text.py ------------------------------------------------


@pytest.mark.parametrize(
    "a, b",
    [
        ("Đại hội (XII)", "Đại hội XII"),
        ("Hỏi - đáp: pháp luật!", "Hỏi đáp pháp luật"),
        ("«Công đoàn» / đoàn viên", "Công đoàn đoàn viên"),
    ],
    ids=["brackets", "dash colon bang", "quotes and slash"],
)
def test_punctuation_is_not_part_of_a_name(a, b):
    assert name_key(a) == name_key(b) == " ".join(name_key(b).split())


def test_slugs_and_bare_letters():
    assert slugify("«Đại hội»") == "dai-hoi"
    assert slugify(" -Đại hội- ") == "dai-hoi"
    assert strip_marks("ĐẠI HỘI đoàn") == "DAI HOI doan"


@pytest.mark.parametrize(
    "html, text",
    [
        ("Công<br/>đoàn", "Công đoàn"),
        ("Công<br>đoàn", "Công đoàn"),
        ("<p>Công</p><p>đoàn</p>", "Công đoàn"),
        ("Công<img src=x>đoàn", "Côngđoàn"),
        ("a<script>x<b>y</b></script>b", "ab"),
        ("<div><style>p{}</style>Tin</div><p>mới</p>", "Tin mới"),
        ("<p>Công</p>đoàn", "Công đoàn"),
        ("<noscript><style>x</style>y</noscript>z", "z"),
    ],
    ids=[
        "br self-closed",
        "br",
        "paragraphs",
        "an image is no break",
        "script",
        "style",
        "end of a paragraph",
        "hidden inside hidden",
    ],
)
def test_html_to_text_breaks_where_the_page_breaks(html, text):
    assert html_to_text(html) == text


# -- banner: what a verdict keeps as evidence ------------------------------------------------

BANNER = "Chào mừng Đại hội Công đoàn Việt Nam lần thứ XII"


@pytest.mark.parametrize(
    "html, evidence, location",
    [
        (f"<header><marquee>{BANNER}</marquee></header>", BANNER, "text in marquee"),
        (f'<div><img src="/b.png" alt="{BANNER}"></div>', BANNER, "alt"),
        ("<p>Tin mới</p>", "", "not in the page's text; its images not read"),
    ],
    ids=["visible text", "alt text", "nothing"],
)
def test_a_banner_verdict_keeps_what_it_saw_and_where(html, evidence, location):
    from auditor.parse.homepage import read_page
    from auditor.rules.banner import check_page

    verdict = check_page(read_page(f"<html><body>{html}</body></html>", SITE))
    assert (verdict.verdict, verdict.evidence) == ("present" if evidence else "unknown", evidence)
    assert location in verdict.location
