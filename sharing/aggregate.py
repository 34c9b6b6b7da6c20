"""Fold a submission's sighting records into one aggregate per (type, value).

Sixteen million sightings reduce to tens of thousands of aggregates; only those reach the
database. Bad records are set aside with their line number, reason and raw bytes.
"""

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sharing.records import RecordReader, RecordRejected, Sighting
from sharing.tlp import TLP


@dataclass(slots=True)
class SightingAggregate:
    """Everything one lab said about one indicator within one submission."""

    sightings: int
    first_seen: datetime
    last_seen: datetime
    confidence: int
    tlp: TLP
    tags: set[str]
    campaign: str | None

    @classmethod
    def of(cls, s: Sighting) -> "SightingAggregate":
        return cls(s.count, s.seen, s.seen, s.confidence, s.tlp, set(s.tags), s.campaign)

    def add(self, s: Sighting) -> None:
        self.sightings += s.count
        self.first_seen = min(self.first_seen, s.seen)
        self.last_seen = max(self.last_seen, s.seen)
        self.confidence = max(self.confidence, s.confidence)
        if s.tlp.rank > self.tlp.rank:
            self.tlp = s.tlp
        self.tags.update(s.tags)
        if self.campaign is None:
            self.campaign = s.campaign


@dataclass(frozen=True, slots=True)
class Rejected:
    line: int
    reason: str
    raw: bytes


@dataclass
class AggregatedSubmission:
    records: int = 0
    aggregates: dict[tuple[str, str], SightingAggregate] = field(default_factory=dict)
    rejected: list[Rejected] = field(default_factory=list)

    @property
    def accepted(self) -> int:
        return self.records - len(self.rejected)


def aggregate_file(path: Path) -> AggregatedSubmission:
    """Read a JSON Lines submission once, keeping only aggregates and rejects in memory."""
    result = AggregatedSubmission()
    aggregates = result.aggregates
    with path.open("rb") as stream:
        for line, raw, outcome in RecordReader(stream):
            result.records += 1
            if isinstance(outcome, RecordRejected):
                result.rejected.append(Rejected(line, outcome.reason, raw))
                continue
            key = (outcome.type, outcome.value)
            existing = aggregates.get(key)
            if existing is None:
                aggregates[key] = SightingAggregate.of(outcome)
            else:
                existing.add(outcome)
    return result
