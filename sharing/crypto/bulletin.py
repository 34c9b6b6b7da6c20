"""`dtix-bulletin/1`: a DSSE-signed body, AES-256-GCM encrypted, its data key HPKE-sealed.

docs/bulletin-format.md is the normative text; this module follows it step by step. The
header lives in `bulletin_header`, the outer JSON file in `bulletin_file`, the streamed
AES-GCM layer in `content_cipher`, the envelope in `envelope_codec`, the sealing and
signing primitives of each `header.suite` in `suites`. Memory stays within a small
multiple of the body: nothing large is held twice in one encoding.
The stateful checks (seq order, prev, replay) belong to the receiver that keeps the state.
"""

import hashlib
import io
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, BinaryIO

import orjson
from cryptography.exceptions import InvalidTag

from sharing.crypto.bulletin_file import (
    FILE_SUFFIX,
    FORMAT,
    MAX_PLAINTEXT,
    file_prefix,
    keys_digest,
    parse_file,
)
from sharing.crypto.bulletin_header import make_header, parse_time
from sharing.crypto.content_cipher import decrypt_b64url, encrypt_to_b64url
from sharing.crypto.dsse import pae
from sharing.crypto.envelope_codec import envelope_length, envelope_pieces, read_envelope
from sharing.crypto.key_algs import EncryptionKey, EncryptionPublicKey
from sharing.crypto.keys import ParticipantKeys, kid_for
from sharing.crypto.suites import SUITES, SenderKeys, suite_for
from sharing.encoding import b64url, b64url_decode, canonical_json, sha256_hex
from sharing.errors import BulletinRejected, DtixError

GENESIS_PREV = "0" * 64


@dataclass(frozen=True)
class OpenedBulletin:
    """A bulletin that passed every stateless check; the receiver still checks seq and prev."""

    header: dict
    body: bytes
    header_hash: str
    signer: str
    recipient_kid: str


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
    recipients: Mapping[str, EncryptionPublicKey],
    check_body: bool = True,
) -> bytes:
    """Sign `body` as `sender` and encrypt it to each recipient (kid -> key); the file bytes.

    The suite follows from the recipients' keys: X25519, or ML-KEM-768+X25519.
    `check_body` parses the body to check it repeats id, stream and seq.
    """
    suite = suite_for(list(recipients.values()))
    fields = {"id": id, "stream": stream, "seq": seq, "prev": prev}
    nonce = secrets.token_bytes(12)
    header = make_header(fields, issued, expires, sender, recipients, nonce=nonce, suite=suite.name)
    if check_body:
        check_inner(body, header, ValueError)
    out = io.BytesIO()
    seal_into(out, header, body, sender, recipients, dek=secrets.token_bytes(32))
    return out.getvalue()


def seal_into(
    out: BinaryIO,
    header: dict[str, Any],
    body: bytes,
    sender: ParticipantKeys,
    recipients: Mapping[str, EncryptionPublicKey],
    *,
    dek: bytes,
    sealed_keys: Mapping[str, str] | None = None,
) -> None:
    """Write the file for a given header and DEK; fixed values here give reproducible vectors.

    `sealed_keys` (kid -> b64url entry) replaces fresh HPKE encapsulations, which are random,
    so that a stored test vector can be rebuilt byte for byte.
    """
    suite = SUITES[header["suite"]]
    header_bytes = canonical_json(header)
    signatures = suite.sign(pae(header["content_type"], body), sender)
    if envelope_length(len(body), header["content_type"], signatures) > MAX_PLAINTEXT:
        raise DtixError(
            f"bulletin {header['id']} is too large to seal: a {len(body)}-byte body "
            f"exceeds AES-GCM's {MAX_PLAINTEXT}-byte limit once signed; split it"
        )
    keys = (
        dict(sealed_keys)
        if sealed_keys is not None
        else {
            kid: b64url(suite.seal_dek(dek, recipients[kid], hpke_info(kid, header_bytes)))
            for kid in header["recipients"]
        }
    )
    out.write(file_prefix(header, keys))
    pieces = envelope_pieces(body, header["content_type"], signatures)
    nonce = b64url_decode(header["nonce"], "nonce")
    encrypt_to_b64url(dek, nonce, content_aad(header_bytes, keys_digest(keys)), pieces, out)
    out.write(FILE_SUFFIX)


