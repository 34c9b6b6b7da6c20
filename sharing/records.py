"""Sighting records: the JSON Lines a lab submits, one sighting per line, checked and normalized.

Every way a line can be bad becomes a RecordRejected with a reason; nothing else escapes.
RecordReader (sharing.record_reader) reads a whole stream of them and is importable from here.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sharing.audience import parse_audience
from sharing.errors import DtixError
from sharing.indicators import InvalidIndicator, canonicalize
from sharing.indicators.base import shown
from sharing.personal_data import personal_data_in
from sharing.timestamps import InvalidTimestamp, parse_seen
from sharing.tlp import TLP

if TYPE_CHECKING:
    from sharing.record_reader import RecordReader

__all__ = [
    "PersonalDataRejected",
    "RecordReader",
    "RecordRejected",
    "Sighting",
    "parse_record",
]

FIELDS = frozenset(
    ("type", "value", "seen", "tlp", "confidence", "tags", "campaign", "count", "description")
) | {"audience"}
REQUIRED = ("type", "value", "seen")
_MAX_TAGS, MAX_CAMPAIGN, MAX_DESCRIPTION, MAX_COUNT = 32, 128, 1024, 2**31 - 1
DEFAULT_TLP, DEFAULT_CONFIDENCE = "amber", 50
_TAG = re.compile(r"[a-z0-9-]{1,64}")
_TLPS = {level.value: level for level in TLP}
_JSON_KINDS = {dict: "an object", list: "an array", str: "a string", bool: "a boolean"}


class RecordRejected(DtixError):
    """One sighting record that cannot be accepted; `reason` says why (it goes to quarantine)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class PersonalDataRejected(RecordRejected):
    """A record holding raw personal data: quarantined without its raw value."""


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
    audience: tuple[str, ...] = ()  # who may receive a TLP:RED record (sharing.audience)


def _kind(value: object) -> str:
    if value is None:
        return "null"
    kind = _JSON_KINDS.get(type(value))
    return kind or ("a number" if isinstance(value, int | float) else type(value).__name__)


# The checks of the indicator, `seen` and tags: the costly ones, which RecordReader memoizes.


def check_indicator(type_name: str, raw: str) -> tuple[str, str]:
    """The canonical (type, value) of a raw indicator."""
    try:
        return canonicalize(type_name, raw)
    except InvalidIndicator as exc:
        raise RecordRejected(str(exc)) from None


def check_seen(text: str) -> datetime:
    """The `seen` timestamp as an aware UTC datetime."""
    try:
        return parse_seen(text)
    except InvalidTimestamp as exc:
        raise RecordRejected(str(exc)) from None


def check_tags(value: object) -> tuple[str, ...]:
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


def optional_text(obj: dict, key: str, limit: int) -> str | None:
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


def check_tlp(obj: dict) -> TLP:
    value = obj.get("tlp", DEFAULT_TLP)
    if type(value) is not str:
        raise RecordRejected(f"'tlp' must be a string, not {_kind(value)}")
    try:
        return _TLPS.get(value) or TLP.parse(value)
    except ValueError as exc:
        raise RecordRejected(f"'tlp': {exc}") from None


def _refuse_unknown(obj: dict) -> None:
    """Fields beyond the known ones are fine only when they start with x_."""
    unknown = [k for k in obj.keys() - FIELDS if not (type(k) is str and k.startswith("x_"))]
    if unknown:
        raise RecordRejected(f"unknown field {min(unknown, key=repr)!r}")


def _refuse_required(obj: dict) -> None:
    for key in REQUIRED:
        if type(obj.get(key)) is not str:
            what = "missing" if key not in obj else f"not a string ({_kind(obj[key])})"
            raise RecordRejected(f"required field {key!r} is {what}")


def build_sighting(
    obj: object,
    indicator: Callable[[str, str], tuple[str, str]],
    timestamp: Callable[[str], datetime],
    tags: Callable[[object], tuple[str, ...]],
) -> Sighting:
    """Check every field of `obj`, with the indicator, `seen` and tags checks given."""
    if type(obj) is not dict and not isinstance(obj, dict):
        raise RecordRejected(f"a record must be a JSON object, not {_kind(obj)}")
    if not FIELDS.issuperset(obj):
        _refuse_unknown(obj)
    type_name, raw, seen = obj.get("type"), obj.get("value"), obj.get("seen")
    if type(type_name) is not str or type(raw) is not str or type(seen) is not str:
        _refuse_required(obj)
    refuse_raw_personal_data(obj)
    type_name, value = indicator(type_name, raw)
    tlp = check_tlp(obj)
    return Sighting(
        type=type_name,
        value=value,
        seen=timestamp(seen),
        tlp=tlp,
        confidence=_integer(obj, "confidence", DEFAULT_CONFIDENCE, 0, 100),
        tags=tags(obj["tags"]) if "tags" in obj else (),
        campaign=optional_text(obj, "campaign", MAX_CAMPAIGN),
        count=_integer(obj, "count", 1, 1, MAX_COUNT),
        description=optional_text(obj, "description", MAX_DESCRIPTION),
        audience=check_audience(obj["audience"], tlp) if "audience" in obj else (),
    )


def refuse_raw_personal_data(obj: dict) -> None:
    """Raw personal data in any field refuses the record; the reason never quotes it."""
    found = personal_data_in(obj)
    if found is not None:
        raise PersonalDataRejected(f"raw personal data: {found} (the value is not kept)")


def check_audience(value: object, tlp: TLP) -> tuple[str, ...]:
    try:
        return parse_audience(value, tlp)
    except ValueError as exc:
        raise RecordRejected(f"'audience' {exc}") from None


def parse_record(obj: object) -> Sighting:
    """Check and normalize one decoded JSON value; raises RecordRejected with the reason."""
    return build_sighting(obj, check_indicator, check_seen, check_tags)


def __getattr__(name: str) -> Any:
    # RecordReader builds on this module, so it is imported on first use rather than above.
    if name == "RecordReader":
        from sharing.record_reader import RecordReader

        return RecordReader
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
