"""Which reader a file of sighting records needs: JSON Lines, CSV or a STIX 2.1 bundle.

Every reader yields the same stream, (line number, raw bytes, Sighting or RecordRejected),
so whatever consumes records does not care which format a lab chose.
"""

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

import orjson

from sharing.csv_records import CsvRecordReader
from sharing.errors import InputError
from sharing.record_reader import RecordReader
from sharing.records import RecordRejected, Sighting
from sharing.stix_records import StixRecordReader

Outcome = tuple[int, bytes, Sighting | RecordRejected]
RecordSource = Callable[[BinaryIO], Iterable[Outcome]]

_HEAD = 4096
_BY_SUFFIX: dict[str, RecordSource] = {
    ".jsonl": RecordReader,
    ".ndjson": RecordReader,
    ".csv": CsvRecordReader,
}


def reader_for(path: Path) -> RecordSource:
    """The reader for `path`, by its suffix (.jsonl, .ndjson, .csv, .json) and else by its
    first bytes; call it on the file opened in binary mode. InputError when neither tells.
    """
    reader = _BY_SUFFIX.get(path.suffix.lower())
    if reader is not None:
        return reader
    try:
        with path.open("rb") as stream:
            head = stream.read(_HEAD)
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from None
    reader = _by_content(head, json_suffix=path.suffix.lower() == ".json")
    if reader is None:
        raise InputError(
            f"cannot tell the format of {path}: name it .jsonl (JSON Lines), .csv (CSV with "
            "a header) or .json (STIX 2.1 bundle)"
        )
    return reader


def read_records(path: Path) -> Iterator[Outcome]:
    """Every record of `path`, read with the reader `reader_for` picks."""
    reader = reader_for(path)
    try:
        stream = path.open("rb")
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from None
    with stream:
        yield from reader(stream)


def _by_content(head: bytes, *, json_suffix: bool) -> RecordSource | None:
    """A STIX bundle starts with '{' and is not one record per line; JSON Lines starts with a
    record object; CSV starts with a header naming the type column."""
    text = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    first = text.split(b"\n", 1)[0].strip()
    if text.startswith(b"{"):
        try:
            obj = orjson.loads(first)
        except orjson.JSONDecodeError:
            return StixRecordReader
        is_record = type(obj) is dict and obj.get("type") != "bundle"
        return RecordReader if is_record else StixRecordReader
    if json_suffix:
        return StixRecordReader
    cells = [cell.strip(b' "').lower() for cell in first.split(b",")]
    if b"type" in cells and b"value" in cells:
        return CsvRecordReader
    return None
