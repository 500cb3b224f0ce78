"""Which records are one article (auditor/rules/identity.py), from data."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from auditor.rules.identity import drop_shared_guids, guid_key, keys, merge_duplicates
from auditor.types import Article

SITE = "https://cd.example.vn/"


def a(url="", title="Bài", guid="", wp_id=None, modified=None, published=None, aliases=()):
    return Article(
        url, title, published, "rss", guid=guid, wp_id=wp_id, modified=modified, aliases=aliases
    )


def at(day: int) -> datetime:
    return datetime(2017, 10, day, tzinfo=UTC)


@pytest.mark.parametrize(
    "guid, expected",
    [
        ("  urn:uuid:1  ", "urn:uuid:1"),
        ("HTTPS://CD.example.vn/tin/1/", "cd.example.vn/tin/1"),
        ("Http://cd.example.vn/tin/1", "cd.example.vn/tin/1"),  # http and https are one page
        ("tag:cd.example.vn,2017:1", "tag:cd.example.vn,2017:1"),
    ],
    ids=["opaque", "https url", "http url, any case", "tag uri"],
)
def test_guid_key(guid, expected):
    assert guid_key(guid) == expected


def test_keys_of_a_record():
    record = a(SITE + "tin/1", guid="urn:x", wp_id=7, aliases=(SITE + "?p=7",))
    assert keys(record) == {
        "guid:urn:x",
        "url:cd.example.vn/?p=7",
        "url:cd.example.vn/tin/1",
        "wp:7",
    }
    assert keys(a("", guid=" ")) == set()


@pytest.mark.parametrize(
    "guid, counted",
    [(SITE, False), ("https://cd.example.vn", False), (SITE + "?p=3", True), ("urn:x", True)],
    ids=["homepage", "homepage without slash", "short link", "urn"],
)
def test_a_homepage_as_guid_identifies_nothing(guid, counted):
    assert any(k.startswith("guid:") for k in keys(a(SITE + "tin/1", guid=guid))) is counted


def test_a_guid_shared_by_three_titles_is_forgotten_two_are_kept():
    three = [a(SITE + f"tin/{n}", f"Bài {n}", guid="urn:const") for n in range(3)]
    kept = [a(SITE + "tin/9", "Một", guid="urn:pair"), a(SITE + "tin/8", "Hai", guid="urn:pair")]
    plain = a(SITE + "tin/7", "Ba")
    out = drop_shared_guids([*three, *kept, plain])
    assert [x.guid for x in out] == ["", "", "", "urn:pair", "urn:pair", ""]
    assert [x.url for x in out] == [x.url for x in [*three, *kept, plain]]


def test_one_title_under_one_guid_many_times_is_one_article_not_a_constant():
    same = [a(SITE + f"tin/{n}", "Cùng một bài", guid="urn:one") for n in range(4)]
    assert drop_shared_guids(same) == same


def test_titles_that_differ_only_in_case_are_one_title():
    same = [a(SITE + f"tin/{n}", t, guid="urn:one") for n, t in enumerate(["Bài", "BÀI", "bài"])]
    assert [x.guid for x in drop_shared_guids(same)] == ["urn:one"] * 3


def test_the_copy_modified_last_wins_whole():
    old = a(SITE + "tin/1", "Cũ", guid="urn:1", modified=at(2))
    new = a(SITE + "tin/1-moi", "Mới", guid="urn:1", modified=at(5))
    [out], folded = merge_duplicates([old, new])
    assert (out.title, out.url, out.aliases, folded) == (
        "Mới",
        SITE + "tin/1-moi",
        (SITE + "tin/1",),
        1,
    )


def test_on_a_tie_the_first_copy_wins_and_published_stands_in_for_modified():
    first = a(SITE + "tin/1", "Một", guid="urn:1", published=at(3))
    second = a(SITE + "tin/1", "Hai", guid="urn:1", published=at(3))
    undated = a(SITE + "tin/1", "Ba", guid="urn:1")
    [out], _ = merge_duplicates([first, second, undated])
    assert out.title == "Một"
    [out], _ = merge_duplicates([undated, first])
    assert out.title == "Một"  # a dated copy beats one with no date at all
    only_modified = a(SITE + "tin/1", "Bốn", guid="urn:1", modified=at(1), published=at(9))
    [out], _ = merge_duplicates([only_modified, first])
    assert out.title == "Một"  # modified (1st) is older than the other's date (3rd)


def test_the_winner_takes_a_guid_and_a_post_id_from_the_other_copies():
    with_ids = a(SITE + "tin/1", "Cũ", guid="urn:1", wp_id=41, modified=at(1))
    bare = a(SITE + "tin/1", "Mới", modified=at(2))
    [out], _ = merge_duplicates([with_ids, bare])
    assert (out.title, out.guid, out.wp_id) == ("Mới", "urn:1", 41)
    own = a(SITE + "tin/1", "Mới", guid="urn:own", wp_id=9, modified=at(3))
    [out], _ = merge_duplicates([with_ids, own])
    assert (out.guid, out.wp_id) == ("urn:own", 9)


def test_records_joined_through_a_third_are_one_and_order_is_first_seen():
    x = a(SITE + "tin/x", "X")
    b1 = a(SITE + "tin/b", "B", guid="urn:b")
    c1 = a(SITE + "tin/c", "C", wp_id=5)
    bridge = a(SITE + "tin/other", "B2", guid="urn:b", wp_id=5)
    out, folded = merge_duplicates([x, b1, c1, bridge])
    assert folded == 2 and [o.title for o in out] == ["X", "B"]
    assert set(out[1].aliases) == {SITE + "tin/c", SITE + "tin/other"}


def test_copies_with_no_guid_at_all_stay_without_one():
    first, second = a(SITE + "tin/1", "Một"), a("http://cd.example.vn/tin/1", "Hai")
    [out], folded = merge_duplicates([first, second])
    assert (out.guid, out.wp_id, folded) == ("", None, 1)
