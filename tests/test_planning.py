"""When the next crawl runs (auditor/rules/planning.py), from data: each rule alone, with a
random source that always answers one end of the jitter window."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from auditor.rules.planning import consecutive_failures, next_crawl, resume_at

NOW = datetime(2017, 10, 2, 3, 0, tzinfo=UTC)
HOUR = 3600


class Low(random.Random):
    def uniform(self, a, b):
        return a


class High(random.Random):
    def uniform(self, a, b):
        return b


NEXT = {
    "interval only": (dict(interval=6 * HOUR), Low, 6 * HOUR),
    "jitter at its top": (dict(interval=6 * HOUR, jitter=600), High, 6 * HOUR + 600),
    "jitter at its bottom": (dict(interval=6 * HOUR, jitter=600), Low, 6 * HOUR),
    "one second of jitter": (dict(interval=HOUR, jitter=1), High, HOUR + 1),
    "no jitter asked, none drawn": (dict(interval=HOUR, jitter=0), High, HOUR),
    "first failure doubles": (dict(interval=HOUR, failures=1), Low, 2 * HOUR),
    "second failure doubles again": (dict(interval=HOUR, failures=2), Low, 4 * HOUR),
    "backoff capped": (dict(interval=HOUR, failures=9), Low, 24 * HOUR),
    "cap below the interval keeps the interval": (
        dict(interval=6 * HOUR, failures=3, cap=HOUR),
        Low,
        6 * HOUR,
    ),
    "huge failure counts do not overflow": (dict(interval=HOUR, failures=10**6), Low, 24 * HOUR),
    "retry-after beyond the plan wins": (dict(interval=HOUR, retry_after=5 * HOUR), Low, 5 * HOUR),
    "retry-after within the plan changes nothing": (
        dict(interval=HOUR, jitter=600, retry_after=HOUR + 300),
        High,
        HOUR + 600,
    ),
    "retry-after wins over jitter": (
        dict(interval=HOUR, jitter=600, retry_after=HOUR + 900),
        High,
        HOUR + 900,
    ),
}


@pytest.mark.parametrize("kw, rng, seconds", NEXT.values(), ids=NEXT.keys())
def test_next_crawl(kw, rng, seconds):
    when = next_crawl(
        NOW,
        kw["interval"],
        kw.get("jitter", 0),
        kw.get("failures", 0),
        kw.get("retry_after"),
        kw.get("cap", 24 * HOUR),
        rng(),
    )
    assert when == NOW + timedelta(seconds=seconds)


RESUME = {
    "a plan still ahead is kept": (
        NOW + timedelta(minutes=5),
        600,
        Low,
        NOW + timedelta(minutes=5),
    ),
    "an overdue plan fires after a second at the earliest": (
        NOW - timedelta(days=1),
        600,
        Low,
        NOW + timedelta(seconds=1),
    ),
    "an overdue plan fires within the jitter window": (
        NOW - timedelta(days=1),
        600,
        High,
        NOW + timedelta(seconds=600),
    ),
    "a plan due now is overdue": (NOW, 600, High, NOW + timedelta(seconds=600)),
    "no plan yet": (None, 600, High, NOW + timedelta(seconds=600)),
    "no jitter still waits a second": (None, 0, High, NOW + timedelta(seconds=1)),
}


@pytest.mark.parametrize("stored, jitter, rng, expected", RESUME.values(), ids=RESUME.keys())
def test_resume_at(stored, jitter, rng, expected):
    assert resume_at(NOW, stored, jitter, rng()) == expected


# stored count before the crawl, the crawl's status → the count after it
FAILURES = {
    "an ok crawl after none stays at zero": (0, "ok", 0),
    "an ok crawl after many starts again from zero": (7, "ok", 0),
    "the first error counts one": (0, "error", 1),
    "an error after two counts three": (2, "error", 3),
    "a partial crawl is a failure too": (4, "partial", 5),
}


@pytest.mark.parametrize("before, status, after", FAILURES.values(), ids=FAILURES.keys())
def test_consecutive_failures(before, status, after):
    assert consecutive_failures(status, before) == after
