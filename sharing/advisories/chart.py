"""Chart geometry for the HTML advisory (inline SVG) and sparklines for Markdown and text.

Only numbers and escaped labels reach the SVG; every coordinate is computed here so the
template stays a loop over shapes.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from sharing.advisories.filters import clip
from sharing.advisories.timeline import DAY, Timeline
from sharing.chart_scale import nice_step

WIDTH = 640
# Okabe-Ito colours, with a dash pattern each so lines stay apart without colour vision.
PALETTE = ("#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9")
DASHES = ("none", "6 3", "2 3", "8 3 2 3", "12 4", "4 2 1 2")
_LEFT, _RIGHT, _TOP, _PLOT_H = 56, 620, 12, 180
_LEGEND_ROW = 20
_SPARKS = "▁▂▃▄▅▆▇█"
_SPARK_MAX = 28


@dataclass(frozen=True)
class Line:
    """One technique's series: its polyline, point markers and legend entry."""

    label: str
    colour: str
    dash: str
    points: str
    markers: tuple[tuple[float, float], ...]
    total: int
    legend_x: int
    legend_y: int


@dataclass(frozen=True)
class LineChart:
    """Indicators active per step for the largest techniques, with axes and a data table."""

    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    lines: tuple[Line, ...]
    y_ticks: tuple[tuple[str, float], ...]
    x_labels: tuple[tuple[str, float], ...]
    step_name: str
    rows: tuple[tuple[str, tuple[int, ...]], ...]


def line_chart(timeline: Timeline, titles: Sequence[tuple[str, str]]) -> LineChart | None:
    """The chart for `titles` ((technique, title), largest first; six at most), or None."""
    shown = [(t, title) for t, title in titles if t in timeline.series][: len(PALETTE)]
    if not shown or timeline.steps == 0:
        return None
    steps, bottom = timeline.steps, _TOP + _PLOT_H
    step = nice_step(max(max(timeline.series[t]) for t, _ in shown) / 4)
    top_value = 4 * step

    def x(i: int) -> float:
        return round(_LEFT + (_RIGHT - _LEFT) * (i / (steps - 1) if steps > 1 else 0.5), 1)

    def y(n: int) -> float:
        return round(bottom - _PLOT_H * n / top_value, 1)

    lines = []
    for k, (technique, title) in enumerate(shown):
        counts = timeline.series[technique]
        markers = tuple((x(i), y(n)) for i, n in enumerate(counts))
        lines.append(
            Line(
                label=clip(title, 30),
                colour=PALETTE[k],
                dash=DASHES[k],
                points=" ".join(f"{px},{py}" for px, py in markers),
                markers=markers,
                total=sum(counts),
                legend_x=_LEFT + (k % 2) * 290,
                legend_y=bottom + 44 + (k // 2) * _LEGEND_ROW,
            )
        )
    daily = timeline.step >= DAY
    label_format = "%m-%d" if daily else "%H:%M"
    every = -(-steps // 8)
    starts = timeline.starts()
    return LineChart(
        width=WIDTH,
        height=bottom + 44 + -(-len(lines) // 2) * _LEGEND_ROW,
        left=_LEFT,
        right=_RIGHT,
        top=_TOP,
        bottom=bottom,
        lines=tuple(lines),
        y_ticks=tuple((compact(j * step), y(j * step)) for j in range(5)),
        x_labels=tuple((starts[i].strftime(label_format), x(i)) for i in range(0, steps, every)),
        step_name="day" if daily else "hour",
        rows=tuple(
            (start.strftime("%Y-%m-%d" if daily else "%Y-%m-%d %H:%M"), counts)
            for start, counts in zip(
                starts, zip(*(timeline.series[t] for t, _ in shown), strict=True), strict=True
            )
        ),
    )


def compact(n: int) -> str:
    """An axis label that fits the margin: 900, 12k, 1.5M."""
    for size, suffix in ((1_000_000, "M"), (1_000, "k")):
        if n >= size:
            return f"{n / size:.1f}".removesuffix(".0") + suffix
    return str(n)


def sparkline(counts: Sequence[int]) -> str:
    """Counts as block characters scaled to their maximum, at most 28 wide (maxima of groups)."""
    if not counts:
        return ""
    group = -(-len(counts) // _SPARK_MAX)
    values = [max(counts[i : i + group]) for i in range(0, len(counts), group)]
    top = max(values)
    if top == 0:
        return _SPARKS[0] * len(values)
    return "".join(_SPARKS[round((len(_SPARKS) - 1) * v / top)] for v in values)
