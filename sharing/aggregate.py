"""Fold a submission's sighting records into one aggregate per (type, value).

Sixteen million sightings reduce to tens of thousands of aggregates; only those reach the
database. Memory grows with the number of distinct indicators, not of records: JSON Lines
are read in blocks (sharing.block_aggregation), hashed in the same pass. Bad records are set
aside with their line number, reason and raw bytes.
"""

import hashlib
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from sharing.block_aggregation import fold_groups
from sharing.block_pool import default_workers, folded_blocks
from sharing.line_blocks import OverlongLine, read_line_blocks
from sharing.personal_data import scrubbed
from sharing.record_reader import RecordReader, SightingChecks
from sharing.record_sources import RecordSource
from sharing.records import PersonalDataRejected, RecordRejected, Sighting
from sharing.redaction import holds_personal_data, redacted_line
from sharing.sighting_aggregate import SightingAggregate


@dataclass(frozen=True, slots=True)
class Rejected:
    line: int
    reason: str
    raw: bytes
    personal: bool = False  # held raw personal data: reason and raw are redacted


@dataclass
class AggregatedSubmission:
    sha256: str = ""
    records: int = 0
    aggregates: dict[tuple[str, str], SightingAggregate] = field(default_factory=dict)
    rejected: list[Rejected] = field(default_factory=list)
    refused: bool = False  # the whole submission was refused (see submission_record)
    redacted_sha256: str = ""  # the kept copy, when personal data was redacted out of it

    def add(self, line: int, raw: bytes, outcome: Sighting | RecordRejected) -> None:
        """Count one record and fold it in, or set it aside."""
        self.records += 1
        if isinstance(outcome, RecordRejected):
            if isinstance(outcome, PersonalDataRejected) or holds_personal_data(raw):
                reason = scrubbed(outcome.reason)
                self.rejected.append(Rejected(line, reason, redacted_line(raw), personal=True))
            else:
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


def aggregate_file(
    path: Path,
    reader: RecordSource = RecordReader,
    *,
    block_size: int = 32 << 20,
    workers: int | None = None,
) -> AggregatedSubmission:
    """Read and hash a submission once, keeping only aggregates and rejects. JSON Lines go
    through the block path, in parallel workers when the file spans several blocks (all
    cores unless `workers` says); other formats (CSV, STIX) are read record by record."""
    if reader is not RecordReader:
        return _aggregate_records(path, reader)
    if workers is None:
        workers = default_workers() if path.stat().st_size > 2 * block_size else 1
    if workers > 1:
        try:
            return _aggregate_blocks(path, block_size, workers)
        except BrokenProcessPool:
            # Workers could not start or died (a main script without an `if __name__ ==
            # "__main__"` guard, memory): read the file again in this process instead.
            pass
    return _aggregate_blocks(path, block_size, 1)


def _aggregate_blocks(path: Path, block_size: int, workers: int) -> AggregatedSubmission:
    result = AggregatedSubmission()
    groups: list[pl.DataFrame] = []
    checks = SightingChecks()
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        blocks = read_line_blocks(stream, digest, block_size=block_size, max_line=checks.max_line)
        for folded in folded_blocks(blocks, path, workers=workers):
            if isinstance(folded, OverlongLine):
                reason = f"the line is longer than {checks.max_line} bytes"
                result.add(folded.line, folded.head, RecordRejected(reason))
                continue
            result.records += folded.accepted
            groups.append(folded.groups)
            for line, raw in folded.leftover:
                if raw and not raw.isspace():
                    result.add(line, raw, checks.read_line(raw))
    for key, aggregate in fold_groups(groups).items():
        result.absorb(key, aggregate)
    result.sha256 = digest.hexdigest()
    return result


def _aggregate_records(path: Path, reader: RecordSource) -> AggregatedSubmission:
    result = AggregatedSubmission()
    with path.open("rb") as stream:
        result.sha256 = hashlib.file_digest(stream, "sha256").hexdigest()
        stream.seek(0)
        for line, raw, outcome in reader(stream):
            result.add(line, raw, outcome)
    return result
