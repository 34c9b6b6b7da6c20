"""Line shapes: the fixed key order and value kinds in which a lab's tool writes its records.

A feed's lines almost always share one or two shapes. For a shape learnt from one line, a
regular expression matches exactly the lines that are valid JSON of that shape (strings
without escapes, plain integers, flat tag arrays), so millions of lines can be vetted by the
regex engine and parsed in bulk instead of one by one. A line that fits no shape is read
the careful way, so the shape only decides speed, never the outcome. Lines with free text
(a description, an x_ field) never fit a shape: only the careful way looks inside them.
"""

from dataclasses import dataclass

import orjson

from sharing.records import REQUIRED

_STRING = r'"[^"\\\x00-\x1f]*"'
_INTEGER = r"-?(?:0|[1-9][0-9]{0,17})"
_GAP = r"[ \t]*"
_TAG_LIST = rf"{_GAP}(?:{_STRING}(?:{_GAP},{_GAP}{_STRING})*)?{_GAP}"
_TEXT_KEYS = frozenset(("type", "value", "seen", "tlp"))
_INTEGER_KEYS = frozenset(("confidence", "count"))
_OPTIONAL_TEXT_KEYS = frozenset(("campaign",))
_KNOWN_ORDER = (
    "type",
    "value",
    "seen",
    "tlp",
    "confidence",
    "tags",
    "campaign",
    "count",
)
_ABSENT: dict[str, object] = {
    "tlp": "",
    "confidence": 0,
    "tags": [],
    "campaign": None,
    "count": 0,
}


@dataclass(frozen=True)
class RecordShape:
    """A key order and the pattern matching lines written in that order."""

    keys: tuple[str, ...]
    pattern: str


def shape_of(line: bytes) -> RecordShape | None:
    """The shape of a well-formed record line, or None when the line cannot define one.

    The shape keeps the line's key order; its first key and the required ones must be
    present, every other known field may be left out (in the same relative order).
    """
    try:
        obj = orjson.loads(line)
    except orjson.JSONDecodeError:
        return None
    if type(obj) is not dict or not all(key in obj for key in REQUIRED):
        return None
    keys = [*obj, *(key for key in _KNOWN_ORDER if key not in obj)]
    parts = []
    for n, key in enumerate(keys):
        value = obj.get(key, _ABSENT[key]) if key in _ABSENT else obj[key]
        part = _value_pattern(key, value)
        if part is None:
            return None
        pair = f'"{key}"{_GAP}:{_GAP}{part}'
        if n == 0:
            parts.append(pair)
        elif key in REQUIRED:
            parts.append(f"{_GAP},{_GAP}{pair}")
        else:
            parts.append(f"(?:{_GAP},{_GAP}{pair})?")
    body = "".join(parts)
    return RecordShape(tuple(keys), rf"^{_GAP}\{{{_GAP}{body}{_GAP}\}}[ \t\r\n]*$")


def _value_pattern(key: str, value: object) -> str | None:
    """The pattern of one field, capturing it when it is a known one."""
    if key in _TEXT_KEYS:
        return _STRING if type(value) is str else None
    if key in _INTEGER_KEYS:
        return _INTEGER if type(value) is int else None
    if key == "tags":
        ok = type(value) is list and all(type(tag) is str for tag in value)
        return rf"\[{_TAG_LIST}\]" if ok else None
    if key in _OPTIONAL_TEXT_KEYS:
        ok = value is None or type(value) is str
        return rf"(?:{_STRING}|null)" if ok else None
    return None  # description and x_ fields: free text, read line by line
