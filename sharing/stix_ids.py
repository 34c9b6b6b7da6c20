"""Identifiers and timestamps of the STIX objects dtix writes.

Ids are UUIDv5 in one dtix namespace over a key that names the thing (an indicator's
type and value, a campaign's name), so the same thing keeps its id from one export to
the next and a consumer updates it instead of adding a copy.
"""

import hashlib
import uuid
from datetime import UTC, datetime

from sharing.timestamps import parse_seen

NAMESPACE = uuid.UUID("6f7c1a52-3d0e-5b8e-9a55-8d0f2b0e4c11")
_PREFIX = NAMESPACE.bytes


def stix_id(kind: str, key: str) -> str:
    """`kind--<UUIDv5 of key>`, e.g. stix_id("indicator", "ipv4:203.0.113.7")."""
    # uuid.uuid5 without building a UUID object: a third of the cost, the same text.
    digest = bytearray(hashlib.sha1(_PREFIX + key.encode()).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50
    digest[8] = (digest[8] & 0x3F) | 0x80
    h = digest.hex()
    return f"{kind}--{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def stix_time(text: str) -> str:
    """An RFC 3339 timestamp as STIX writes `created` and `modified`: UTC, milliseconds."""
    return stix_moment(parse_seen(text))


def stix_moment(moment: datetime) -> str:
    """An aware datetime as a STIX timestamp with milliseconds, e.g. 2026-11-23T10:00:00.000Z."""
    moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
