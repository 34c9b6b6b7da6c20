"""One dtix record (bulletin form) as a STIX 2.1 indicator object, built as a plain dict.

The pattern names the canonical value (sharing.stix_patterns); valid_from is first_seen,
labels are the tags, the marking is the record's TLP 2.0 marking definition, and the dtix
extension carries every field STIX has no property for, so the record can be rebuilt.
"""

from datetime import timedelta
from typing import Any

from sharing.errors import InputError
from sharing.indicators import canonicalize
from sharing.stix_extension import indicator_extension
from sharing.stix_ids import stix_id, stix_moment
from sharing.stix_markings import TLP_IDS
from sharing.stix_patterns import canonical_pattern
from sharing.timestamps import parse_seen


def indicator_id(type_name: str, value: str) -> str:
    """The id of the indicator of a canonical (type, value): the same in every export."""
    return stix_id("indicator", f"{type_name}:{value}")


def indicator_object(record: dict[str, Any], *, stamp: str, author: str) -> dict[str, Any]:
    """The indicator for `record`; `stamp` (milliseconds) is its created and modified time,
    `author` the id of the identity that created it."""
    type_name, value = canonicalize(record["type"], record["value"])
    marking = TLP_IDS.get(record.get("tlp"))
    if marking is None:
        raise InputError(f"{type_name} {value}: {record.get('tlp')!r} is not a TLP 2.0 level")
    valid_from = record.get("first_seen") or stamp
    valid_until = record.get("valid_until")
    # STIX requires valid_until after valid_from; a day-rounded record may not have it.
    # Then STIX gets the first moment after valid_from and the extension the exact value.
    in_stix = valid_until is None or _later(valid_until, valid_from)
    campaign = record.get("campaign")
    obj: dict[str, Any] = {
        "type": "indicator",
        "spec_version": "2.1",
        "id": indicator_id(type_name, value),
        "created_by_ref": author,
        "created": stamp,
        "modified": stamp,
        "name": f"{type_name} {value}",
        "description": f"dtix {type_name} indicator"
        + (f" of the campaign {campaign}" if campaign else ""),
        "pattern": canonical_pattern(type_name, value),
        "pattern_type": "stix",
        "pattern_version": "2.1",
        "valid_from": valid_from,
        "object_marking_refs": [marking],
        "extensions": indicator_extension(record, type_name, value, valid_until=not in_stix),
    }
    if valid_until is not None:
        obj["valid_until"] = valid_until if in_stix else _just_after(valid_from)
    if record.get("confidence") is not None:
        obj["confidence"] = record["confidence"]
    if record.get("tags"):
        obj["labels"] = list(record["tags"])
    return obj


def _later(one: str, other: str) -> bool:
    """True when timestamp `one` is after `other`; dtix's own form compares as text."""
    if len(one) == len(other) == 20 and one[-1] == other[-1] == "Z":
        return one > other
    return parse_seen(one) > parse_seen(other)


def _just_after(stamp: str) -> str:
    """The first STIX timestamp (milliseconds) after `stamp`."""
    return stix_moment(parse_seen(stamp) + timedelta(milliseconds=1))
