"""What an advisory states: counts for a period and the indicators attached to it.

The store builds these values; rendering only reads them. A value that would make the
advisory wrong (a marking lower than an attached indicator's, a reversed period) is refused.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

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
class AdvisoryFacts:
    """Everything an advisory says about one period; `corroborated` counts 2+ lab reports."""

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
    }
    problems += [f"{name} is negative ({value})" for name, value in counts.items() if value < 0]
    for ind in facts.indicators:
        if not ind.tlp.allows(facts.tlp):
            problems.append(
                f"indicator {ind.type} is {ind.tlp.label}, above the advisory's {facts.tlp.label}"
            )
    return problems
