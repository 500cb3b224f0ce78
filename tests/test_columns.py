import json
import unicodedata
from datetime import timedelta

import pytest
from expect import expected_weekly
from test_crawl import AS_OF, FIRST_MONDAY, one_outlet, run, weekly

from auditor.fakesite import FakePost, FakeSite
from auditor.rules.columns import link, match_name, resolve
from auditor.store import Store
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
    "decomposed letters (NFD)": (
        unicodedata.normalize("NFD", "Thiết chế Công đoàn"),
        "",
        ("thiet_che", "name"),
    ),
    "slug only": ("Chuyên mục A", "huong-toi-dai-hoi-xii", ("dai_hoi", "slug")),
    "no diacritics": ("Thiet che Cong doan", "", ("thiet_che", "name without diacritics")),
    "unrelated": ("Thời sự", "thoi-su", None),
    "near miss": ("Đại hội Đoàn Thanh niên", "", None),
}


@pytest.mark.parametrize("name,slug,expected", MATCHES.values(), ids=MATCHES.keys())
def test_match_name(name, slug, expected):
    assert match_name(name, slug, CAMPAIGN) == expected


# Names where the two tone-mark conventions differ: "hoà" (new) / "hòa" (old), "khoẻ" /
# "khỏe", "thuỷ" / "thủy". The campaign writes one, the site the other.
TONES = Campaign(
    "x",
    "",
    None,
    None,
    2,
    (
        ColumnSpec("hoa_giai", "Hoà giải lao động"),
        ColumnSpec("suc_khoe", "Chăm lo sức khỏe đoàn viên"),
        ColumnSpec("thuy_loi", "Công đoàn ngành Thuỷ lợi"),
    ),
)
OLD_NEW = {
    "old placement on the site": ("Hòa giải lao động", "hoa_giai"),
    "new placement on the site": ("Chăm lo sức khoẻ đoàn viên", "suc_khoe"),
    "old placement, upper case": ("CÔNG ĐOÀN NGÀNH THỦY LỢI", "thuy_loi"),
}


@pytest.mark.parametrize("name,column", OLD_NEW.values(), ids=OLD_NEW.keys())
def test_old_and_new_tone_placement_name_one_column(name, column):
    written = TONES.column(column).name
    assert unicodedata.normalize("NFC", name.casefold()) != written.casefold()  # truly differs
    assert match_name(name, "", TONES) == (column, "name")


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


DUPLICATES = {
    "without diacritics": ["Công đoàn vì lợi ích đoàn viên", "cong doan vi loi ich doan vien"],
    "in upper case": ["Công đoàn vì lợi ích đoàn viên", "CÔNG ĐOÀN VÌ LỢI ÍCH ĐOÀN VIÊN"],
    "beside an alias": ["Công đoàn vì lợi ích đoàn viên", "Vì lợi ích đoàn viên"],
    "all at once": [
        "Công đoàn vì lợi ích đoàn viên",
        "cong doan vi loi ich doan vien",
        "CONG DOAN VI LOI ICH DOAN VIEN",
        "công đoàn vì lợi ích đoàn viên",
    ],
}


@pytest.mark.parametrize("names", DUPLICATES.values(), ids=DUPLICATES.keys())
def test_every_spelling_of_a_column_is_its_own_source(names):
    found = resolve(CAMPAIGN, (), [Term("category", n, f"slug-{i}") for i, n in enumerate(names)])
    assert sorted(s.value for s in found["loi_ich"]) == sorted(names)
    assert all(n in s.evidence for s, n in zip(found["loi_ich"], names, strict=True))


def test_tone_placement_variants_of_an_alias_are_both_sources():
    campaign = Campaign("x", "", None, None, 2, (ColumnSpec("hoa", "Hòa hợp công đoàn", ()),))
    found = resolve(
        campaign,
        (),
        [
            Term("category", "Hòa hợp công đoàn"),
            Term("tag", "Hoà hợp công đoàn"),
            Term("category", "hoa hop cong doan"),
        ],
    )
    assert {(s.kind, s.value) for s in found["hoa"]} == {
        ("category", "Hòa hợp công đoàn"),
        ("tag", "Hoà hợp công đoàn"),
        ("category", "hoa hop cong doan"),
    }


def test_bare_spelling_refused_where_it_could_be_another_phrase():
    # "hoi nghi" is both "Hội nghị" (a column here) and "Hỏi nghị": the site has the other one
    campaign = Campaign("x", "", None, None, 2, (ColumnSpec("hn", "Hội nghị", ()),))
    terms = [Term("category", "hoi nghi"), Term("category", "Hỏi nghị")]
    assert resolve(campaign, (), terms) == {}
    terms = [Term("category", "hoi nghi"), Term("category", "Hội nghị")]
    assert {s.value for s in resolve(campaign, (), terms)["hn"]} == {"hoi nghi", "Hội nghị"}


def test_article_in_two_spellings_is_linked_once():
    terms = [
        Term("category", "Công đoàn vì lợi ích đoàn viên"),
        Term("category", "cong doan vi loi ich doan vien"),
    ]
    sources = resolve(CAMPAIGN, (), terms)
    both = Article("https://x.vn/a", "t", None, "rest", terms=tuple(terms))
    only_bare = Article("https://x.vn/b", "t", None, "rest", terms=(terms[1],))
    assert [lk.column_id for lk in link(both, [], sources)] == ["loi_ich"]
    assert [lk.column_id for lk in link(only_bare, [], sources)] == ["loi_ich"]
    assert "cong doan vi loi ich doan vien" in link(only_bare, [], sources)[0].evidence


