"""Sighting records: the JSON Lines a lab submits, one sighting per line, checked and normalized.

Every way a line can be bad becomes a RecordRejected with a reason; nothing else escapes.
"""

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from typing import Any, BinaryIO, TypeVar

import orjson

from sharing.errors import DtixError
from sharing.indicators import InvalidIndicator, canonicalize
from sharing.indicators.base import shown
from sharing.tlp import TLP

_FIELDS = frozenset(
    ("type", "value", "seen", "tlp", "confidence", "tags", "campaign", "count", "description")
)
_REQUIRED = ("type", "value", "seen")
_MAX_TAGS, _MAX_CAMPAIGN, _MAX_DESCRIPTION, _MAX_COUNT = 32, 128, 1024, 2**31 - 1
_TAG = re.compile(r"[a-z0-9-]{1,64}")
_STAMP = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt ]([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]+))?"
    r"(?:[Zz]|([+-])([0-9]{2}):([0-9]{2}))"
)
_TLPS = {level.value: level for level in TLP}
_K = TypeVar("_K")
_T = TypeVar("_T")
_JSON_KINDS = {dict: "an object", list: "an array", str: "a string", bool: "a boolean"}


class RecordRejected(DtixError):
    """One sighting record that cannot be accepted; `reason` says why (it goes to quarantine)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Sighting:
    """One validated sighting: canonical (type, value), when, marking, and what it stands for."""

    type: str
    value: str
    seen: datetime
    tlp: TLP
    confidence: int
    tags: tuple[str, ...]
    campaign: str | None
    count: int
    description: str | None = None


def _kind(value: object) -> str:
    if value is None:
        return "null"
    kind = _JSON_KINDS.get(type(value))
    return kind or ("a number" if isinstance(value, int | float) else type(value).__name__)


def _indicator(type_name: str, raw: str) -> tuple[str, str]:
    try:
        return canonicalize(type_name, raw)
    except InvalidIndicator as exc:
        raise RecordRejected(str(exc)) from None


def _timestamp(text: str) -> datetime:
    """An RFC 3339 date-time with a zone (Z or ±hh:mm) as an aware UTC datetime."""
    match = _STAMP.fullmatch(text)
    if match is None:
        why = "an RFC 3339 timestamp with a zone, e.g. 2026-11-20T10:00:00Z"
        raise RecordRejected(f"'seen' must be {why}, not {shown(text)}")
    *fields, fraction, sign, off_h, off_m = match.groups()
    if fields[5] == "60":
        raise RecordRejected(f"'seen' {shown(text)} is a leap second, which is not supported")
    offset = timedelta(0)
    if sign is not None:
        if int(off_h) > 23 or int(off_m) > 59:
            raise RecordRejected(f"'seen' {shown(text)} has an impossible zone offset")
        offset = timedelta(hours=int(off_h), minutes=int(off_m)) * (-1 if sign == "-" else 1)
    micro = int((fraction or "")[:6].ljust(6, "0"))
    try:
        local = datetime(*map(int, fields), micro, tzinfo=timezone(offset))
        return local.astimezone(UTC)
    except (ValueError, OverflowError):
        raise RecordRejected(f"'seen' {shown(text)} is not a real date and time") from None


def _tags(value: object) -> tuple[str, ...]:
    """Techniques as lower-case kebab words, sorted and without repeats."""
    if type(value) is not list:
        raise RecordRejected(f"'tags' must be an array of strings, not {_kind(value)}")
    if len(value) > _MAX_TAGS:
        raise RecordRejected(f"'tags' holds {len(value)} tags; at most {_MAX_TAGS} are allowed")
    tags = set()
    for tag in value:
        if type(tag) is not str:
            raise RecordRejected(f"each tag must be a string, not {_kind(tag)}")
        word = tag.strip().lower()
        if not (tag.isascii() and _TAG.fullmatch(word)):
            why = "must be 1-64 characters of a-z, 0-9 and '-', e.g. account-farming"
            raise RecordRejected(f"tag {shown(tag)} {why}")
        tags.add(word)
    return tuple(sorted(tags))


def _optional_text(obj: dict, key: str, limit: int) -> str | None:
    value = obj.get(key)
    if value is None:
        return None
    if type(value) is not str:
        raise RecordRejected(f"{key!r} must be a string or null, not {_kind(value)}")
    if len(value) > limit:
        raise RecordRejected(f"{key!r} is longer than {limit} characters")
    return value.strip() or None


def _integer(obj: dict, key: str, default: int, low: int, high: int) -> int:
    value = obj.get(key, default)
    if type(value) is not int:
        raise RecordRejected(f"{key!r} must be an integer, not {_kind(value)}")
    if not low <= value <= high:
        raise RecordRejected(f"{key!r} must be from {low} to {high}, not {value}")
    return value


def _tlp(obj: dict) -> TLP:
    value = obj.get("tlp", "amber")
    if type(value) is not str:
        raise RecordRejected(f"'tlp' must be a string, not {_kind(value)}")
    try:
        return _TLPS.get(value) or TLP.parse(value)
    except ValueError as exc:
        raise RecordRejected(f"'tlp': {exc}") from None


def _refuse_unknown(obj: dict) -> None:
    """Fields beyond the known ones are fine only when they start with x_."""
    unknown = [k for k in obj.keys() - _FIELDS if not (type(k) is str and k.startswith("x_"))]
    if unknown:
        raise RecordRejected(f"unknown field {min(unknown, key=repr)!r}")


def _refuse_required(obj: dict) -> None:
    for key in _REQUIRED:
        if type(obj.get(key)) is not str:
            what = "missing" if key not in obj else f"not a string ({_kind(obj[key])})"
            raise RecordRejected(f"required field {key!r} is {what}")


def _build(
    obj: object,
    indicator: Callable[[str, str], tuple[str, str]],
    timestamp: Callable[[str], datetime],
    tags: Callable[[object], tuple[str, ...]],
) -> Sighting:
    if type(obj) is not dict and not isinstance(obj, dict):
        raise RecordRejected(f"a record must be a JSON object, not {_kind(obj)}")
    if not _FIELDS.issuperset(obj):
        _refuse_unknown(obj)
    type_name, raw, seen = obj.get("type"), obj.get("value"), obj.get("seen")
    if type(type_name) is not str or type(raw) is not str or type(seen) is not str:
        _refuse_required(obj)
    type_name, value = indicator(type_name, raw)
    return Sighting(
        type=type_name,
        value=value,
        seen=timestamp(seen),
        tlp=_tlp(obj),
        confidence=_integer(obj, "confidence", 50, 0, 100),
        tags=tags(obj["tags"]) if "tags" in obj else (),
        campaign=_optional_text(obj, "campaign", _MAX_CAMPAIGN),
        count=_integer(obj, "count", 1, 1, _MAX_COUNT),
        description=_optional_text(obj, "description", _MAX_DESCRIPTION),
    )


def parse_record(obj: object) -> Sighting:
    """Check and normalize one decoded JSON value; raises RecordRejected with the reason."""
    return _build(obj, _indicator, _timestamp, _tags)


class RecordReader:
    """Reads a lab's JSON Lines as (line number, raw line, Sighting or RecordRejected).

    A campaign's millions of lines hold only tens of thousands of distinct values, so each
    distinct indicator, timestamp and tag list is checked once; each memo is emptied when it
    reaches `cache_limit` entries, and a line longer than `max_line` bytes is never held whole.
    """

    def __init__(
        self, stream: BinaryIO, *, cache_limit: int = 1_000_000, max_line: int = 1 << 20
    ) -> None:
        self._stream = stream
        self._limit = cache_limit
        self._max_line = max_line
        self._indicators: dict[tuple[str, str], tuple[str, str] | str] = {}
        self._timestamps: dict[str, datetime | str] = {}
        self._tag_lists: dict[tuple[str, ...], tuple[str, ...] | str] = {}

    def __iter__(self) -> Iterator[tuple[int, bytes, Sighting | RecordRejected]]:
        for lineno, line in self._lines():
            yield lineno, line, self._read(line)

    def _read(self, line: bytes) -> Sighting | RecordRejected:
        if len(line) > self._max_line:
            return RecordRejected(f"the line is longer than {self._max_line} bytes")
        try:
            return _build(orjson.loads(line), self._indicator, self._timestamp, self._tags)
        except orjson.JSONDecodeError as exc:
            return RecordRejected(_not_json(line, exc))
        except RecordRejected as exc:
            return exc

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

    def _indicator(self, type_name: str, raw: str) -> tuple[str, str]:
        hit = self._indicators.get((type_name, raw))
        if type(hit) is tuple:
            return hit
        return self._memo(self._indicators, (type_name, raw), _indicator, type_name, raw)

    def _timestamp(self, text: str) -> datetime:
        hit = self._timestamps.get(text)
        if type(hit) is datetime:
            return hit
        return self._memo(self._timestamps, text, _timestamp, text)

    def _tags(self, value: object) -> tuple[str, ...]:
        # An accepted list is made of strings only, so a hit on an equal key is exact.
        try:
            hit = self._tag_lists.get(tuple(value)) if type(value) is list else None
        except TypeError:  # an unhashable element: rejected below, not remembered
            hit = None
        if type(hit) is tuple:
            return hit
        if type(value) is not list or not all(type(tag) is str for tag in value):
            return _tags(value)
        return self._memo(self._tag_lists, tuple(value), _tags, value)


def _not_json(line: bytes, exc: orjson.JSONDecodeError) -> str:
    try:
        line.decode("utf-8")
    except UnicodeDecodeError as bad:
        return f"the line is not valid UTF-8 (byte 0x{line[bad.start]:02x} at offset {bad.start})"
    return f"the line is not valid JSON: {exc}"
