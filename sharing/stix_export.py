"""A received bulletin as a STIX 2.1 bundle: one indicator per entry, marked with its TLP.

Markings are the TLP 2.0 marking definitions of the OASIS TLP 2.0 extension. Patterns
come from `sharing.stix_patterns`; indicator ids are UUIDv5 of (type, value), so the same
indicator keeps its id from one bulletin to the next.
"""

import json
import uuid
from typing import Any

import stix2

from sharing.stix_patterns import pattern_for

_NAMESPACE = uuid.UUID("6f7c1a52-3d0e-5b8e-9a55-8d0f2b0e4c11")
_TLP_EXTENSION = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"
_TLP_IDS = {
    "clear": "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
    "green": "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
    "amber": "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
    "amber+strict": "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
    "red": "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
}


def tlp_marking(tlp: str) -> stix2.MarkingDefinition:
    """The OASIS TLP 2.0 marking definition of `tlp`."""
    return stix2.MarkingDefinition(
        id=_TLP_IDS[tlp],
        created="2022-10-01T00:00:00.000Z",
        name=f"TLP:{tlp.upper()}",
        extensions={_TLP_EXTENSION: {"extension_type": "property-extension", "tlp_2_0": tlp}},
        allow_custom=True,
    )


def to_bundle(header: dict[str, Any], indicators: list[dict[str, Any]]) -> str:
    """The STIX 2.1 bundle (JSON text) of a bulletin's indicators."""
    issued = header["issued"]
    objects: list[Any] = [tlp_marking(tlp) for tlp in sorted({i["tlp"] for i in indicators})]
    for item in indicators:
        objects.append(
            stix2.Indicator(
                id=f"indicator--{uuid.uuid5(_NAMESPACE, item['type'] + ':' + item['value'])}",
                created=issued,
                modified=issued,
                name=f"{item['type']} {item['value']}",
                pattern=pattern_for(item["type"], item["value"]),
                pattern_type="stix",
                valid_from=item.get("first_seen", issued),
                valid_until=item.get("valid_until"),
                confidence=item.get("confidence"),
                labels=item.get("tags") or None,
                object_marking_refs=[_TLP_IDS[item["tlp"]]],
                allow_custom=True,
            )
        )
    bundle = stix2.Bundle(
        id=f"bundle--{uuid.uuid5(_NAMESPACE, header['id'])}", objects=objects, allow_custom=True
    )
    return json.dumps(json.loads(bundle.serialize()), indent=2, sort_keys=True) + "\n"
