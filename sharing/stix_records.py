"""StixRecordReader: the indicator objects of a STIX 2.1 bundle, read as sighting records.

An indicator whose pattern is one simple comparison (see sharing.stix_patterns) becomes a
record: pattern -> type and value, valid_from -> seen, confidence, labels -> tags, the TLP
of its markings, description, and the campaign it indicates. Other objects give context.
"""

from collections.abc import Iterator
from typing import BinaryIO

import orjson

from sharing.indicators import InvalidIndicator
from sharing.record_reader import MAX_LINE, SightingChecks
from sharing.records import RecordRejected, Sighting, build_sighting
from sharing.stix_context import BundleContext
from sharing.stix_patterns import indicator_of

MAX_BUNDLE = 128 << 20
MAX_DESCRIPTION = 1024
_KINDS = {dict: "an object", list: "an array", str: "a string", bool: "a boolean"}
_STIX_NAMES = (("'seen'", "'valid_from'"), ("'tags'", "'labels'"))


class StixRecordReader:
    """Reads a STIX 2.1 bundle as (line, raw object, Sighting or RecordRejected).

    `line` is the 1-based index of the indicator in the bundle's `objects`; a file that is
    not a bundle at all is one rejected record at line 0. Objects other than indicators
    (identities, campaigns, relationships, marking definitions, ...) are not records.
    """

    def __init__(
        self, stream: BinaryIO, *, cache_limit: int = 1_000_000, max_bundle: int = MAX_BUNDLE
    ) -> None:
        self._stream = stream
        self._max_bundle = max_bundle
        self._checks = SightingChecks(cache_limit=cache_limit)
        self._patterns: dict[str, tuple[str, str] | str] = {}

    def __iter__(self) -> Iterator[tuple[int, bytes, Sighting | RecordRejected]]:
        data = self._stream.read(self._max_bundle + 1)
        objects = _objects(data, self._max_bundle)
        if isinstance(objects, RecordRejected):
            yield 0, data[:MAX_LINE], objects
            return
        context = BundleContext.of(objects)
        for index, obj in enumerate(objects, 1):
            if type(obj) is dict and type(obj.get("type")) is str and obj["type"] != "indicator":
                continue
            yield index, orjson.dumps(obj)[:MAX_LINE], self._read(obj, context)

    def _read(self, obj: object, context: BundleContext) -> Sighting | RecordRejected:
        try:
            record = self._record(obj, context)
            checks = self._checks
            return build_sighting(record, checks.indicator, checks.timestamp, checks.tags)
        except RecordRejected as exc:
            reason = exc.reason
            for ours, theirs in _STIX_NAMES:
                reason = reason.replace(ours, theirs)
            return RecordRejected(reason)

    def _record(self, obj: object, context: BundleContext) -> dict[str, object]:
        """The JSON Lines record an indicator object stands for."""
        if type(obj) is not dict:
            raise RecordRejected(f"an entry of 'objects' must be an object, not {_kind(obj)}")
        if type(obj.get("type")) is not str:
            raise RecordRejected("the object has no 'type'")
        if obj.get("revoked") is True:
            raise RecordRejected("the indicator is revoked")
        if obj.get("pattern_type") != "stix":
            raise RecordRejected(f"'pattern_type' must be 'stix', not {obj.get('pattern_type')!r}")
        type_name, value = self._indicator(obj.get("pattern"))
        record: dict[str, object] = {"type": type_name, "value": value}
        if "valid_from" in obj:
            record["seen"] = obj["valid_from"]
        for ours, theirs in (("confidence", "confidence"), ("tags", "labels")):
            if theirs in obj:
                record[ours] = obj[theirs]
        if "description" in obj:
            description = obj["description"]
            record["description"] = (
                description[:MAX_DESCRIPTION] if type(description) is str else description
            )
        tlp = context.tlp_of(obj.get("object_marking_refs"))
        if tlp is not None:
            record["tlp"] = tlp.value
        campaign = context.campaigns.get(obj.get("id")) if type(obj.get("id")) is str else None
        if campaign is not None:
            record["campaign"] = campaign
        return record

    def _indicator(self, pattern: object) -> tuple[str, str]:
        """The canonical (type, value) of a pattern, each distinct pattern parsed once."""
        if type(pattern) is not str:
            raise RecordRejected(f"'pattern' must be a string, not {_kind(pattern)}")
        hit = self._patterns.get(pattern)
        if hit is None:
            try:
                hit = indicator_of(pattern)
            except InvalidIndicator as exc:
                hit = str(exc)
            if len(self._patterns) >= 100_000:
                self._patterns.clear()
            self._patterns[pattern] = hit
        if isinstance(hit, str):
            raise RecordRejected(hit)
        return hit


def _objects(data: bytes, limit: int) -> list[object] | RecordRejected:
    """The `objects` of a bundle, or why the file is not one."""
    if len(data) > limit:
        return RecordRejected(f"the bundle is larger than {limit} bytes")
    try:
        bundle = orjson.loads(data.removeprefix(b"\xef\xbb\xbf"))
    except orjson.JSONDecodeError as exc:
        return RecordRejected(f"the file is not a JSON document: {exc}")
    if type(bundle) is not dict or bundle.get("type") != "bundle":
        return RecordRejected('the file is not a STIX 2.1 bundle ({"type": "bundle", ...})')
    objects = bundle.get("objects", [])
    if type(objects) is not list:
        return RecordRejected(f"the bundle's 'objects' must be an array, not {_kind(objects)}")
    return objects


def _kind(value: object) -> str:
    if value is None:
        return "null"
    return _KINDS.get(type(value)) or ("a number" if isinstance(value, int | float) else "other")
