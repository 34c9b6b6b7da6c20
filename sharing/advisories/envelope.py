"""`dtix-advisory/1`: an advisory as one signed JSON document, whatever carries it.

The payload holds the rendered documents, the marking and the attached indicators; the
hub signs it as a DSSE envelope of type `application/vnd.dtix.advisory+json`, so it can
never be taken for a bulletin, and a recipient can check it wherever it travels.
"""

import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from sharing.advisories.facts import AdvisoryFacts
from sharing.clock import rfc3339
from sharing.crypto import kid_for, sign_envelope, verify_envelope
from sharing.encoding import canonical_json
from sharing.errors import BulletinRejected
from sharing.tlp import TLP

FORMAT = "dtix-advisory/1"
CONTENT_TYPE = "application/vnd.dtix.advisory+json"
MEDIA_TYPES = {"md": "text/markdown", "html": "text/html", "txt": "text/plain"}
_FIELDS = {
    "format",
    "id",
    "issued",
    "period_start",
    "period_end",
    "technique",
    "tlp",
    "audience",
    "documents",
    "indicators",
}


def advisory_payload(
    facts: AdvisoryFacts,
    documents: Mapping[str, str],
    *,
    id: str,
    audience: Sequence[str],
    issued: datetime,
) -> bytes:
    """The RFC 8785 bytes of the advisory: `documents` maps md/html/txt to rendered text."""
    return canonical_json(
        {
            "format": FORMAT,
            "id": id,
            "issued": rfc3339(issued),
            "period_start": rfc3339(facts.period_start),
            "period_end": rfc3339(facts.period_end),
            "technique": facts.focus,
            "tlp": facts.tlp.value,
            "audience": sorted(audience),
            "documents": {MEDIA_TYPES[fmt]: text for fmt, text in documents.items()},
            "indicators": [
                {
                    "type": i.type,
                    "value": i.value,
                    "tlp": i.tlp.value,
                    "confidence": i.confidence,
                    "labs": i.labs,
                    "tags": list(i.tags),
                }
                for i in facts.indicators
            ],
        }
    )


def sign_advisory(payload: bytes, key: Ed25519PrivateKey) -> dict[str, Any]:
    """The DSSE envelope of `payload`, signed with the hub's Ed25519 signing key."""
    return sign_envelope(CONTENT_TYPE, payload, key, kid_for(key.public_key()))


def verify_advisory(
    envelope: object, trusted: Mapping[str, Ed25519PublicKey], *, reader: str
) -> dict[str, Any]:
    """The payload of an advisory envelope signed by a trusted key and addressed to `reader`."""
    payload_type, body, _ = verify_envelope(envelope, trusted)
    if payload_type != CONTENT_TYPE:
        raise BulletinRejected(f"not an advisory: payloadType {payload_type!r:.80}")
    try:
        payload = json.loads(body)
    except ValueError:
        raise BulletinRejected("the advisory payload is not JSON") from None
    if not isinstance(payload, dict) or set(payload) != _FIELDS or payload["format"] != FORMAT:
        raise BulletinRejected(f"the advisory payload is not {FORMAT}")
    if not isinstance(payload["audience"], list) or reader not in payload["audience"]:
        raise BulletinRejected(f"the advisory is not addressed to {reader}")
    documents = payload["documents"]
    if not isinstance(documents, dict) or not all(isinstance(v, str) for v in documents.values()):
        raise BulletinRejected("the advisory documents are not text")
    try:
        TLP(payload["tlp"])
    except ValueError:
        raise BulletinRejected(f"the advisory marking {payload['tlp']!r:.40} is unknown") from None
    return payload
