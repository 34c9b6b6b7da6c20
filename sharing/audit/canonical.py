"""RFC 8785 canonical JSON of audit entries, fast enough for a million of them.

orjson with sorted keys writes exactly the RFC 8785 bytes for JSON made of strings,
booleans, null, safe integers, arrays and objects whose keys sort the same by code point
as by UTF-16 unit (true unless two keys differ in a character beyond U+FFFF). Anything
else (a float, a larger integer, such a key) goes through the reference implementation.
"""

import re
from typing import Any

import orjson
import rfc8785

MAX_SAFE_INTEGER = 2**53 - 1
_BEYOND_BMP = re.compile(rb"[\xf0-\xf4]")  # the lead byte of any 4-byte UTF-8 sequence


def _plain(value: Any) -> bool:
    """True for JSON whose orjson form is already canonical (see the module text)."""
    stack = [value]
    while stack:
        item = stack.pop()
        kind = type(item)
        if kind is str or kind is bool or item is None:
            continue
        if kind is int:
            if not -MAX_SAFE_INTEGER <= item <= MAX_SAFE_INTEGER:
                return False
        elif kind is list:
            stack.extend(item)
        elif kind is dict:
            if not all(type(key) is str for key in item):
                return False
            stack.extend(item.values())
        else:
            return False
    return True


def fast_canonical(value: Any) -> bytes | None:
    """orjson's bytes for `value` when they are its RFC 8785 bytes, else None."""
    if not _plain(value):
        return None
    try:
        encoded = orjson.dumps(value, option=orjson.OPT_SORT_KEYS)
    except TypeError:  # e.g. a lone surrogate: let the reference implementation say why
        return None
    return encoded if encoded.isascii() or not _BEYOND_BMP.search(encoded) else None


def canonical(value: Any) -> bytes:
    """The RFC 8785 serialization of `value`; raises rfc8785's errors for what it refuses."""
    encoded = fast_canonical(value)
    return rfc8785.dumps(value) if encoded is None else encoded
