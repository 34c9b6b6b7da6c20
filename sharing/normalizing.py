"""Applying the catalogue to a file of records: canonical records out, rejects with reasons.

Used by `dtix indicators normalize`, so a lab can check a feed before submitting it. The
output is JSON Lines that dtix reads back unchanged; every record in is either out or
rejected, with its line number and reason.
"""

import base64
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import orjson

from sharing.record_sources import read_records
from sharing.records import RecordRejected, Sighting


@dataclass(frozen=True)
class NormalizeSummary:
    """How many records were read, written out canonical, and rejected."""

    records: int
    accepted: int
    rejected: int


def normalize_file(source: Path, out: BinaryIO, rejects: BinaryIO | None) -> NormalizeSummary:
    """Write each record of `source` to `out` in canonical form, or to `rejects` (when given)
    as {"line", "reason", "raw"}; InputError when `source` is not a file of records.
    """
    records = accepted = 0
    for line, raw, outcome in read_records(source):
        records += 1
        if isinstance(outcome, RecordRejected):
            if rejects is not None:
                rejects.write(reject_line(line, outcome.reason, raw))
            continue
        accepted += 1
        out.write(canonical_line(outcome))
    return NormalizeSummary(records, accepted, records - accepted)


def canonical_line(sighting: Sighting) -> bytes:
    """A sighting as one JSON Lines record with every field, in the order of the docs."""
    seen = sighting.seen.replace(tzinfo=None).isoformat() + "Z"
    record = {
        "type": sighting.type,
        "value": sighting.value,
        "seen": seen,
        "tlp": sighting.tlp.value,
        "confidence": sighting.confidence,
        "tags": list(sighting.tags),
        "campaign": sighting.campaign,
        "count": sighting.count,
        "description": sighting.description,
    }
    return orjson.dumps(record) + b"\n"


def reject_line(line: int, reason: str, raw: bytes) -> bytes:
    """A rejected record: its line, the reason, and the raw bytes (as text, or base64 when
    they are not UTF-8)."""
    entry: dict[str, object] = {"line": line, "reason": reason}
    try:
        entry["raw"] = raw.decode("utf-8")
    except UnicodeDecodeError:
        entry["raw_base64"] = base64.b64encode(raw).decode("ascii")
    return orjson.dumps(entry) + b"\n"


@contextmanager
def replaced_on_success(path: Path) -> Iterator[BinaryIO]:
    """A file written beside `path` that replaces it only when the block ends without error."""
    staged = path.with_name(f".{path.name}.tmp")
    try:
        with staged.open("wb") as stream:
            yield stream
        os.replace(staged, path)
    finally:
        staged.unlink(missing_ok=True)
