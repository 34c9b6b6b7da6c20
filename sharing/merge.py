"""Merge one lab's aggregates into the shared indicators: one row per (type, value), one
contribution per (indicator, lab), and a new version whenever the merged view changes."""

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sqlmodel import Session, col, select

from sharing.aggregate import SightingAggregate
from sharing.store.models import Contribution, Indicator
from sharing.tlp import TLP, most_restrictive

_BATCH = 500


@dataclass(frozen=True)
class MergeCounts:
    new: int
    changed: int
    unchanged: int


def merge_aggregates(
    session: Session, lab: str, aggregates: Mapping[tuple[str, str], SightingAggregate]
) -> MergeCounts:
    """Fold `aggregates` into the store within the caller's transaction."""
    new = changed = unchanged = 0
    keys = sorted(aggregates)
    for start in range(0, len(keys), _BATCH):
        batch = keys[start : start + _BATCH]
        indicators = _load_indicators(session, batch)
        contributions = _load_contributions(session, [i.id for i in indicators.values()])
        for key in batch:
            indicator = indicators.get(key)
            if indicator is None:
                indicator = _new_indicator(session, key, aggregates[key])
                contributions[indicator.id] = {}
                new += 1
            own = contributions[indicator.id].get(lab)
            contributions[indicator.id][lab] = _fold(session, indicator, lab, own, aggregates[key])
            if not _refresh(indicator, contributions[indicator.id].values()):
                unchanged += 1
            elif indicator.version > 1:
                changed += 1
    session.flush()
    return MergeCounts(new=new, changed=changed, unchanged=unchanged)


def _load_indicators(session: Session, keys: list[tuple[str, str]]) -> dict:
    by_type: dict[str, list[str]] = {}
    for type_, value in keys:
        by_type.setdefault(type_, []).append(value)
    found = {}
    for type_, values in by_type.items():
        query = select(Indicator).where(Indicator.type == type_, col(Indicator.value).in_(values))
        for row in session.exec(query):
            found[(row.type, row.value)] = row
    return found


def _load_contributions(session: Session, ids: list[int | None]) -> dict:
    grouped: dict[int, dict[str, Contribution]] = {i: {} for i in ids if i is not None}
    if grouped:
        query = select(Contribution).where(col(Contribution.indicator_id).in_(list(grouped)))
        for row in session.exec(query):
            grouped[row.indicator_id][row.lab] = row
    return grouped


def _new_indicator(session: Session, key: tuple[str, str], agg: SightingAggregate) -> Indicator:
    indicator = Indicator(
        type=key[0],
        value=key[1],
        tlp=agg.tlp.value,
        confidence=agg.confidence,
        first_seen=agg.first_seen,
        last_seen=agg.last_seen,
        tags=json.dumps(sorted(agg.tags)),
        campaign=agg.campaign,
        labs=0,
        sightings=0,
        version=0,
    )
    session.add(indicator)
    session.flush()
    return indicator


def _fold(
    session: Session,
    indicator: Indicator,
    lab: str,
    own: Contribution | None,
    agg: SightingAggregate,
) -> Contribution:
    if own is None:
        own = Contribution(
            indicator_id=indicator.id,
            lab=lab,
            sightings=agg.sightings,
            first_seen=agg.first_seen,
            last_seen=agg.last_seen,
            confidence=agg.confidence,
            tlp=agg.tlp.value,
            tags=json.dumps(sorted(agg.tags)),
            campaign=agg.campaign,
        )
    else:
        own.sightings += agg.sightings
        own.first_seen = min(own.first_seen, agg.first_seen)
        own.last_seen = max(own.last_seen, agg.last_seen)
        own.confidence = max(own.confidence, agg.confidence)
        own.tlp = most_restrictive([TLP(own.tlp), agg.tlp]).value
        own.tags = json.dumps(sorted(set(json.loads(own.tags)) | agg.tags))
        own.campaign = own.campaign or agg.campaign
    session.add(own)
    return own


def _refresh(indicator: Indicator, contributions: Iterable[Contribution]) -> bool:
    """Recompute the merged view from all contributions; bump the version if it changed.

    Sightings alone do not make a new version: a count going up tells a recipient nothing
    it must act on, and would resend every indicator on every run.
    """
    items = list(contributions)
    tags: set[str] = set()
    for c in items:
        tags.update(json.loads(c.tags))
    best = max(items, key=lambda c: (c.confidence, c.campaign is not None))
    view = {
        "tlp": most_restrictive([TLP(c.tlp) for c in items]).value,
        "confidence": max(c.confidence for c in items),
        "first_seen": min(c.first_seen for c in items),
        "last_seen": max(c.last_seen for c in items),
        "tags": json.dumps(sorted(tags)),
        "campaign": best.campaign or next((c.campaign for c in items if c.campaign), None),
        "labs": len(items),
    }
    indicator.sightings = sum(c.sightings for c in items)
    is_changed = indicator.version == 0 or any(getattr(indicator, k) != v for k, v in view.items())
    if is_changed:
        for name, value in view.items():
            setattr(indicator, name, value)
        indicator.version += 1
    return is_changed
