"""`dtix-bulletin/1`: a DSSE-signed body, AES-256-GCM encrypted, its data key HPKE-sealed.

docs/bulletin-format.md is the normative text; this module follows it step by step. The
header lives in `bulletin_header`, the outer JSON file in `bulletin_file`, the sealing and
signing primitives of each `header.suite` in `suites`.
The stateful checks (seq order, prev, replay) belong to the receiver that keeps the state.
"""

import hashlib
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from sharing.crypto.bulletin_file import FORMAT, parse_file, strict_json, write_file
from sharing.crypto.bulletin_file import MAX_PLAINTEXT as _MAX_PLAINTEXT
from sharing.crypto.bulletin_header import CONTENT_TYPE, make_header, parse_time
from sharing.crypto.keys import ParticipantKeys, kid_for
from sharing.crypto.suites import SUITES
from sharing.encoding import b64url_decode, canonical_json, sha256_hex
from sharing.errors import BulletinRejected, DtixError

GENESIS_PREV = "0" * 64


@dataclass(frozen=True)
class OpenedBulletin:
    """A bulletin that passed every stateless check; the receiver still checks seq and prev."""

    header: dict
    body: bytes
    header_hash: str
    signer: str


def seal_bulletin(
    *,
    id: str,
    stream: str,
    seq: int,
    prev: str,
    issued: datetime,
    expires: datetime,
    body: bytes,
    sender: ParticipantKeys,
    recipients: Mapping[str, X25519PublicKey],
) -> bytes:
    """Sign `body` as `sender` and encrypt it to each recipient (kid -> key); the file bytes."""
    fields = {"id": id, "stream": stream, "seq": seq, "prev": prev}
    header = make_header(fields, issued, expires, sender, recipients, nonce=secrets.token_bytes(12))
    _check_inner(body, header, ValueError)
    return _seal(header, body, sender, recipients, dek=secrets.token_bytes(32))


def _seal(
    header: dict[str, Any],
    body: bytes,
    sender: ParticipantKeys,
    recipients: Mapping[str, X25519PublicKey],
    *,
    dek: bytes,
) -> bytes:
    """Seal under a given header and DEK; fixed values here give reproducible test vectors."""
    suite = SUITES[header["suite"]]
    header_bytes = canonical_json(header)
    if 4 * ((len(body) + 2) // 3) > _MAX_PLAINTEXT - 1024:
        raise DtixError(
            f"bulletin {header['id']} is too large to seal: a {len(body)}-byte body "
            f"exceeds AES-GCM's {_MAX_PLAINTEXT}-byte limit once signed; split it"
        )
    # Sorted and compact: for these ASCII-only values this is exactly RFC 8785.
    plaintext = orjson.dumps(suite.sign(CONTENT_TYPE, body, sender), option=orjson.OPT_SORT_KEYS)
    ciphertext = AESGCM(dek).encrypt(
        b64url_decode(header["nonce"], "nonce"), plaintext, header_bytes
    )
    sealed = {
        kid: suite.seal_dek(dek, recipients[kid], hpke_info(kid, header_bytes))
        for kid in header["recipients"]
    }
    return write_file(header, sealed, ciphertext)


def hpke_info(kid: str, header_bytes: bytes) -> bytes:
    """HPKE `info` binding a sealed DEK to its recipient and to this exact header."""
    digest = hashlib.sha256(header_bytes).digest()
    return FORMAT.encode() + b"\x00" + kid.encode() + b"\x00" + digest


def open_bulletin(
    data: bytes,
    *,
    recipient_kid: str,
    recipient_key: X25519PrivateKey,
    trusted_senders: Mapping[str, Ed25519PublicKey],
    now: datetime,
) -> OpenedBulletin:
    """Authenticate, decrypt and verify a bulletin for one recipient key, in the documented order.

    Every way the file can be bad raises BulletinRejected with the reason.
    """
    if now.utcoffset() is None:
        raise ValueError("now must carry a time zone")
    if kid_for(recipient_key.public_key()) != recipient_kid:
        raise DtixError(f"the private key given is not the key {recipient_kid}")
    header, keys, ciphertext = parse_file(data)
    if recipient_kid not in header["recipients"]:
        raise BulletinRejected(f"not addressed to {recipient_kid}")
    suite = SUITES[header["suite"]]
    header_bytes = canonical_json(header)
    try:
        dek = suite.open_dek(
            keys[recipient_kid], recipient_key, hpke_info(recipient_kid, header_bytes)
        )
    except InvalidTag:
        raise BulletinRejected(
            f"tampered or not for this key: the data key sealed to {recipient_kid} does not open"
        ) from None
    if len(dek) != 32:
        raise BulletinRejected("the sealed data key is not 32 bytes")
    try:
        plaintext = AESGCM(dek).decrypt(
            b64url_decode(header["nonce"], "nonce"), ciphertext, header_bytes
        )
    except InvalidTag:
        raise BulletinRejected("tampered: the header or ciphertext does not authenticate") from None
    sender = header["sender"]
    if sender not in trusted_senders:
        raise BulletinRejected(f"sender {sender} is not a trusted sender key")
    payload_type, body = suite.verify(
        strict_json(plaintext, "the signed envelope"), sender, trusted_senders[sender]
    )
    if payload_type != header["content_type"]:
        raise BulletinRejected(f"payloadType {payload_type!r:.80} is not header.content_type")
    _check_inner(body, header, BulletinRejected)
    if now >= parse_time(header["expires"]):
        raise BulletinRejected(f"bulletin {header['id']} expired at {header['expires']}")
    return OpenedBulletin(header, body, sha256_hex(header_bytes), sender)


def _check_inner(body: bytes, outer: Mapping[str, Any], error: type[Exception]) -> None:
    """The signed body must repeat the header's id, stream and seq."""
    try:
        inner = orjson.loads(body)
    except orjson.JSONDecodeError:
        raise error("the body is not JSON") from None
    if not isinstance(inner, dict):
        raise error("the body is not a JSON object")
    for name in ("id", "stream", "seq"):
        value = inner.get(name)
        if type(value) is not type(outer[name]) or value != outer[name]:
            raise error(f"inner and outer {name} differ")
