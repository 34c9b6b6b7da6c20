"""Signed receipts `dtix-receipt/1`: a lab's statement that it opened a bulletin.

After `dtix open` accepts a bulletin, the lab signs a receipt (DSSE, its Ed25519 signing
key) naming the bulletin by id, stream, seq, header hash and file hash, and the audit
checkpoint it accepted with it, and leaves it in its outgoing folder for the hub:
`<inbox>/receipts/<stream>-<seq>.receipt.json`. The hub checks it and logs it
(sharing.acknowledging). docs/audit-log.md describes the format.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from sharing.atomic_files import write_atomically
from sharing.clock import rfc3339
from sharing.crypto import sign_envelope, verify_envelope
from sharing.encoding import canonical_json
from sharing.errors import BulletinRejected
from sharing.federation import Federation, inbox_path
from sharing.home import Home
from sharing.hub_trust import lab_signing_keys
from sharing.witness import SeenCheckpoint

FORMAT = "dtix-receipt/1"
PAYLOAD_TYPE = "application/vnd.dtix.receipt+json"
RECEIPTS = "receipts"  # the folder under a lab's inbox
_BULLETIN_FIELDS = {"id": str, "stream": str, "seq": int, "header_hash": str, "sha256": str}


@dataclass(frozen=True)
class Receipt:
    """A receipt whose signature by the lab has been checked."""

    lab: str
    signer: str  # kid
    statement: dict[str, Any]

    @property
    def bulletin(self) -> dict[str, Any]:
        return self.statement["bulletin"]


def receipt_statement(
    lab: str,
    header: dict[str, Any],
    header_hash: str,
    data: bytes,
    *,
    opened: datetime,
    checkpoint: SeenCheckpoint | None,
) -> dict[str, Any]:
    """What the lab states about the bulletin file `data` it opened."""
    seen = None if checkpoint is None else {"size": checkpoint.size, "root": checkpoint.root}
    return {
        "format": FORMAT,
        "lab": lab,
        "bulletin": {
            "id": header["id"],
            "stream": header["stream"],
            "seq": header["seq"],
            "header_hash": header_hash,
            "sha256": hashlib.sha256(data).hexdigest(),
        },
        "opened": rfc3339(opened),
        "checkpoint": seen,
    }


def write_receipt(
    home: Home, federation: Federation, statement: dict[str, Any], key: Ed25519PrivateKey
) -> Path:
    """Sign `statement` as its lab and leave it in the lab's outgoing folder (atomically)."""
    lab = federation.lab(statement["lab"])
    envelope = sign_envelope(
        PAYLOAD_TYPE, canonical_json(statement), key, lab.active_key("sign").kid
    )
    bulletin = statement["bulletin"]
    folder = inbox_path(home, lab) / RECEIPTS
    path = folder / f"{bulletin['stream']}-{bulletin['seq']:06d}.receipt.json"
    write_atomically(path, json.dumps(envelope, indent=2).encode("utf-8"))
    return path


def send_receipt(
    home: Home,
    federation: Federation,
    lab: str,
    key: Ed25519PrivateKey,
    opened: Any,
    data: bytes,
    *,
    checkpoint: SeenCheckpoint | None,
    now: datetime,
) -> Path:
    """Write `lab`'s signed receipt for the bulletin file `data` it has just opened
    (`opened`: its verified header and header hash)."""
    statement = receipt_statement(
        lab, opened.header, opened.header_hash, data, opened=now, checkpoint=checkpoint
    )
    return write_receipt(home, federation, statement, key)


def read_receipt(data: bytes, federation: Federation, lab: str) -> Receipt:
    """The receipt in `data`, signed by one of `lab`'s Ed25519 signing keys that is not
    revoked; BulletinRejected with the reason otherwise."""
    trusted = lab_signing_keys(federation.lab(lab))
    try:
        envelope = json.loads(data)
    except ValueError:
        raise BulletinRejected("malformed: the receipt is not JSON") from None
    payload_type, body, signer = verify_envelope(envelope, trusted)
    if payload_type != PAYLOAD_TYPE:
        raise BulletinRejected(f"malformed: payloadType is not {PAYLOAD_TYPE}")
    try:
        statement = json.loads(body)
    except ValueError:
        raise BulletinRejected("malformed: the receipt's statement is not JSON") from None
    if not isinstance(statement, dict) or statement.get("format") != FORMAT:
        raise BulletinRejected(f"malformed: the statement is not {FORMAT}")
    if statement.get("lab") != lab:
        raise BulletinRejected(f"the receipt is by {statement.get('lab')!r}, not {lab!r}")
    bulletin = statement.get("bulletin")
    if not isinstance(bulletin, dict) or any(
        type(bulletin.get(name)) is not kind for name, kind in _BULLETIN_FIELDS.items()
    ):
        raise BulletinRejected("malformed: the receipt does not name a bulletin")
    if not isinstance(statement.get("opened"), str) or not _checkpoint_ok(
        statement.get("checkpoint")
    ):
        raise BulletinRejected("malformed: the receipt's opened time or checkpoint")
    return Receipt(lab, signer, statement)


def _checkpoint_ok(checkpoint: Any) -> bool:
    if checkpoint is None:
        return True
    if not isinstance(checkpoint, dict) or set(checkpoint) != {"size", "root"}:
        return False
    size, root = checkpoint["size"], checkpoint["root"]
    return type(size) is int and 0 <= size < 2**53 and isinstance(root, str) and len(root) == 64