def duplicate_category_site() -> FakeSite:
    """An editor created the benefits category twice, the second time without diacritics;
    posts sit in one, the other, or both; "Thời sự" is no column."""
    site = FakeSite(
        name="LĐLĐ Hai chuyên mục",
        categories={
            10: ("Công đoàn vì lợi ích đoàn viên", "cong-doan-vi-loi-ich-doan-vien"),
            13: ("cong doan vi loi ich doan vien", "cong-doan-vi-loi-ich-doan-vien-2"),
            11: ("Thiết chế Công đoàn", "thiet-che-cong-doan"),
            12: ("Thời sự", "thoi-su"),
        },
    )
    plan = [(10,), (13,), (10, 13), (11,), (12,), (13,)]
    for n in range(60):
        when = FIRST_MONDAY + timedelta(days=n * 1.5, hours=n % 5)
        site.posts.append(FakePost(n + 1, f"Bài số {n + 1}", when, plan[n % len(plan)]))
    return site


def test_duplicate_category_counts_for_its_column_on_a_loopback_site(tmp_path, serve):
    site = duplicate_category_site()
    server = serve(site)
    config = one_outlet(tmp_path, server.url, "dup", name="Hai")
    db = tmp_path / "a.db"
    assert run(config, db, "crawl") == 0
    assert run(config, db, "audit", "--as-of", AS_OF.isoformat()) == 0
    out = tmp_path / "weekly.csv"
    assert run(config, db, "export", "weekly", "-o", str(out)) == 0
    cats = {"loi_ich_doan_vien": {10, 13}, "thiet_che_cong_doan": {11}}
    assert weekly(out) == expected_weekly(site, "dup", "Hai", cats, AS_OF)
    store = Store(db)
    sources = store._q(
        "SELECT value, rule FROM column_sources WHERE outlet_id = 'dup' AND "
        "column_id = 'loi_ich_doan_vien' AND kind = 'category'"
    )
    assert {(s["value"], s["rule"]) for s in sources} == {
        ("Công đoàn vì lợi ích đoàn viên", "name"),
        ("cong doan vi loi ich doan vien", "name without diacritics"),
    }
    linked = store._q(
        "SELECT count(*) AS n FROM article_columns WHERE column_id = 'loi_ich_doan_vien'"
    )
    assert linked[0]["n"] == sum(1 for p in site.posts if {10, 13} & set(p.categories))


# -- category and section names are stored as published (NFC), keys computed -----------------

NFD_NAME = unicodedata.normalize("NFD", "Công đoàn vì lợi ích đoàn viên")
OLD_TONES = "Thiết chế Công đoàn – hoà hợp, thuỷ chung"  # old placement, kept as written


def published_names_site(rest: str) -> FakeSite:
    site = FakeSite(
        categories={
            10: (NFD_NAME, "cong-doan-vi-loi-ich-doan-vien"),
            11: (OLD_TONES, "thiet-che-hoa-hop"),
            12: ("Thời sự &amp; bình luận", "thoi-su"),
        },
        rest=rest,
    )
    for n in range(12):
        when = FIRST_MONDAY + timedelta(days=n)
        site.posts.append(FakePost(n + 1, f"Bài {n + 1}", when, ((10,), (11,), (12,))[n % 3]))
    return site


@pytest.mark.parametrize("rest", ["open", "blocked"], ids=["REST", "feeds"])
def test_category_names_are_stored_as_published(tmp_path, serve, rest):
    server = serve(published_names_site(rest))
    config = one_outlet(tmp_path, server.url, "pub", name="P")
    db = tmp_path / "a.db"
    assert run(config, db, "crawl") == 0
    store = Store(db)
    names = {r["name"] for r in store._q("SELECT name FROM terms WHERE outlet_id = 'pub'")}
    assert unicodedata.normalize("NFC", NFD_NAME) in names and OLD_TONES in names
    assert "Thời sự & bình luận" in names
    assert all(unicodedata.is_normalized("NFC", n) for n in names)
    sources = store._q("SELECT column_id, value FROM column_sources WHERE kind = 'category'")
    assert {(r["column_id"], r["value"]) for r in sources} == {
        ("loi_ich_doan_vien", unicodedata.normalize("NFC", NFD_NAME)),
    }
    in_articles = {
        t["name"]
        for r in store._q("SELECT terms FROM articles")
        for t in json.loads(r["terms"])
        if t["name"]
    }
    assert OLD_TONES in in_articles  # matching keys are computed; the text stays


def test_section_names_from_menus_are_nfc_as_written():
    from auditor.parse.homepage import read_page

    nfd = unicodedata.normalize("NFD", "Thiết chế CĐ – hoà hợp")
    page = read_page(f'<nav><a href="/tc.html" title="{nfd}">{nfd}</a></nav>', "https://x.vn/")
    assert page.links[0].text == page.links[0].title == "Thiết chế CĐ – hoà hợp"
    assert unicodedata.is_normalized("NFC", page.links[0].text)


def test_menu_links_follow_the_same_rule():
    from auditor.parse.homepage import menu_sections, read_page

    campaign = Campaign("x", "", None, None, 2, (ColumnSpec("hn", "Hội nghị", ()),))
    other = read_page('<a href="/a">hoi nghi</a><a href="/b">Hỏi nghị</a>', "https://x.vn/")
    assert menu_sections(other, campaign) == []
    both = read_page('<a href="/a">hoi nghi</a><a href="/b">HỘI NGHỊ</a>', "https://x.vn/")
    assert [s.url for s in menu_sections(both, campaign)] == ["https://x.vn/a", "https://x.vn/b"]
