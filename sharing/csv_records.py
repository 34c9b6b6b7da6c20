"""CsvRecordReader: sighting records as CSV with a header row, read like JSON Lines.

The header names the fields of a JSON Lines record (type, value, seen, tlp, confidence,
tags, campaign, count, description, x_...); `tags` holds tags separated by ';' or '|', and
an empty cell is a field left out. docs/indicators.md describes the format.
"""

import csv
import re
from collections.abc import Iterator
from typing import BinaryIO

from sharing.csv_lines import CsvLines, RecordTooLong
from sharing.indicators.base import shown
from sharing.record_reader import MAX_LINE, SightingChecks
from sharing.records import RecordRejected, Sighting, build_sighting

_SPECIAL = frozenset(("confidence", "count", "tags"))
_INTEGER = re.compile(r"[+-]?[0-9]{1,20}")
_TAG_SEPARATORS = re.compile(r"[;|]")


class CsvRecordReader:
    """Reads CSV as (line number, raw record, Sighting or RecordRejected), like RecordReader.

    The line number is that of the row's first line (the header is a line too); blank rows,
    and rows whose cells are all empty, are skipped. A row's raw bytes exclude its line ending.
    """

    def __init__(
        self, stream: BinaryIO, *, cache_limit: int = 1_000_000, max_line: int = MAX_LINE
    ) -> None:
        self._lines = CsvLines(stream, max_line)
        self._max_line = max_line
        self._checks = SightingChecks(cache_limit=cache_limit, max_line=max_line)

    def __iter__(self) -> Iterator[tuple[int, bytes, Sighting | RecordRejected]]:
        rows = self._rows()
        header = next(rows, None)
        if header is None:
            return
        header_line, _, header_cells = header
        columns, problem = _columns(header_cells)
        for line, raw, cells in rows:
            if isinstance(cells, RecordRejected):
                yield line, raw, cells
            elif problem is not None:
                yield line, raw, RecordRejected(f"the header (line {header_line}) {problem}")
            else:
                yield line, raw, self._read(columns, cells)

    def _rows(self) -> Iterator[tuple[int, bytes, list[str] | RecordRejected]]:
        """Non-blank rows as cells, or the reason a row cannot be read as CSV."""
        lines = self._lines
        reader = csv.reader(lines, strict=True)
        while True:
            start = lines.number + 1
            try:
                cells: list[str] | RecordRejected = next(reader)
            except StopIteration:
                return
            except RecordTooLong:
                cells = RecordRejected(f"the row is longer than {self._max_line} bytes")
                reader = csv.reader(lines, strict=True)
            except csv.Error as exc:
                cells = RecordRejected(f"the row is not valid CSV: {exc}")
                reader = csv.reader(lines, strict=True)
            raw, not_utf8 = lines.take()
            if not_utf8 and not isinstance(cells, RecordRejected):
                cells = RecordRejected(not_utf8)
            if isinstance(cells, RecordRejected) or "".join(cells).strip():
                yield start, raw, cells

    def _read(self, columns: list[str], cells: list[str]) -> Sighting | RecordRejected:
        checks = self._checks
        try:
            obj = _record(columns, cells)
            return build_sighting(obj, checks.indicator, checks.timestamp, checks.tags)
        except RecordRejected as exc:
            return exc


def _columns(cells: list[str] | RecordRejected) -> tuple[list[str], str | None]:
    """Field names from the header row (trimmed, lower-cased), or what is wrong with it."""
    if isinstance(cells, RecordRejected):
        return [], f"cannot be read: {cells.reason}"
    columns = [cell.strip().lower() for cell in cells]
    if "" in columns:
        return columns, f"has an empty column name (column {columns.index('') + 1})"
    seen: set[str] = set()
    for name in columns:
        if name in seen:
            return columns, f"names the column {shown(name)} twice"
        seen.add(name)
    return columns, None


def _record(columns: list[str], cells: list[str]) -> dict[str, object]:
    """The JSON Lines record a row stands for: integers and tag lists decoded, blanks left out."""
    if len(cells) != len(columns):
        raise RecordRejected(f"the row has {len(cells)} cells but the header has {len(columns)}")
    record: dict[str, object] = {}
    for name, cell in zip(columns, cells, strict=True):
        text = cell.strip()
        if not text:
            continue
        if name in _SPECIAL:
            if name == "tags":
                record[name] = [tag for tag in _TAG_SEPARATORS.split(text) if tag.strip()]
                continue
            if not _INTEGER.fullmatch(text):
                raise RecordRejected(f"{name!r} must be an integer, not {shown(text)}")
            record[name] = int(text)
        else:
            record[name] = text
    return record
