"""RecordReader: a lab's JSON Lines read as sightings, each distinct value checked once.

Blank lines are skipped, a byte order mark on the first line is dropped, and an over-long
line is never held whole; every bad line is yielded as a RecordRejected with its reason.
"""

from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any, BinaryIO, TypeVar

import orjson

from sharing.records import (
    RecordRejected,
    Sighting,
    build_sighting,
    check_indicator,
    check_seen,
    check_tags,
)

_K = TypeVar("_K")
_T = TypeVar("_T")
MAX_LINE = 1 << 20


class SightingChecks:
    """The checks of one line, with each distinct indicator, timestamp and tag list checked
    once: a campaign's millions of lines hold only tens of thousands of distinct values.
    Each memo is emptied when it reaches `cache_limit` entries."""

    def __init__(self, *, cache_limit: int = 1_000_000, max_line: int = MAX_LINE) -> None:
        self.max_line = max_line
        self._limit = cache_limit
        self._indicators: dict[tuple[str, str], tuple[str, str] | str] = {}
        self._timestamps: dict[str, datetime | str] = {}
        self._tag_lists: dict[tuple[str, ...], tuple[str, ...] | str] = {}

    def read_line(self, line: bytes) -> Sighting | RecordRejected:
        """One line (without its line ending) as a sighting or the reason it is rejected."""
        if len(line) > self.max_line:
            return RecordRejected(f"the line is longer than {self.max_line} bytes")
        try:
            return build_sighting(orjson.loads(line), self.indicator, self.timestamp, self.tags)
        except orjson.JSONDecodeError as exc:
            return RecordRejected(_not_json(line, exc))
        except RecordRejected as exc:
            return exc

    def _memo(self, cache: dict[_K, _T | str], key: _K, check: Callable[..., _T], *args: Any) -> _T:
        """check(*args) for a key not seen yet; a rejection is remembered as its reason."""
        hit = cache.get(key)
        if hit is None:
            if len(cache) >= self._limit:
                cache.clear()
            try:
                hit = check(*args)
            except RecordRejected as exc:
                hit = exc.reason
            cache[key] = hit
        if isinstance(hit, str):
            raise RecordRejected(hit)
        return hit

    def indicator(self, type_name: str, raw: str) -> tuple[str, str]:
        hit = self._indicators.get((type_name, raw))
        if type(hit) is tuple:
            return hit
        return self._memo(self._indicators, (type_name, raw), check_indicator, type_name, raw)

    def timestamp(self, text: str) -> datetime:
        hit = self._timestamps.get(text)
        if type(hit) is datetime:
            return hit
        return self._memo(self._timestamps, text, check_seen, text)

    def tags(self, value: object) -> tuple[str, ...]:
        # An accepted list is made of strings only, so a hit on an equal key is exact.
        try:
            hit = self._tag_lists.get(tuple(value)) if type(value) is list else None
        except TypeError:  # an unhashable element: rejected below, not remembered
            hit = None
        if type(hit) is tuple:
            return hit
        if type(value) is not list or not all(type(tag) is str for tag in value):
            return check_tags(value)
        return self._memo(self._tag_lists, tuple(value), check_tags, value)


class RecordReader:
    """Reads a lab's JSON Lines as (line number, raw line, Sighting or RecordRejected);
    a line longer than `max_line` bytes is never held whole."""

    def __init__(
        self, stream: BinaryIO, *, cache_limit: int = 1_000_000, max_line: int = MAX_LINE
    ) -> None:
        self._stream = stream
        self._max_line = max_line
        self.checks = SightingChecks(cache_limit=cache_limit, max_line=max_line)

    def __iter__(self) -> Iterator[tuple[int, bytes, Sighting | RecordRejected]]:
        for lineno, line in self._lines():
            yield lineno, line, self.checks.read_line(line)

    def _lines(self) -> Iterator[tuple[int, bytes]]:
        """Non-blank lines without their line ending; an over-long one is cut short."""
        readline, limit = self._stream.readline, self._max_line + 2
        lineno = 0
        while line := readline(limit):
            lineno += 1
            if line.endswith(b"\n"):
                line = line[:-2] if line.endswith(b"\r\n") else line[:-1]
            elif len(line) == limit:
                while (rest := readline(limit)) and not rest.endswith(b"\n"):
                    pass
            if lineno == 1 and line.startswith(b"\xef\xbb\xbf"):
                line = line[3:]
            if line and not line.isspace():
                yield lineno, line


def _not_json(line: bytes, exc: orjson.JSONDecodeError) -> str:
    try:
        line.decode("utf-8")
    except UnicodeDecodeError as bad:
        return f"the line is not valid UTF-8 (byte 0x{line[bad.start]:02x} at offset {bad.start})"
    return f"the line is not valid JSON: {exc}"
