"""The details of a `bulletin-issued` entry: what went to whom, provable from the log alone.

They name the bulletin (id, stream, seq), bind its bytes (header hash, ciphertext hash;
the file's hash is the entry's object_sha256), list the ids of the indicators it carried
with their TLP mix, and record the checkpoint its body showed the lab, from which the
next bulletin of the stream proves consistency.
"""

import base64
import hashlib
from collections import Counter
from collections.abc import Sequence
from typing import Any, Protocol

from sharing.audit.indicator_ids import attached_ids
from sharing.crypto import header_hash
from sharing.crypto.bulletin_file import parse_file
from sharing.exchange import Exchange
from sharing.tlp import TLP

_CHUNK = 4 * 1024 * 1024  # base64 characters decoded per step (a multiple of 4)


class CarriedIndicator(Protocol):
    type: str
    value: str
    tlp: str


def ciphertext_sha256(text: bytes) -> str:
    """SHA-256 of the ciphertext bytes a bulletin file carries as unpadded base64url."""
    digest = hashlib.sha256()
    for start in range(0, len(text), _CHUNK):
        piece = text[start : start + _CHUNK]
        digest.update(base64.urlsafe_b64decode(piece + b"=" * (-len(piece) % 4)))
    return digest.hexdigest()


def issued_details(
    exchange: Exchange, sealed: bytes, indicators: Sequence[CarriedIndicator], *, tlp: TLP
) -> dict[str, Any]:
    """The `details` of the bulletin-issued entry for the sealed file `sealed`."""
    parsed = parse_file(sealed)  # the header, and where the ciphertext lies: no copy of it
    header = parsed.header
    return {
        "id": header["id"],
        "stream": header["stream"],
        "seq": header["seq"],
        "header_hash": header_hash(header),
        "ciphertext_sha256": ciphertext_sha256(sealed[parsed.start : parsed.end]),
        "recipient_kids": header["recipients"],
        "tlp": tlp.value,
        "tlp_counts": dict(sorted(Counter(i.tlp for i in indicators).items())),
        "indicators": attached_ids(indicators),
        "checkpoint": exchange.carried_checkpoints.pop(header["id"], None),
    }
