"""Merge one lab's aggregates into the shared indicators: one row per (type, value), one
contribution per (indicator, lab), and a new version whenever the merged view changes.

A campaign's submission touches tens of thousands of indicators, so rows are read and
written in batches as plain values (COPY or multi-row inserts, executemany updates), never
one ORM object at a time.
"""

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, bindparam, select, update
from sqlmodel import Session

from sharing.aggregate import SightingAggregate
from sharing.audience import narrowed, red_audience
from sharing.store.bulk_insert import insert_rows
from sharing.store.models import Contribution, Indicator
from sharing.tlp import TLP, most_restrictive

_BATCH = 2000
_INDICATORS = Indicator.__table__
_CONTRIBUTIONS = Contribution.__table__
_VIEW = ("tlp", "confidence", "first_seen", "last_seen", "tags", "campaign", "labs")
Key = tuple[str, str]
Row = dict[str, Any]


@dataclass(frozen=True)
class MergeCounts:
    new: int
    changed: int
    unchanged: int


def merge_aggregates(
    session: Session, lab: str, aggregates: Mapping[Key, SightingAggregate]
) -> MergeCounts:
    """Fold `aggregates` into the store within the caller's transaction, which must hold the
    audit log's append lock (`hold_append_lock`): reading rows and writing them back is safe
    only while no other merge runs."""
    connection = session.connection()
    new = changed = unchanged = 0
    keys = sorted(aggregates)
    for start in range(0, len(keys), _BATCH):
        batch = keys[start : start + _BATCH]
        indicators = _load_indicators(connection, batch)
        fresh = [key for key in batch if key not in indicators]
        _insert_new(connection, lab, fresh, aggregates)
        new += len(fresh)
        bumped = _merge_known(connection, lab, indicators, aggregates)
        changed += bumped
        unchanged += len(indicators) - bumped
    session.expire_all()  # ORM objects loaded earlier in this session are now stale
    return MergeCounts(new=new, changed=changed, unchanged=unchanged)


def _load_indicators(connection: Connection, keys: list[Key]) -> dict[Key, Row]:
    """The stored indicators among `keys`, one query per type: a plain IN list on the
    (type, value) index, which both databases plan well, where a list of pairs is not."""
    by_type: dict[str, list[str]] = {}
    for type_, value in keys:
        by_type.setdefault(type_, []).append(value)
    found: dict[Key, Row] = {}
    for type_, values in by_type.items():
        query = select(_INDICATORS).where(
            _INDICATORS.c.type == type_, _INDICATORS.c.value.in_(values)
        )
        found.update(((type_, r["value"]), dict(r)) for r in connection.execute(query).mappings())
    return found


def _load_contributions(connection: Connection, ids: list[int]) -> dict[int, dict[str, Row]]:
    grouped: dict[int, dict[str, Row]] = {i: {} for i in ids}
    if ids:
        query = select(_CONTRIBUTIONS).where(_CONTRIBUTIONS.c.indicator_id.in_(ids))
        for row in connection.execute(query).mappings():
            grouped[row["indicator_id"]][row["lab"]] = dict(row)
    return grouped


def _insert_new(
    connection: Connection, lab: str, keys: list[Key], aggregates: Mapping[Key, SightingAggregate]
) -> None:
    """Insert indicators first reported now, with their one contribution: their merged view
    is that contribution, at version 1."""
    if not keys:
        return
    views = [
        {"type": k[0], "value": k[1], **_view(aggregates[k])}
        | {"labs": 1, "sightings": aggregates[k].sightings, "version": 1}
        for k in keys
    ]
    insert_rows(connection, _INDICATORS, views)
    ids = {key: row["id"] for key, row in _load_indicators(connection, keys).items()}
    insert_rows(
        connection,
        _CONTRIBUTIONS,
        [{"indicator_id": ids[k], "lab": lab, **_contribution(None, aggregates[k])} for k in keys],
    )


def _merge_known(
    connection: Connection,
    lab: str,
    indicators: dict[Key, Row],
    aggregates: Mapping[Key, SightingAggregate],
) -> int:
    """Fold this lab's aggregates into indicators that exist; how many got a new version."""
    contributions = _load_contributions(connection, [i["id"] for i in indicators.values()])
    added, folded, refreshed, bumped = [], [], [], 0
    for key, indicator in indicators.items():
        of_indicator = contributions[indicator["id"]]
        own = of_indicator.get(lab)
        values = _contribution(own, aggregates[key])
        if own is None:
            added.append({"indicator_id": indicator["id"], "lab": lab, **values})
        else:
            folded.append({"_id": own["id"], **values})
        of_indicator[lab] = values
        view = _merged_view(of_indicator.values())
        is_changed = any(indicator[k] != v for k, v in view.items())
        bumped += is_changed
        refreshed.append(
            {
                "_id": indicator["id"],
                "sightings": sum(c["sightings"] for c in of_indicator.values()),
                "version": indicator["version"] + is_changed,
                **(view if is_changed else {k: indicator[k] for k in _VIEW}),
            }
        )
    insert_rows(connection, _CONTRIBUTIONS, added)
    if folded:
        connection.execute(_by_id(_CONTRIBUTIONS), folded)
    if refreshed:
        connection.execute(_by_id(_INDICATORS), refreshed)
    return bumped


def _by_id(table: Any) -> Any:
    """An UPDATE of one row per parameter set, the row named by `_id`."""
    return update(table).where(table.c.id == bindparam("_id"))


def _view(agg: SightingAggregate) -> Row:
    return {
        "tlp": agg.tlp.value,
        "confidence": agg.confidence,
        "first_seen": agg.first_seen,
        "last_seen": agg.last_seen,
        "tags": json.dumps(sorted(agg.tags)),
        "campaign": agg.campaign,
    }


def _contribution(own: Row | None, agg: SightingAggregate) -> Row:
    """A lab's contribution with one more submission folded in."""
    if own is None:
        return {"sightings": agg.sightings, **_view(agg), "audience": _audience(agg.named())}
    before = red_audience(TLP(own["tlp"]), json.loads(own["audience"] or "[]"))
    return {
        "sightings": own["sightings"] + agg.sightings,
        "first_seen": min(own["first_seen"], agg.first_seen),
        "last_seen": max(own["last_seen"], agg.last_seen),
        "confidence": max(own["confidence"], agg.confidence),
        "tlp": most_restrictive([TLP(own["tlp"]), agg.tlp]).value,
        "tags": json.dumps(sorted(set(json.loads(own["tags"])) | agg.tags)),
        "campaign": own["campaign"] or agg.campaign,
        "audience": _audience(narrowed(before, agg.named())),
    }


def _audience(named: frozenset[str] | None) -> str | None:
    return None if named is None else json.dumps(sorted(named))


def _merged_view(contributions: Iterable[Row]) -> Row:
    """The merged view of all labs' contributions. Sightings are not part of it: a count
    going up tells a recipient nothing it must act on, and would resend every indicator."""
    items = list(contributions)
    tags: set[str] = set()
    for c in items:
        tags.update(json.loads(c["tags"]))
    best = max(items, key=lambda c: (c["confidence"], c["campaign"] is not None))
    return {
        "tlp": most_restrictive([TLP(c["tlp"]) for c in items]).value,
        "confidence": max(c["confidence"] for c in items),
        "first_seen": min(c["first_seen"] for c in items),
        "last_seen": max(c["last_seen"] for c in items),
        "tags": json.dumps(sorted(tags)),
        "campaign": best["campaign"] or next((c["campaign"] for c in items if c["campaign"]), None),
        "labs": len(items),
    }
