"""Fold a submission's sighting records into one aggregate per (type, value).

Sixteen million sightings reduce to tens of thousands of aggregates; only those reach the
database. Memory grows with the number of distinct indicators, not of records: JSON Lines
are read in blocks (sharing.block_aggregation), hashed in the same pass. Bad records are set
aside with their line number, reason and raw bytes.
"""

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sharing.block_aggregation import BlockAggregator
from sharing.line_blocks import OverlongLine, read_line_blocks
from sharing.record_reader import SightingChecks
from sharing.records import RecordRejected, Sighting
from sharing.tlp import TLP

_BY_RANK = sorted(TLP, key=lambda t: t.rank)
_NO_CAMPAIGN_LINE = 1 << 62


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
    campaign_line: int = _NO_CAMPAIGN_LINE  # the line that named the campaign first

    @classmethod
    def of(cls, s: Sighting, line: int = 0) -> "SightingAggregate":
        where = line if s.campaign is not None else _NO_CAMPAIGN_LINE
        return cls(s.count, s.seen, s.seen, s.confidence, s.tlp, set(s.tags), s.campaign, where)

    def add(self, s: Sighting, line: int = 0) -> None:
        self.absorb(SightingAggregate.of(s, line))

    def absorb(self, other: "SightingAggregate") -> None:
        """Fold in what another part of the same submission said about this indicator."""
        self.sightings += other.sightings
        self.first_seen = min(self.first_seen, other.first_seen)
        self.last_seen = max(self.last_seen, other.last_seen)
        self.confidence = max(self.confidence, other.confidence)
        if other.tlp.rank > self.tlp.rank:
            self.tlp = other.tlp
        self.tags.update(other.tags)
        if other.campaign_line < self.campaign_line:
            self.campaign, self.campaign_line = other.campaign, other.campaign_line


@dataclass(frozen=True, slots=True)
class Rejected:
    line: int
    reason: str
    raw: bytes


@dataclass
class AggregatedSubmission:
    sha256: str = ""
    records: int = 0
    aggregates: dict[tuple[str, str], SightingAggregate] = field(default_factory=dict)
    rejected: list[Rejected] = field(default_factory=list)

    @property
    def accepted(self) -> int:
        return self.records - len(self.rejected)

    def add(self, line: int, raw: bytes, outcome: Sighting | RecordRejected) -> None:
        """Count one record and fold it in, or set it aside."""
        self.records += 1
        if isinstance(outcome, RecordRejected):
            self.rejected.append(Rejected(line, outcome.reason, raw))
            return
        key = (outcome.type, outcome.value)
        existing = self.aggregates.get(key)
        if existing is None:
            self.aggregates[key] = SightingAggregate.of(outcome, line)
        else:
            existing.add(outcome, line)

    def absorb(self, key: tuple[str, str], aggregate: SightingAggregate) -> None:
        existing = self.aggregates.get(key)
        if existing is None:
            self.aggregates[key] = aggregate
        else:
            existing.absorb(aggregate)


def aggregate_file(path: Path, *, block_size: int = 32 << 20) -> AggregatedSubmission:
    """Read and hash a JSON Lines submission once, keeping only aggregates and rejects."""
    result = AggregatedSubmission()
    checks = SightingChecks()
    blocks = BlockAggregator(checks)
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in read_line_blocks(
            stream, digest, block_size=block_size, max_line=checks.max_line
        ):
            if isinstance(block, OverlongLine):
                reason = f"the line is longer than {checks.max_line} bytes"
                result.add(block.line, block.head, RecordRejected(reason))
                continue
            folded = blocks.aggregate(block)
            result.records += folded.accepted
            _absorb_groups(result, folded.groups.iter_rows(), blocks.values.tag_sets)
            for line, raw in folded.leftover:
                if raw and not raw.isspace():
                    result.add(line, raw, checks.read_line(raw))
    result.sha256 = digest.hexdigest()
    return result


def _absorb_groups(
    result: AggregatedSubmission, groups: Iterable[tuple], tag_sets: list[tuple[str, ...]]
) -> None:
    for ctype, cvalue, n, first, last, confidence, rank, tag_ids, campaign, line in groups:
        tags = set().union(*(tag_sets[i] for i in tag_ids))
        where = _NO_CAMPAIGN_LINE if line is None else line
        aggregate = SightingAggregate(
            n, first, last, confidence, _BY_RANK[rank], tags, campaign, where
        )
        result.absorb((ctype, cvalue), aggregate)
