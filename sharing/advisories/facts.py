"""What an advisory states: counts for a period and the indicators attached to it.

The store builds these values; rendering only reads them. A value that would make the
advisory wrong (a marking lower than an attached indicator's, a reversed period) is refused.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sharing.advisories.timeline import Timeline
from sharing.errors import InputError
from sharing.tlp import TLP


@dataclass(frozen=True)
class AdvisoryIndicator:
    """One indicator attached to an advisory, as a reader needs to see it."""

    type: str
    value: str
    labs: int
    confidence: int
    tags: tuple[str, ...]
    tlp: TLP


@dataclass(frozen=True)
class TechniqueActivity:
    """One technique in the period: how much, compared with the period before, and who saw it.

    `labs` is corroboration: how many labs reported indicators with this technique.
    """

    indicators: int
    previous: int
    new: int
    corroborated: int
    labs: int
    by_type: Mapping[str, int]


@dataclass(frozen=True)
class AdvisoryFacts:
    """Everything an advisory says about one period; `corroborated` counts 2+ lab reports.

    `focus` names the one technique an advisory is limited to, if any; `activity`,
    `indicators_previous` and `timeline` are optional details the store can supply.
    """

    title: str
    period_start: datetime
    period_end: datetime
    generated: datetime
    tlp: TLP
    labs_participating: int
    labs_reporting: int
    indicators_total: int
    indicators_new: int
    corroborated: int
    quarantined: int
    by_type: Mapping[str, int]
    by_technique: Mapping[str, int]
    indicators: Sequence[AdvisoryIndicator]
    bulletins: Sequence[str]
    activity: Mapping[str, TechniqueActivity] = field(default_factory=dict)
    indicators_previous: int | None = None
    timeline: Timeline | None = None
    focus: str | None = None

    def __post_init__(self) -> None:
        problems = _problems(self)
        if problems:
            raise InputError(f"advisory {self.title!r}: " + "; ".join(problems))


def _problems(facts: AdvisoryFacts) -> list[str]:
    """Why `facts` cannot be published as they stand (empty when they can)."""
    problems = []
    if facts.period_start > facts.period_end:
        problems.append("period_start is after period_end")
    if facts.labs_reporting > facts.labs_participating:
        problems.append(
            f"{facts.labs_reporting} labs reporting but only {facts.labs_participating} taking part"
        )
    counts = {
        "labs_participating": facts.labs_participating,
        "labs_reporting": facts.labs_reporting,
        "indicators_total": facts.indicators_total,
        "indicators_new": facts.indicators_new,
        "corroborated": facts.corroborated,
        "quarantined": facts.quarantined,
        **{f"by_type[{k!r}]": v for k, v in facts.by_type.items()},
        **{f"by_technique[{k!r}]": v for k, v in facts.by_technique.items()},
        "indicators_previous": facts.indicators_previous or 0,
    }
    for name, act in facts.activity.items():
        counts[f"activity[{name!r}]"] = min(act.indicators, act.previous, act.new, act.labs)
        if act.labs > facts.labs_participating:
            problems.append(f"technique {name!r} has more labs than take part")
    problems += [f"{name} is negative ({value})" for name, value in counts.items() if value < 0]
    for ind in facts.indicators:
        if not ind.tlp.allows(facts.tlp):
            problems.append(
                f"indicator {ind.type} is {ind.tlp.label}, above the advisory's {facts.tlp.label}"
            )
    return problems
