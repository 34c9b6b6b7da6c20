"""What the advisory templates receive: the facts, ordered tables, guidance and chart geometry.

Ordering and arithmetic live here so the three formats agree and templates stay simple.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sharing.advisories.chart import line_chart, sparkline
from sharing.advisories.facts import AdvisoryFacts, TechniqueActivity
from sharing.advisories.filters import clip
from sharing.advisories.guidance import Guidance
from sharing.tlp import TLP

# TLP 2.0 sharing rules, as printed under the marking.
HANDLING = {
    TLP.CLEAR: "Recipients may share this advisory without restriction.",
    TLP.GREEN: "Recipients may share this advisory within their community, "
    "but not on publicly accessible channels.",
    TLP.AMBER: "Recipients may share this advisory on a need-to-know basis within "
    "their own organisation and with its clients.",
    TLP.AMBER_STRICT: "Recipients may share this advisory on a need-to-know basis "
    "within their own organisation only.",
    TLP.RED: "For the named recipients only: no further disclosure.",
}

CHART_WIDTH = 640
_LABEL_END = 196
_BAR_START = 204
_BAR_MAX = 360
_ROW = 26
_BAR = 18
_PAD = 8


@dataclass(frozen=True)
class Technique:
    """A row of the per-technique table: the tag, its readable title, its count and, when the
    store supplied them, its activity, trend against the previous period and sparkline."""

    technique: str
    title: str
    count: int
    guided: bool
    activity: TechniqueActivity | None = None
    trend: str | None = None
    spark: str = ""
    types: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True)
class Bar:
    """One bar of the per-technique chart, in SVG user units."""

    label: str
    count: int
    y: int
    width: int


@dataclass(frozen=True)
class Chart:
    """A horizontal bar chart of indicators per technique."""

    bars: tuple[Bar, ...]
    width: int
    height: int
    label_end: int
    bar_start: int
    bar_height: int


def ranked(counts: Mapping[str, int]) -> list[tuple[str, int]]:
    """Largest first, then by name, so every rendering of the same facts is identical."""
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def trend(current: int, previous: int) -> str:
    """How `current` compares with the previous period, in words a reader can quote."""
    if previous == 0:
        return "none in the previous period" if current == 0 else "new: none in the previous period"
    change = round(100 * (current - previous) / previous)
    if change == 0:
        return f"unchanged from {previous:,} in the previous period"
    direction = "up" if change > 0 else "down"
    return f"{direction} {abs(change):,}% from {previous:,} in the previous period"


def techniques(facts: AdvisoryFacts, guidance: Mapping[str, Guidance]) -> list[Technique]:
    """The per-technique rows, titled from guidance where the hub has written some."""
    rows = []
    series = facts.timeline.series if facts.timeline else {}
    for name, n in ranked(facts.by_technique):
        known, act = guidance.get(name), facts.activity.get(name)
        rows.append(
            Technique(
                technique=name,
                title=known.title if known else name,
                count=n,
                guided=known is not None,
                activity=act,
                trend=trend(act.indicators, act.previous) if act else None,
                spark=sparkline(series.get(name, ())),
                types=tuple(ranked(act.by_type)) if act else (),
            )
        )
    return rows


def chart(rows: list[Technique]) -> Chart:
    """Bar geometry scaled to the largest count; any non-zero count stays visible."""
    top = max((row.count for row in rows), default=0)
    bars = tuple(
        Bar(
            label=clip(row.title, 30),
            count=row.count,
            y=_PAD + i * _ROW,
            width=max(2, round(_BAR_MAX * row.count / top)) if row.count else 0,
        )
        for i, row in enumerate(rows)
    )
    height = 2 * _PAD + len(bars) * _ROW
    return Chart(bars, CHART_WIDTH, height, _LABEL_END, _BAR_START, _BAR)


def advisory_context(facts: AdvisoryFacts, guidance: Mapping[str, Guidance]) -> dict[str, Any]:
    """The variables every advisory template may use."""
    rows = techniques(facts, guidance)
    previous = facts.indicators_previous
    titles = [(row.technique, row.title) for row in rows]
    return {
        "facts": facts,
        "tlp": facts.tlp,
        "handling": HANDLING[facts.tlp],
        "types": ranked(facts.by_type),
        "techniques": rows,
        "guidance": [guidance[row.technique] for row in rows if row.guided],
        "unguided": [row.technique for row in rows if not row.guided],
        "chart": chart(rows),
        "timeline": line_chart(facts.timeline, titles) if facts.timeline else None,
        "trend": trend(facts.indicators_total, previous) if previous is not None else None,
        "rows": {row.technique: row for row in rows},
    }
