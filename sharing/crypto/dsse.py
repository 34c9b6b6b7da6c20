"""DSSE v1 envelopes (secure-systems-lab/dsse) signed with Ed25519.

The signature covers PAE(payloadType, body), so the type cannot be swapped for another
without breaking it.
"""

import base64
import binascii
from collections.abc import Mapping
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from sharing.errors import BulletinRejected


def pae(payload_type: str, body: bytes) -> bytes:
    """DSSE pre-authentication encoding: "DSSEv1" SP len(type) SP type SP len(body) SP body."""
    kind = payload_type.encode("utf-8")
    return b"DSSEv1 %d %b %d %b" % (len(kind), kind, len(body), body)


def sign_envelope(payload_type: str, body: bytes, key: Ed25519PrivateKey, keyid: str) -> dict:
    """A DSSE envelope over `body` with one Ed25519 signature under `keyid`."""
    signature = key.sign(pae(payload_type, body))
    return {
        "payloadType": payload_type,
        "payload": base64.b64encode(body).decode("ascii"),
        "signatures": [{"keyid": keyid, "sig": base64.b64encode(signature).decode("ascii")}],
    }


def signature_entry(key: Any, keyid: str, message: bytes) -> dict[str, str]:
    """One DSSE `signatures` entry: `key` (Ed25519 or ML-DSA-65) over the PAE `message`."""
    return {"keyid": keyid, "sig": base64.b64encode(key.sign(message)).decode("ascii")}


def require_signature(signatures: object, keyid: str, key: Any, message: bytes) -> None:
    """BulletinRejected unless a well-formed entry under `keyid` verifies over `message`."""
    if not isinstance(signatures, list) or not signatures:
        raise BulletinRejected("the envelope has no signatures")
    found = False
    for entry in signatures:
        if not isinstance(entry, dict) or set(entry) != {"keyid", "sig"}:
            raise BulletinRejected("an envelope signature is not {keyid, sig}")
        sig = _b64(entry["sig"], "sig")
        if entry["keyid"] != keyid:
            continue
        found = True
        try:
            key.verify(sig, message)
            return
        except InvalidSignature:
            continue
    if found:
        raise BulletinRejected(f"tampered: the signature by {keyid} does not verify")
    raise BulletinRejected(f"the envelope has no signature by {keyid}")


def verify_envelope(
    envelope: object, trusted: Mapping[str, Ed25519PublicKey]
) -> tuple[str, bytes, str]:
    """(payload_type, body, signer keyid) when a signature verifies under a trusted key.

    Signatures by keys not in `trusted` are skipped; any other problem rejects the envelope.
    """
    if not isinstance(envelope, dict) or set(envelope) != {"payloadType", "payload", "signatures"}:
        raise BulletinRejected("the envelope is not a DSSE envelope")
    payload_type, signatures = envelope["payloadType"], envelope["signatures"]
    if not isinstance(payload_type, str) or not _utf8(payload_type):
        raise BulletinRejected("the envelope's payloadType is not a string")
    if not isinstance(signatures, list) or not signatures:
        raise BulletinRejected("the envelope has no signatures")
    body = _b64(envelope["payload"], "payload")
    message = pae(payload_type, body)
    failed = None
    for entry in signatures:
        if not isinstance(entry, dict) or set(entry) != {"keyid", "sig"}:
            raise BulletinRejected("an envelope signature is not {keyid, sig}")
        keyid, sig = entry["keyid"], _b64(entry["sig"], "sig")
        if not isinstance(keyid, str) or keyid not in trusted:
            continue
        try:
            trusted[keyid].verify(sig, message)
        except InvalidSignature:
            failed = keyid
            continue
        return payload_type, body, keyid
    if failed is not None:
        raise BulletinRejected(f"the signature by {failed} does not verify")
    raise BulletinRejected("the envelope has no signature by a trusted key")


def b64_strict(text: object, what: str) -> bytes:
    """Standard, padded base64 as DSSE uses it; BulletinRejected naming `what` otherwise."""
    return _b64(text, what)


def _b64(text: object, what: str) -> bytes:
    """Standard, padded base64 (RFC 4648 section 4), nothing else."""
    try:
        if isinstance(text, str):
            return base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError):
        pass
    raise BulletinRejected(f"the envelope's {what} is not base64")


def _utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
