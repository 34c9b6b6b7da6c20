"""What each technique did in a period: volume, trend, novelty, corroboration, types.

Corroboration counts the labs whose own reports carried the technique's tag, so a tag one
lab added to a shared indicator is not credited to the others.
"""

from collections import Counter, defaultdict
from typing import Any

import orjson
from sqlalchemy import Row
from sqlmodel import Session, select

from sharing.advisories.facts import TechniqueActivity
from sharing.advisories.period import Period
from sharing.advisories.timeline import as_utc
from sharing.store.models import Contribution, Indicator


def previous_counts(session: Session, period: Period, technique: str | None) -> Counter[str]:
    """Indicators per technique in the previous period; the key "" counts all of them."""
    query = select(Indicator.tags).where(
        Indicator.last_seen >= period.start, Indicator.first_seen < period.end
    )
    counts: Counter[str] = Counter()
    for raw in session.exec(query):
        found = orjson.loads(raw)
        if technique is None or technique in found:
            counts[""] += 1
            counts.update(found if technique is None else [technique])
    return counts


def technique_activity(
    session: Session,
    period: Period,
    rows: list[Row[Any]],
    tags: dict[int, tuple[str, ...]],
    previous: Counter[str],
    technique: str | None,
) -> dict[str, TechniqueActivity]:
    """Per technique: counts, new, corroborated, labs that reported it, and its types."""
    labs: dict[str, set[str]] = defaultdict(set)
    reported = select(Contribution.lab, Contribution.tags).where(
        Contribution.last_seen >= period.start, Contribution.first_seen <= period.end
    )
    for lab, raw in session.exec(reported):
        for tag in orjson.loads(raw):
            if technique is None or tag == technique:
                labs[tag].add(lab)
    grouped: dict[str, list[Row[Any]]] = defaultdict(list)
    for indicator in rows:
        for tag in tags[indicator.id]:
            grouped[tag].append(indicator)
    if technique is not None:
        grouped.setdefault(technique, [])
    return {
        tag: TechniqueActivity(
            indicators=len(members),
            previous=previous[tag],
            new=sum(1 for i in members if as_utc(i.first_seen) >= period.start),
            corroborated=sum(1 for i in members if i.labs >= 2),
            labs=len(labs[tag]),
            by_type=dict(sorted(Counter(i.type for i in members).items())),
        )
        for tag, members in sorted(grouped.items())
    }
