"""When the next crawl runs: interval, jitter, backoff after failures, Retry-After. Pure."""

from __future__ import annotations

import random
from datetime import datetime, timedelta


def next_crawl(
    now: datetime,
    interval_s: float,
    jitter_s: float,
    failures: int,
    retry_after_s: float | None,
    max_backoff_s: float,
    rng: random.Random,
) -> datetime:
    """interval (doubled for each consecutive failure, capped), plus random jitter so outlets
    do not fire together, and never sooner than the server's Retry-After."""
    delay = interval_s
    if failures > 0:
        delay = min(interval_s * 2 ** min(failures, 20), max(interval_s, max_backoff_s))
    delay += rng.uniform(0, jitter_s) if jitter_s > 0 else 0
    if retry_after_s:
        delay = max(delay, retry_after_s)
    return now + timedelta(seconds=delay)


def resume_at(
    now: datetime, stored: datetime | None, jitter_s: float, rng: random.Random
) -> datetime:
    """After a restart: keep a planned time still ahead; spread overdue or new jobs over the
    jitter window instead of firing them all at once."""
    if stored is not None and stored > now:
        return stored
    return now + timedelta(seconds=rng.uniform(1, max(1.0, jitter_s)))


def consecutive_failures(status: str, before: int) -> int:
    """An outlet's failed crawls in a row after this one (what next_crawl backs off by):
    a crawl that is not wholly ok ("error" or "partial") adds one to the stored count, an
    ok crawl starts it again from zero."""
    return 0 if status == "ok" else before + 1
