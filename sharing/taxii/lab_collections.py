"""The two TAXII collections of each lab: what its bulletins carried, and its inbox.

Ids are UUIDv5 of the federation's origin, the lab and the kind, so they stay the same
from one start of the server to the next. A lab sees only its own two collections; the
inbox is write-only, and closed to writing when the federation takes signed submissions
only (`strict_submissions`), since objects added over TAXII carry no lab signature.
"""

import uuid
from dataclasses import dataclass
from typing import Any, Literal

from sharing.federation import Federation
from sharing.taxii.media import STIX_MEDIA

Kind = Literal["bulletins", "inbox"]
_NAMESPACE = uuid.UUID("0c4f3a52-8e61-5d0b-b7f4-2a9e61c0d7a3")


@dataclass(frozen=True)
class LabCollection:
    id: str
    lab: str
    kind: Kind
    can_write: bool

    @property
    def can_read(self) -> bool:
        return self.kind == "bulletins"

    def resource(self) -> dict[str, Any]:
        """The TAXII collection resource."""
        if self.kind == "bulletins":
            title = f"Indicators for {self.lab}"
            description = (
                f"The indicators {self.lab}'s bulletins carried, in their current form, "
                "as STIX 2.1 objects."
            )
        else:
            title = f"Inbox of {self.lab}"
            description = (
                f"Objects {self.lab} adds here are submitted to the hub as one STIX 2.1 "
                "bundle per request and collected like any submission."
            )
        return {
            "id": self.id,
            "title": title,
            "description": description,
            "alias": f"{self.lab}-{self.kind}",
            "can_read": self.can_read,
            "can_write": self.can_write,
            "media_types": [STIX_MEDIA],
        }


def collection_id(federation: Federation, lab: str, kind: Kind) -> str:
    return str(uuid.uuid5(_NAMESPACE, f"{federation.origin}\x00{lab}\x00{kind}"))


def collections_of(federation: Federation, lab: str) -> list[LabCollection]:
    """The lab's two collections, in the order they are listed."""
    writable = not federation.strict_submissions
    return [
        LabCollection(collection_id(federation, lab, "bulletins"), lab, "bulletins", False),
        LabCollection(collection_id(federation, lab, "inbox"), lab, "inbox", writable),
    ]


def visible_collection(federation: Federation, lab: str, wanted: str) -> LabCollection | None:
    """The lab's collection with id `wanted`; None for an unknown id or another lab's."""
    return next((c for c in collections_of(federation, lab) if c.id == wanted), None)