def read_header(data: bytes) -> dict[str, Any]:
    """The header of a well-formed bulletin file, not yet authenticated."""
    return parse_file(data).header


def hpke_info(kid: str, header_bytes: bytes) -> bytes:
    """HPKE `info` binding a sealed DEK to its recipient and to this exact header."""
    digest = hashlib.sha256(header_bytes).digest()
    return FORMAT.encode() + b"\x00" + kid.encode() + b"\x00" + digest


def content_aad(header_bytes: bytes, digest_of_keys: bytes) -> bytes:
    """AES-GCM associated data: the header bytes, then SHA-256 of JCS(keys)."""
    return header_bytes + digest_of_keys


def open_bulletin(
    data: bytes,
    *,
    recipient_keys: Mapping[str, EncryptionKey],
    trusted_senders: Mapping[str, SenderKeys],
    now: datetime,
    check_body: bool = True,
) -> OpenedBulletin:
    """Authenticate, decrypt and verify a bulletin with one of our keys (kid -> private key).

    The checks run in the documented order; each failure raises BulletinRejected. Without
    `check_body` the caller must run `check_inner` itself (it parses the whole body).
    """
    if now.utcoffset() is None:
        raise ValueError("now must carry a time zone")
    for kid, key in recipient_keys.items():
        if kid_for(key.public_key()) != kid:
            raise DtixError(f"the private key given is not the key {kid}")
    parsed = parse_file(data)
    header = parsed.header
    kid = next((k for k in header["recipients"] if k in recipient_keys), None)
    if kid is None:
        raise BulletinRejected("not for you: sealed to none of this participant's keys")
    header_bytes = canonical_json(header)
    dek = _open_dek(header, parsed.sealed[kid], recipient_keys[kid], kid, header_bytes)
    aad = content_aad(header_bytes, parsed.keys_digest)
    nonce = b64url_decode(header["nonce"], "nonce")
    plaintext = decrypt_b64url(dek, nonce, aad, data, parsed.start, parsed.end)
    payload_type, body, signatures = read_envelope(plaintext)
    del plaintext
    sender = header["sender"]
    if sender not in trusted_senders:
        raise BulletinRejected(f"untrusted sender: {sender} is not a key of the hub")
    SUITES[header["suite"]].verify(
        signatures, pae(payload_type, body), sender, trusted_senders[sender]
    )
    if payload_type != header["content_type"]:
        raise BulletinRejected(f"mismatch: payloadType {payload_type!r:.80} is not content_type")
    if check_body:
        check_inner(body, header, BulletinRejected)
    if now >= parse_time(header["expires"]):
        raise BulletinRejected(f"expired: bulletin {header['id']} expired at {header['expires']}")
    return OpenedBulletin(header, body, sha256_hex(header_bytes), sender, kid)


def _open_dek(
    header: dict, sealed: bytes, key: EncryptionKey, kid: str, header_bytes: bytes
) -> bytes:
    try:
        dek = SUITES[header["suite"]].open_dek(sealed, key, hpke_info(kid, header_bytes))
    except (InvalidTag, ValueError):
        raise BulletinRejected(
            f"tampered: the data key sealed to {kid} does not open (changed header or entry)"
        ) from None
    if len(dek) != 32:
        raise BulletinRejected("tampered: the sealed data key is not 32 bytes")
    return dek


def check_inner(body: bytes, outer: Mapping[str, Any], error: type[Exception]) -> dict:
    """The parsed body, which must repeat the header's id, stream and seq."""
    try:
        inner = orjson.loads(body)
    except orjson.JSONDecodeError:
        raise error("malformed: the body is not JSON") from None
    if not isinstance(inner, dict):
        raise error("malformed: the body is not a JSON object")
    for name in ("id", "stream", "seq"):
        value = inner.get(name)
        if type(value) is not type(outer[name]) or value != outer[name]:
            raise error(f"header/body mismatch: inner and outer {name} differ")
    return inner
