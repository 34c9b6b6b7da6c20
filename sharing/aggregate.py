"""Fold a submission's sighting records into one aggregate per (type, value).

Sixteen million sightings reduce to tens of thousands of aggregates; only those reach the
database. Memory grows with the number of distinct indicators, not of records: JSON Lines
are read in blocks (sharing.block_aggregation), hashed in the same pass. Bad records are set
aside with their line number, reason and raw bytes.
"""

import hashlib
from collections.abc import Iterator, Sequence
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from itertools import takewhile
from pathlib import Path

from sharing.block_aggregation import fold_groups
from sharing.block_pool import FileBlock, default_workers, folded_blocks
from sharing.line_blocks import LineBlock, OverlongLine, read_line_blocks
from sharing.record_reader import RecordReader, SightingChecks
from sharing.record_sources import RecordSource
from sharing.record_tally import RecordTally, Rejected
from sharing.records import RecordRejected
from sharing.sighting_aggregate import SightingAggregate

__all__ = ["AggregatedSubmission", "Rejected", "SightingAggregate", "aggregate_file"]


@dataclass
class AggregatedSubmission(RecordTally):
    sha256: str = ""
    refused: bool = False  # the whole submission was refused (see submission_record)
    redacted_sha256: str = ""  # the kept copy, when personal data was redacted out of it


@dataclass(frozen=True, slots=True)
class _FileEnd:
    """Marks where one file's blocks end, with the hash of all its bytes."""

    digest: "hashlib._Hash"


def aggregate_file(
    path: Path,
    reader: RecordSource = RecordReader,
    *,
    block_size: int = 32 << 20,
    workers: int | None = None,
) -> AggregatedSubmission:
    """Read and hash one submission once, keeping only aggregates and rejects."""
    return next(aggregate_files([(path, reader)], block_size=block_size, workers=workers))


def aggregate_files(
    files: Sequence[tuple[Path, RecordSource]],
    *,
    block_size: int = 32 << 20,
    workers: int | None = None,
) -> Iterator[AggregatedSubmission]:
    """Each submission read and hashed once, in order. JSON Lines go through the block
    path, in parallel workers when there is more than two blocks' worth (all cores unless
    `workers` says), kept busy across file ends; CSV and STIX are read record by record."""
    if workers is None:
        size = sum(path.stat().st_size for path, reader in files if reader is RecordReader)
        workers = default_workers() if size > 2 * block_size else 1
    done = 0
    while done < len(files):
        path, reader = files[done]
        if reader is not RecordReader:
            yield _aggregate_records(path, reader)
            done += 1
            continue
        run = list(takewhile(lambda f: f[1] is RecordReader, files[done:]))
        try:
            for parsed in _aggregate_blocks([p for p, _ in run], block_size, workers):
                yield parsed
                done += 1
        except BrokenProcessPool:
            # Workers could not start or died (a main script without an `if __name__ ==
            # "__main__"` guard, memory): read the rest again in this process instead.
            workers = 1


def _aggregate_blocks(
    paths: list[Path], block_size: int, workers: int
) -> Iterator[AggregatedSubmission]:
    checks = SightingChecks()
    result, groups = AggregatedSubmission(), []
    for folded in folded_blocks(_file_blocks(paths, block_size, checks), workers=workers):
        if isinstance(folded, OverlongLine):
            reason = f"the line is longer than {checks.max_line} bytes"
            result.add(folded.line, folded.head, RecordRejected(reason))
        elif isinstance(folded, _FileEnd):
            for key, aggregate in fold_groups(groups).items():
                result.absorb(key, aggregate)
            result.sha256 = folded.digest.hexdigest()
            yield result
            result, groups = AggregatedSubmission(), []
        else:
            result.records += folded.accepted
            groups.append(folded.groups)
            result.absorb_tally(folded.leftover)


def _file_blocks(
    paths: list[Path], block_size: int, checks: SightingChecks
) -> Iterator[FileBlock | OverlongLine | _FileEnd]:
    for path in paths:
        digest = hashlib.sha256()
        with path.open("rb") as stream:
            for block in read_line_blocks(
                stream, digest, block_size=block_size, max_line=checks.max_line
            ):
                yield FileBlock(str(path), block) if isinstance(block, LineBlock) else block
        yield _FileEnd(digest)


def _aggregate_records(path: Path, reader: RecordSource) -> AggregatedSubmission:
    result = AggregatedSubmission()
    with path.open("rb") as stream:
        result.sha256 = hashlib.file_digest(stream, "sha256").hexdigest()
        stream.seek(0)
        for line, raw, outcome in reader(stream):
            result.add(line, raw, outcome)
    return result
