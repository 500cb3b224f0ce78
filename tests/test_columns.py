import pytest

from auditor.columns import link, match_name, resolve
from auditor.types import Article, Campaign, ColumnOverride, ColumnSpec, Term

CAMPAIGN = Campaign(
    "x",
    "",
    None,
    None,
    2,
    (
        ColumnSpec("loi_ich", "Công đoàn vì lợi ích đoàn viên", ("Vì lợi ích đoàn viên",)),
        ColumnSpec("thiet_che", "Thiết chế Công đoàn", ("Thiết chế CĐ",)),
        ColumnSpec(
            "dai_hoi",
            "Hướng tới Đại hội Công đoàn Việt Nam lần thứ XII",
            ("Hướng tới Đại hội XII",),
        ),
    ),
)

MATCHES = {
    "exact": ("Thiết chế Công đoàn", "", ("thiet_che", "name")),
    "case": ("THIẾT CHẾ CÔNG ĐOÀN", "", ("thiet_che", "name")),
    "alias": ("Hướng tới Đại hội XII", "", ("dai_hoi", "alias")),
    "old tone placement": ("Thiết chế Công đoàn", "", ("thiet_che", "name")),
    "slug only": ("Chuyên mục A", "huong-toi-dai-hoi-xii", ("dai_hoi", "slug")),
    "no diacritics": ("Thiet che Cong doan", "", ("thiet_che", "name without diacritics")),
    "unrelated": ("Thời sự", "thoi-su", None),
    "near miss": ("Đại hội Đoàn Thanh niên", "", None),
}


@pytest.mark.parametrize("name,slug,expected", MATCHES.values(), ids=MATCHES.keys())
def test_match_name(name, slug, expected):
    assert match_name(name, slug, CAMPAIGN) == expected


def test_loose_match_refused_when_outlet_has_two_spellings():
    terms = [Term("category", "Thiet che Cong doan"), Term("category", "Thiết chê Công đoan")]
    assert resolve(CAMPAIGN, (), terms) == {}


def test_override_wins_and_keeps_evidence():
    terms = [Term("category", "Thiết chế Công đoàn"), Term("category", "TC-CĐ")]
    found = resolve(CAMPAIGN, (ColumnOverride("thiet_che", "category", "TC-CĐ"),), terms)
    assert [(s.value, s.rule) for s in found["thiet_che"]] == [("TC-CĐ", "config override")]


def test_link_by_category_feed_and_url_prefix():
    sources = resolve(
        CAMPAIGN,
        (
            ColumnOverride("dai_hoi", "url_prefix", "https://x.vn/dai-hoi/"),
            ColumnOverride("loi_ich", "feed", "https://x.vn/rss/li.rss"),
        ),
        [Term("category", "Thiết chế CĐ")],
    )
    a = Article(
        "https://x.vn/dai-hoi/bai-1", "t", None, "rss", terms=(Term("category", "thiết chế cđ"),)
    )
    got = {lk.column_id for lk in link(a, ["https://x.vn/rss/li.rss"], sources)}
    assert got == {"dai_hoi", "loi_ich", "thiet_che"}
    b = Article("https://x.vn/thoi-su/bai-2", "t", None, "rss")
    assert link(b, [], sources) == []
