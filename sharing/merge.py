"""Merge one lab's aggregates into the shared indicators: one row per (type, value), one
contribution per (indicator, lab), and a new version whenever the merged view changes."""

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sqlalchemy import insert
from sqlmodel import Session, col, select

from sharing.aggregate import SightingAggregate
from sharing.audience import narrowed, red_audience
from sharing.store.models import Contribution, Indicator
from sharing.tlp import TLP, most_restrictive

_BATCH = 2000


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
        fresh = [key for key in batch if key not in indicators]
        _insert_new(session, lab, fresh, aggregates)
        new += len(fresh)
        contributions = _load_contributions(session, [i.id for i in indicators.values()])
        for key, indicator in indicators.items():
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


def _insert_new(
    session: Session,
    lab: str,
    keys: list[tuple[str, str]],
    aggregates: Mapping[tuple[str, str], SightingAggregate],
) -> None:
    """Insert indicators first reported now, with their one contribution, in bulk: their
    merged view is that contribution, at version 1."""
    if not keys:
        return
    views = [{"type": k[0], "value": k[1], **_view(aggregates[k])} for k in keys]
    for view, key in zip(views, keys, strict=True):
        view.update(labs=1, sightings=aggregates[key].sightings, version=1)
    # Core inserts: the ORM's bulk path would run one statement per row here.
    connection = session.connection()
    table = Indicator.__table__
    returned = insert(table).returning(table.c.id, table.c.type, table.c.value)
    ids = {(t, v): i for i, t, v in connection.execute(returned, views)}
    connection.execute(
        insert(Contribution.__table__),
        [
            {"indicator_id": ids[k], "lab": lab, "sightings": aggregates[k].sightings}
            | _view(aggregates[k])
            | {"audience": _audience(aggregates[k].named())}
            for k in keys
        ],
    )


def _view(agg: SightingAggregate) -> dict:
    return {
        "tlp": agg.tlp.value,
        "confidence": agg.confidence,
        "first_seen": agg.first_seen,
        "last_seen": agg.last_seen,
        "tags": json.dumps(sorted(agg.tags)),
        "campaign": agg.campaign,
    }


def _fold(
    session: Session,
    indicator: Indicator,
    lab: str,
    own: Contribution | None,
    agg: SightingAggregate,
) -> Contribution:
    if own is None:
        own = Contribution(
            indicator_id=indicator.id, lab=lab, sightings=agg.sightings, **_view(agg)
        )
        own.audience = _audience(agg.named())
    else:
        own.sightings += agg.sightings
        own.first_seen = min(own.first_seen, agg.first_seen)
        own.last_seen = max(own.last_seen, agg.last_seen)
        own.confidence = max(own.confidence, agg.confidence)
        before = red_audience(TLP(own.tlp), json.loads(own.audience or "[]"))
        own.audience = _audience(narrowed(before, agg.named()))
        own.tlp = most_restrictive([TLP(own.tlp), agg.tlp]).value
        own.tags = json.dumps(sorted(set(json.loads(own.tags)) | agg.tags))
        own.campaign = own.campaign or agg.campaign
    session.add(own)
    return own


def _audience(named: frozenset[str] | None) -> str | None:
    return None if named is None else json.dumps(sorted(named))


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
