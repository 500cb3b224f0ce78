"""How a newly covered span joins the stored spans of its column and source
(coverage.join_span), from a table written out by hand."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from auditor.rules.coverage import join_span
from auditor.types import Coverage, CoverageJoin, CoverageSpan

T = datetime(2017, 10, 2, tzinfo=UTC)
S = timedelta(seconds=1)
D = timedelta(days=1)


def cov(start, end, scope="why"):
    return Coverage("a", start, end, "rest", scope)


def span(row_id, start, end):
    return CoverageSpan(row_id, start, end)


JOIN = {
    "nothing stored: a span of its own": (cov(T, T + D), [], CoverageJoin(cov(T, T + D))),
    "a stored span ending a second before is left apart": (
        cov(T, T + D),
        [span(1, T - D, T - S)],
        CoverageJoin(cov(T, T + D)),
    ),
    "a stored span starting a second after is left apart": (
        cov(T, T + D),
        [span(1, T + D + S, T + 2 * D)],
        CoverageJoin(cov(T, T + D)),
    ),
    "a stored span ending where it starts joins it": (
        cov(T, T + D),
        [span(1, T - D, T)],
        CoverageJoin(cov(T - D, T + D), keep=1),
    ),
    "a stored span starting where it ends joins it": (
        cov(T, T + D),
        [span(1, T + D, T + 2 * D)],
        CoverageJoin(cov(T, T + 2 * D), keep=1),
    ),
    "within a second of the end counts as touching (the store keeps whole seconds)": (
        cov(T + timedelta(microseconds=600_000), T + D),
        [span(1, T - D, T)],
        CoverageJoin(cov(T - D, T + D), keep=1),
    ),
    "inside a stored span: the stored span, with the new scope": (
        cov(T, T + D, "new"),
        [span(1, T - D, T + 2 * D)],
        CoverageJoin(cov(T - D, T + 2 * D, "new"), keep=1),
    ),
    "over several: one span in the first, the others dropped": (
        cov(T, T + 3 * D),
        [span(4, T - D, T + D), span(2, T + 2 * D, T + 5 * D), span(7, T + D, T + D + S)],
        CoverageJoin(cov(T - D, T + 5 * D), keep=4, drop=(2, 7)),
    ),
    "only the touching ones join": (
        cov(T, T + D),
        [span(3, T - 2 * D, T - D), span(5, T + D, T + 2 * D)],
        CoverageJoin(cov(T, T + 2 * D), keep=5),
    ),
}


@pytest.mark.parametrize("new, stored, joined", JOIN.values(), ids=JOIN.keys())
def test_join_span(new, stored, joined):
    assert join_span(new, stored) == joined
