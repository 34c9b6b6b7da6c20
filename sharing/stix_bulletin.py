"""A bundle dtix exported (sharing.stix_export), read back as records in bulletin form.

Every field comes back as it was: the dtix extension gives the type, value and the fields
STIX lacks, the pattern must be the one dtix writes for them, the TLP comes from the
marking and the campaign from the `indicates` relationship. A bundle that is not one
dtix wrote (no extension, a changed pattern, a wrong field) is an InputError that names
the object; a lab's own bundles go through sharing.stix_records instead.
"""

from functools import lru_cache
from typing import Any

import orjson

from sharing.clock import rfc3339
from sharing.errors import InputError
from sharing.indicators import InvalidIndicator, canonicalize
from sharing.indicators.base import shown
from sharing.stix_context import BundleContext
from sharing.stix_extension import EXTENSION_ID
from sharing.stix_patterns import canonical_pattern
from sharing.timestamps import InvalidTimestamp, parse_seen


class _Bad(Exception):
    """Why one indicator object cannot be read back; InputError adds where it is."""


def bulletin_records(data: bytes | str) -> list[dict[str, Any]]:
    """The records in bulletin form of an exported bundle, in the order of its indicators."""
    try:
        bundle = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise InputError(f"STIX bundle: not a JSON document ({exc})") from None
    if type(bundle) is not dict or bundle.get("type") != "bundle":
        raise InputError('STIX bundle: not a STIX 2.1 bundle ({"type": "bundle", ...})')
    objects = bundle.get("objects", [])
    if type(objects) is not list or not all(type(obj) is dict for obj in objects):
        raise InputError("STIX bundle: 'objects' must be an array of objects")
    context = BundleContext.of(objects)
    records = []
    for index, obj in enumerate(objects, 1):
        if obj.get("type") != "indicator":
            continue
        try:
            records.append(_record(obj, context))
        except _Bad as exc:
            where = shown(obj["id"]) if type(obj.get("id")) is str else "without an id"
            raise InputError(f"STIX bundle, object {index} (indicator {where}): {exc}") from None
    return records


def _record(obj: dict[str, Any], context: BundleContext) -> dict[str, Any]:
    extensions = obj.get("extensions")
    ext = extensions.get(EXTENSION_ID) if type(extensions) is dict else None
    if type(ext) is not dict:
        raise _Bad(f"it has no dtix extension ({EXTENSION_ID})")
    type_name, value = _text(ext, "indicator_type"), _text(ext, "value")
    try:
        canonical = canonicalize(type_name, value)
    except InvalidIndicator as exc:
        raise _Bad(str(exc)) from None
    if canonical != (type_name, value):
        raise _Bad(f"the {type_name} value {shown(value)} is not canonical")
    if obj.get("pattern_type") != "stix" or obj.get("pattern") != canonical_pattern(*canonical):
        raise _Bad("its pattern is not the one dtix writes for its dtix type and value")
    tlp = context.tlp_of(obj.get("object_marking_refs"))
    if tlp is None:
        raise _Bad("it has no TLP marking")
    confidence = obj.get("confidence")
    if type(confidence) is not int or not 0 <= confidence <= 100:
        raise _Bad("'confidence' must be an integer from 0 to 100")
    labels = obj.get("labels", [])
    sources = ext.get("sources", [])
    labs = ext.get("labs")
    if type(labs) is not int or labs < 0:
        raise _Bad("'labs' must be an integer of at least 0")
    until = "valid_until" if "valid_until" in ext else None
    return {
        "type": type_name,
        "value": value,
        "tlp": tlp.value,
        "confidence": confidence,
        "first_seen": _stamp(obj, "valid_from"),
        "last_seen": _stamp(ext, "last_seen"),
        "valid_until": _stamp(ext, until) if until else _stamp(obj, "valid_until"),
        "tags": _names(labels, "labels"),
        "campaign": context.campaigns.get(obj.get("id")) if type(obj.get("id")) is str else None,
        "labs": labs,
        "corroborated": _flag(ext, "corroborated"),
        "reported_by_you": _flag(ext, "reported_by_you"),
        "sources": _names(sources, "sources"),
    }


def _text(obj: dict[str, Any], key: str) -> str:
    value = obj.get(key)
    if type(value) is not str:
        raise _Bad(f"{key!r} must be a string")
    return value


def _flag(obj: dict[str, Any], key: str) -> bool:
    value = obj.get(key)
    if type(value) is not bool:
        raise _Bad(f"{key!r} must be true or false")
    return value


def _names(value: object, key: str) -> list[str]:
    if type(value) is not list or not all(type(item) is str for item in value):
        raise _Bad(f"{key!r} must be an array of strings")
    return list(value)


def _stamp(obj: dict[str, Any], key: str) -> str:
    """An RFC 3339 timestamp as dtix writes it (UTC, seconds, 'Z')."""
    stamp = _dtix_time(_text(obj, key))
    if stamp is None:
        raise _Bad(f"{key!r} must be an RFC 3339 timestamp with a zone")
    return stamp


@lru_cache(maxsize=4096)  # a bulletin's timestamps repeat: day-rounded, or one per sighting run
def _dtix_time(text: str) -> str | None:
    try:
        return rfc3339(parse_seen(text))
    except InvalidTimestamp:
        return None
