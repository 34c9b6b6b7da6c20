"""The dtix STIX extension: what a dtix record says that STIX 2.1 has no property for.

One `extension-definition` (STIX 2.1 section 7.3) with a fixed id declares it: a property
extension on indicators (dtix type and canonical value, last_seen, the count of labs that
reported it, corroborated, reported_by_you, the sources a recipient may see) and the
custom observable types that dtix patterns name for values STIX has no object for (keyed
hashes, fingerprints, proxy providers). docs/stix.md explains it; its JSON schema is
docs/stix-extension.schema.json.
"""

import json
from functools import cache
from typing import Any

import stix2

from sharing.stix_patterns import CUSTOM_OBSERVABLES

EXTENSION_ID = "extension-definition--8d17da90-638d-4899-b2ac-95d671ad01db"
AUTHOR_ID = "identity--484c2b03-09a7-4991-bf5a-6c511df4e8f2"
VERSION = "1.0.0"
SCHEMA = (
    "urn:dtix:stix-extension:1.0.0, the JSON schema docs/stix-extension.schema.json of dtix; "
    "docs/stix.md describes every property."
)
_DEFINED = "2026-11-23T00:00:00.000Z"
_COPIED = ("last_seen", "labs", "corroborated", "reported_by_you")


def definition_objects() -> list[dict[str, Any]]:
    """The identity that defines the extension and the extension definition, fixed objects."""
    return json.loads(_definition_text())


def indicator_extension(
    record: dict[str, Any], type_name: str, value: str, *, valid_until: bool
) -> dict[str, Any]:
    """The `extensions` entry of an indicator for `record` (canonical `type_name`, `value`);
    `valid_until` carries the record's valid_until where STIX's own property cannot."""
    content: dict[str, Any] = {
        "extension_type": "property-extension",
        "indicator_type": type_name,
        "value": value,
    }
    for key in _COPIED:
        if record.get(key) is not None:
            content[key] = record[key]
    if record.get("sources"):  # STIX forbids empty lists
        content["sources"] = list(record["sources"])
    if valid_until and record.get("valid_until") is not None:
        content["valid_until"] = record["valid_until"]
    return {EXTENSION_ID: content}


@cache
def _definition_text() -> str:
    author = stix2.Identity(
        id=AUTHOR_ID,
        created=_DEFINED,
        modified=_DEFINED,
        name="dtix",
        identity_class="organization",
        description="The dtix project, which maintains the dtix STIX extension.",
    )
    observables = ", ".join(sorted(CUSTOM_OBSERVABLES))
    definition = stix2.ExtensionDefinition(
        id=EXTENSION_ID,
        created_by_ref=AUTHOR_ID,
        created=_DEFINED,
        modified=_DEFINED,
        name="dtix indicator properties",
        description=(
            "Properties of a dtix indicator that STIX 2.1 lacks (the dtix indicator type "
            "and canonical value, last_seen, how many labs reported it, corroborated, "
            "reported_by_you, the sources the recipient may see, and the exact valid_until "
            "where it is not after valid_from, which STIX does not allow), and the observable "
            f"types that dtix patterns use for values with no STIX cyber-observable: {observables}."
        ),
        schema=SCHEMA,
        version=VERSION,
        extension_types=["property-extension", "new-sco"],
    )
    return f"[{author.serialize()}, {definition.serialize()}]"
