"""The weekly rules, from data: no store, no HTTP."""

from dataclasses import replace
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from auditor.rules.audit import ColumnFacts, as_of_instant, audit_column, merge, week_of, weeks
from auditor.types import BEGINNING, Campaign, ColumnSpec

VN = ZoneInfo("Asia/Ho_Chi_Minh")
CAMPAIGN = Campaign(
    "1476/TLĐ",
    "",
    date(2017, 9, 20),
    date(2018, 9, 30),
    2,
    (ColumnSpec("c", "Thiết chế Công đoàn"),),
)


def vn(*args) -> datetime:
    return datetime(*args, tzinfo=VN).astimezone(UTC)


def test_sunday_2330_and_monday_0015_local():
    # Sunday 1 Oct 2017 23:30 in Hà Nội is 16:30 UTC Sunday; Monday 00:15 is 17:15 UTC Sunday
    assert week_of(vn(2017, 10, 1, 23, 30), VN) == "2017-W39"
    assert week_of(vn(2017, 10, 2, 0, 15), VN) == "2017-W40"


def test_judged_weeks_lie_wholly_inside_the_campaign():
    found = weeks(CAMPAIGN, VN, vn(2030, 1, 1))
    assert found[0].label == "2017-W39" and found[0].first_day == date(2017, 9, 25)
    assert found[-1].label == "2018-W39" and found[-1].last_day == date(2018, 9, 30)
    assert len(found) == 53


def test_weeks_not_started_are_left_out():
    assert [w.label for w in weeks(CAMPAIGN, VN, vn(2017, 10, 3, 12))] == ["2017-W39", "2017-W40"]


ALL_TIME = ((BEGINNING, datetime(2030, 1, 1, tzinfo=UTC)),)


def facts(times, coverage=ALL_TIME, found="category x"):
    return ColumnFacts("c", found, tuple(enumerate(times)), tuple(coverage))


def statuses(f, now):
    results, summary = audit_column("o", f, CAMPAIGN, VN, now)
    return {r.week: (r.articles, r.status) for r in results}, summary


def test_met_missed_in_progress():
    f = facts([vn(2017, 9, 25, 9), vn(2017, 10, 1, 23, 30), vn(2017, 10, 2, 0, 15)])
    got, summary = statuses(f, vn(2017, 10, 4, 12))
    assert got == {"2017-W39": (2, "met"), "2017-W40": (1, "in_progress")}
    got, summary = statuses(f, vn(2017, 10, 9, 0, 0))
    assert got["2017-W40"] == (1, "missed")
    assert summary.weeks_met == 1 and summary.weeks_missed == 1


def test_uncovered_week_is_unknown_not_missed():
    cover = [(vn(2017, 10, 4), vn(2017, 10, 20))]  # a feed that starts mid-W40
    got, summary = statuses(facts([vn(2017, 10, 10, 9)], cover), vn(2017, 10, 23))
    assert got == {
        "2017-W39": (0, "unknown"),
        "2017-W40": (0, "unknown"),
        "2017-W41": (1, "missed"),
        "2017-W42": (0, "unknown"),
    }
    assert summary.weeks_unknown == 3


def test_met_needs_no_coverage():
    got, _ = statuses(facts([vn(2017, 9, 26), vn(2017, 9, 27)], coverage=()), vn(2017, 10, 3))
    assert got["2017-W39"] == (2, "met")


def test_adjacent_coverage_intervals_join():
    a, b, c = vn(2017, 9, 1), vn(2017, 10, 1), vn(2017, 11, 1)
    assert merge([(b, c), (a, b)]) == [(a, c)]


def test_missing_column_misses_every_covered_week():
    f = replace(facts([], found=""), listing="REST categories and tags read at 2017-10-08")
    got, summary = statuses(f, vn(2017, 10, 9))
    assert got == {"2017-W39": (0, "missed"), "2017-W40": (0, "missed")}
    assert summary.exists == "no" and summary.timeliness == ""
    assert summary.finding == "no_column" and "complete listing" in summary.found_by


EXISTENCE = {
    "articles prove it": (dict(found="", listing=""), [vn(2017, 9, 26)], "yes"),
    "a seen category proves it": (dict(found="category x"), [], "yes"),
    "absent from a complete listing": (dict(found="", listing="menu"), [], "no"),
    "never listed completely": (dict(found="", listing=""), [], "unknown"),
    "placed by hand, not seen there": (
        dict(found="", listing="menu", placed="config: feed 'u'"),
        [],
        "unknown",
    ),
}


@pytest.mark.parametrize("case", EXISTENCE, ids=list(EXISTENCE))
def test_existence_is_three_valued(case):
    kw, times, expected = EXISTENCE[case]
    found = kw.pop("found")
    f = replace(facts(times, found=found), **kw)
    _, summary = statuses(f, vn(2017, 10, 9))
    assert summary.exists == expected
    if expected == "unknown":
        assert summary.finding == "not_checked" and summary.timeliness == "unknown"


def test_late_needs_the_silence_before_the_first_article_seen():
    first = vn(2017, 10, 4, 9)
    seen_since_first = [(vn(2017, 10, 2), vn(2017, 10, 20))]  # a feed that starts later
    _, summary = statuses(facts([first], seen_since_first), vn(2017, 10, 20))
    assert summary.timeliness == "unknown"
    _, summary = statuses(facts([first]), vn(2017, 10, 20))  # seen from the beginning
    assert summary.timeliness == "late"


def test_each_judged_week_names_the_listings_that_showed_it():
    whole = (BEGINNING, vn(2017, 10, 20), "REST")
    part = (vn(2017, 9, 27), vn(2017, 10, 20), "feed F (own)")
    f = replace(facts([vn(2017, 10, 3), vn(2017, 10, 4)]), sources=(whole, part))
    results, _ = audit_column("o", f, CAMPAIGN, VN, vn(2017, 10, 20))
    by = {r.week: r.covered_by for r in results}
    assert by["2017-W39"] == "REST"
    assert by["2017-W40"] == "REST; feed F (own)"


@pytest.mark.parametrize(
    "first,expected", [(vn(2017, 9, 20, 23, 0), "on_time"), (vn(2017, 9, 21, 0, 30), "late")]
)
def test_timeliness_by_local_date(first, expected):
    _, summary = statuses(facts([first]), vn(2017, 10, 9))
    assert summary.timeliness == expected


def test_as_of_ignores_later_articles():
    f = facts([vn(2017, 9, 26), vn(2017, 10, 2, 0, 15)])
    now = as_of_instant(date(2017, 10, 1), VN)
    got, _ = statuses(f, now)
    assert got == {"2017-W39": (1, "missed")}
