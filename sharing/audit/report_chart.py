"""The report's chart: indicators shared with each lab per day (per week over long spans),
as inline-SVG geometry. Every coordinate is computed here; the template draws the shapes
and repeats the numbers in a table for readers who cannot see the chart."""

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from sharing.chart_scale import nice_step

# Okabe-Ito colours, each with a dash pattern, so lines stay apart without colour vision.
PALETTE = ("#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#000000")
DASHES = ("none", "6 3", "2 3", "8 3 2 3", "12 4", "4 2 1 2", "1 2")
WIDTH, LEFT, RIGHT, TOP, PLOT_H, LEGEND_ROW = 720, 64, 700, 16, 220, 20
MAX_DAYS = 92  # longer spans are drawn per ISO week


@dataclass(frozen=True)
class Series:
    label: str
    colour: str
    dash: str
    points: str
    markers: tuple[tuple[float, float], ...]
    counts: tuple[int, ...]
    legend_y: int


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    step: str  # "day" or "week"
    buckets: tuple[str, ...]
    x_labels: tuple[tuple[str, float], ...]
    y_ticks: tuple[tuple[int, float], ...]
    series: tuple[Series, ...]


def _buckets(days: list[date]) -> tuple[str, list[str], dict[str, str]]:
    """The step, the bucket labels from first to last day, and each day's bucket."""
    first, last = min(days), max(days)
    span = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    if len(span) <= MAX_DAYS:
        labels = [d.isoformat() for d in span]
        return "day", labels, {d.isoformat(): d.isoformat() for d in span}
    week = {d.isoformat(): f"{d.isocalendar()[0]}-W{d.isocalendar()[1]:02d}" for d in span}
    return "week", list(dict.fromkeys(week.values())), week


def indicators_chart(per_day: Mapping[str, Counter[str]]) -> Chart | None:
    """Lines of indicators shared per lab and step, or None when nothing was shared."""
    labs = [lab for lab, counts in per_day.items() if sum(counts.values())][: len(PALETTE)]
    days = sorted({date.fromisoformat(d) for lab in labs for d in per_day[lab]})
    if not days:
        return None
    step, labels, bucket_of = _buckets(days)
    index = {label: i for i, label in enumerate(labels)}
    table = {lab: [0] * len(labels) for lab in labs}
    for lab in labs:
        for day, count in per_day[lab].items():
            table[lab][index[bucket_of[day]]] += count
    top = max(max(row) for row in table.values())
    tick = nice_step(top / 4)
    y_max = tick * max(1, -(-top // tick))
    bottom = TOP + PLOT_H

    def x(i: int) -> float:
        return round(LEFT + (RIGHT - LEFT) * (i + 0.5) / len(labels), 1)

    def y(v: int) -> float:
        return round(bottom - PLOT_H * v / y_max, 1)

    series = []
    for n, lab in enumerate(labs):
        marks = tuple((x(i), y(v)) for i, v in enumerate(table[lab]))
        points = " ".join(f"{a},{b}" for a, b in marks)
        legend = bottom + 44 + n * LEGEND_ROW
        series.append(Series(lab, PALETTE[n], DASHES[n], points, marks, tuple(table[lab]), legend))
    every = max(1, len(labels) // 8)
    return Chart(
        width=WIDTH,
        height=bottom + 44 + len(labs) * LEGEND_ROW,
        left=LEFT,
        right=RIGHT,
        top=TOP,
        bottom=bottom,
        step=step,
        buckets=tuple(labels),
        x_labels=tuple((labels[i], x(i)) for i in range(0, len(labels), every)),
        y_ticks=tuple((v, y(v)) for v in range(0, y_max + 1, tick)),
        series=tuple(series),
    )
