"""The report's charts, drawn on the server by matplotlib as SVG.

Glyphs are written as paths (svg.fonttype "path") in DejaVu Sans, which matplotlib ships
and which has every Vietnamese letter, so a chart reads the same on any machine, offline.
Series differ by marker, line style and hatch as well as by colour: they stay apart in
greyscale print. The SVG is embedded as a data: image, so no text in it can ever run.
"""

from __future__ import annotations

import base64
import io
import math
import warnings

import matplotlib

matplotlib.use("Agg")  # no display; must precede any pyplot import elsewhere

from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

STYLES = (  # colour, marker, line style, hatch: one per column
    ("#1a5fb4", "o", "-", ""),
    ("#c64600", "s", "--", "///"),
    ("#2e7d32", "^", ":", "..."),
    ("#6a1b9a", "D", "-.", "xx"),
)
RC = {
    "font.family": "DejaVu Sans",
    "font.size": 10,
    "svg.fonttype": "path",
    "text.parse_math": False,  # a "$" in an outlet's name is text, not TeX
    "svg.hashsalt": "auditor-report",  # stable ids: the same data gives the same file
    "axes.grid": True,
    "grid.color": "#cccccc",
    "grid.linewidth": 0.6,
}


def data_uri(svg: bytes) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


def _render(fig: Figure) -> bytes:
    out = io.BytesIO()
    with warnings.catch_warnings():
        # an outlet's name may hold a character DejaVu lacks (an emoji): drawn as a box
        warnings.filterwarnings("ignore", r"Glyph \d+ .* missing from font", UserWarning)
        fig.savefig(out, format="svg", bbox_inches="tight", metadata={"Date": None})
    return out.getvalue()


def _week_ticks(ax, labels: list[str]) -> None:
    step = max(1, math.ceil(len(labels) / 10))  # ten labels at most: legible on a phone
    ticks = list(range(0, len(labels), step))
    ax.set_xticks(ticks, [labels[i].replace("-W", "\nW") for i in ticks])
    ax.set_xlim(-0.5, len(labels) - 0.5)


def lines(
    title: str,
    week_labels: list[str],
    series: list[tuple[str, list[float | None]]],
    ylabel: str,
    percent: bool = False,
) -> bytes:
    with matplotlib.rc_context(RC):
        fig = Figure(figsize=(7, 4), layout="constrained")
        ax = fig.subplots()
        _plot_lines(ax, week_labels, series, percent)
        ax.set_title(title, loc="left", fontsize=12, fontweight="bold")
        ax.set_ylabel(ylabel)
        fig.legend(loc="outside lower center", frameon=False)
        return _render(fig)


def _plot_lines(ax, week_labels, series, percent: bool) -> None:
    xs = list(range(len(week_labels)))
    for (label, values), (colour, marker, style, _) in zip(series, STYLES, strict=False):
        ys = [math.nan if v is None else (v * 100 if percent else v) for v in values]
        ax.plot(xs, ys, color=colour, marker=marker, linestyle=style, markersize=4, label=label)
    _week_ticks(ax, week_labels)
    if percent:
        ax.set_ylim(0, 105)
    else:
        ax.set_ylim(bottom=0)
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))  # articles come whole


def panels(
    titles: list[str],
    week_labels: list[str],
    panel_series: list[list[tuple[str, list[float | None]]]],
    ylabel: str,
) -> bytes:
    """One small chart per outlet kind, one under the other (a phone scrolls down)."""
    with matplotlib.rc_context(RC):
        fig = Figure(figsize=(7, 2.6 * len(titles) + 0.8), layout="constrained")
        axes = fig.subplots(len(titles), 1, squeeze=False, sharex=True)[:, 0]
        for ax, title, series in zip(axes, titles, panel_series, strict=True):
            _plot_lines(ax, week_labels, series, False)
            ax.set_title(title, loc="left", fontsize=10, fontweight="bold")
            ax.set_ylabel(ylabel)
        handles, labels = axes[0].get_legend_handles_labels()
        fig.legend(handles, labels, loc="outside lower center", frameon=False)
        return _render(fig)


def ranking(title: str, names: list[str], stacks: list[tuple[str, list[int]]], xlabel: str):
    """Horizontal bars, best first, each column a hatched segment of the bar."""
    with matplotlib.rc_context(RC):
        fig = Figure(figsize=(7, 0.3 * len(names) + 1.8), layout="constrained")
        ax = fig.subplots()
        ys = list(range(len(names)))
        left = [0] * len(names)
        for (label, values), (colour, _, _, hatch) in zip(stacks, STYLES, strict=False):
            ax.barh(
                ys, values, left=left, color=colour, hatch=hatch, edgecolor="white", label=label
            )
            left = [a + b for a, b in zip(left, values, strict=True)]
        ax.set_yticks(ys, [_short(n) for n in names])
        ax.invert_yaxis()
        ax.set_xlabel(xlabel)
        ax.set_title(title, loc="left", fontsize=12, fontweight="bold")
        ax.grid(axis="y", visible=False)
        fig.legend(loc="outside lower center", frameon=False)
        return _render(fig)


def _short(name: str, limit: int = 42) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "…"
