"""The OASIS TLP 2.0 marking definitions that dtix puts on the STIX objects it writes.

They are the objects published with the OASIS TLP 2.0 extension, byte for byte; the ids
are fixed, so any STIX consumer that knows TLP 2.0 recognizes them without the bundle.
"""

import json
from functools import cache
from typing import Any

import stix2

TLP_EXTENSION = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"
TLP_IDS = {
    "clear": "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
    "green": "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
    "amber": "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
    "amber+strict": "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
    "red": "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
}


def tlp_marking(tlp: str) -> dict[str, Any]:
    """The OASIS TLP 2.0 marking definition of `tlp` (clear, green, amber, amber+strict, red)."""
    return json.loads(_marking_text(tlp))


@cache
def _marking_text(tlp: str) -> str:
    marking = stix2.MarkingDefinition(
        id=TLP_IDS[tlp],
        created="2022-10-01T00:00:00.000Z",
        name=f"TLP:{tlp.upper()}",
        extensions={TLP_EXTENSION: {"extension_type": "property-extension", "tlp_2_0": tlp}},
        allow_custom=True,
    )
    return str(marking.serialize())
