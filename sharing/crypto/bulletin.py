"""`dtix-bulletin/1`: a DSSE-signed body, AES-256-GCM encrypted, its data key HPKE-sealed.

docs/bulletin-format.md is the normative text; this module follows it step by step.
The stateful checks (seq order, prev, replay) belong to the receiver that keeps the state.
"""

import hashlib
import json
import re
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import orjson
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hpke
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from sharing.crypto.dsse import sign_envelope, verify_envelope
from sharing.crypto.keys import ParticipantKeys, decode_b64url, kid_for
from sharing.encoding import b64url, canonical_json, sha256_hex
from sharing.errors import BulletinRejected, DtixError

FORMAT = "dtix-bulletin/1"
SUITE_X25519 = "HPKE-X25519-SHA256-AES256GCM"
CONTENT_TYPE = "application/vnd.dtix.bulletin+json"
GENESIS_PREV = "0" * 64
_MAX_PLAINTEXT = 2**31 - 1  # AES-GCM's limit for one call in cryptography
_TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
_FILE_FIELDS = {"format", "header", "keys", "ciphertext"}


@dataclass(frozen=True)
class OpenedBulletin:
    """A bulletin that passed every stateless check; the receiver still checks seq and prev."""

    header: dict
    body: bytes
    header_hash: str
    signer: str


@dataclass(frozen=True)
class _Suite:
    """One `header.suite`: how the DEK is sealed to a recipient and how the body is signed.

    A post-quantum suite is one more entry in `_SUITES`: a subclass with the
    ML-KEM-768+X25519 KEM whose `sign` and `verify` add and require an ML-DSA-65 signature.
    """

    name: str
    kem: hpke.KEM

    def _hpke(self) -> hpke.Suite:
        return hpke.Suite(self.kem, hpke.KDF.HKDF_SHA256, hpke.AEAD.AES_256_GCM)

    def seal_dek(self, dek: bytes, public_key: Any, info: bytes) -> bytes:
        return self._hpke().encrypt(dek, public_key, info=info)

    def open_dek(self, sealed: bytes, private_key: Any, info: bytes) -> bytes:
        return self._hpke().decrypt(sealed, private_key, info=info)

    def sign(self, body: bytes, sender: ParticipantKeys) -> dict:
        return sign_envelope(CONTENT_TYPE, body, sender.sign, kid_for(sender.sign.public_key()))

    def verify(self, envelope: object, sender: str, key: Ed25519PublicKey) -> tuple[str, bytes]:
        payload_type, body, _ = verify_envelope(envelope, {sender: key})
        return payload_type, body


_SUITES = {SUITE_X25519: _Suite(SUITE_X25519, hpke.KEM.X25519)}


def header_hash(header: Mapping) -> str:
    """Hex SHA-256 of the header's RFC 8785 bytes: the next bulletin's `prev`."""
    return sha256_hex(canonical_json(dict(header)))


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
    header = _make_header(
        fields, issued, expires, sender, recipients, nonce=secrets.token_bytes(12)
    )
    _check_inner(body, header, ValueError)
    return _seal(header, body, sender, recipients, dek=secrets.token_bytes(32))


def _make_header(
    fields: Mapping[str, Any],
    issued: datetime,
    expires: datetime,
    sender: ParticipantKeys,
    recipients: Mapping[str, X25519PublicKey],
    *,
    nonce: bytes,
) -> dict[str, Any]:
    """The header for `fields` (id, stream, seq, prev); ValueError if any value is unusable."""
    for kid, key in recipients.items():
        if kid_for(key) != kid:
            raise ValueError(f"recipient kid {kid} is not the kid of the key given for it")
    header = {
        **fields,
        "issued": _rfc3339(issued),
        "expires": _rfc3339(expires),
        "sender": kid_for(sender.sign.public_key()),
        "recipients": sorted(recipients),
        "suite": SUITE_X25519,
        "content_type": CONTENT_TYPE,
        "nonce": b64url(nonce),
    }
    if (problem := _header_problem(header)) is not None:
        raise ValueError(f"cannot seal: {problem}")
    return header


def _seal(
    header: dict[str, Any],
    body: bytes,
    sender: ParticipantKeys,
    recipients: Mapping[str, X25519PublicKey],
    *,
    dek: bytes,
) -> bytes:
    """Seal under a given header and DEK; fixed values here give reproducible test vectors."""
    suite = _SUITES[header["suite"]]
    header_bytes = canonical_json(header)
    if 4 * ((len(body) + 2) // 3) > _MAX_PLAINTEXT - 1024:
        raise DtixError(
            f"bulletin {header['id']} is too large to seal: a {len(body)}-byte body "
            f"exceeds AES-GCM's {_MAX_PLAINTEXT}-byte limit once signed; split it"
        )
    # Sorted and compact: for these ASCII-only values this is exactly RFC 8785.
    plaintext = orjson.dumps(suite.sign(body, sender), option=orjson.OPT_SORT_KEYS)
    ciphertext = AESGCM(dek).encrypt(
        decode_b64url(header["nonce"], "nonce"), plaintext, header_bytes
    )
    keys = {
        kid: b64url(suite.seal_dek(dek, recipients[kid], hpke_info(kid, header_bytes)))
        for kid in header["recipients"]
    }
    document = {"format": FORMAT, "header": header, "keys": keys, "ciphertext": b64url(ciphertext)}
    return orjson.dumps(document)


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
    header, keys, ciphertext = _parse_file(data)
    if recipient_kid not in header["recipients"]:
        raise BulletinRejected(f"not addressed to {recipient_kid}")
    suite = _SUITES[header["suite"]]
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
            decode_b64url(header["nonce"], "nonce"), ciphertext, header_bytes
        )
    except InvalidTag:
        raise BulletinRejected("tampered: the header or ciphertext does not authenticate") from None
    sender = header["sender"]
    if sender not in trusted_senders:
        raise BulletinRejected(f"sender {sender} is not a trusted sender key")
    payload_type, body = suite.verify(
        _loads(plaintext, "the signed envelope"), sender, trusted_senders[sender]
    )
    if payload_type != header["content_type"]:
        raise BulletinRejected(f"payloadType {payload_type!r:.80} is not header.content_type")
    _check_inner(body, header, BulletinRejected)
    if now >= _parse_time(header["expires"]):
        raise BulletinRejected(f"bulletin {header['id']} expired at {header['expires']}")
    return OpenedBulletin(header, body, sha256_hex(header_bytes), sender)


def _parse_file(data: bytes) -> tuple[dict[str, Any], dict[str, bytes], bytes]:
    """The outer JSON, strictly: exactly the documented fields, types and encodings."""
    doc = _loads(data, "the bulletin file")
    if not isinstance(doc, dict):
        raise BulletinRejected("the bulletin file is not a JSON object")
    if doc.get("format") != FORMAT:
        raise BulletinRejected(f"format is not {FORMAT}")
    if set(doc) != _FILE_FIELDS:
        raise BulletinRejected(f"the bulletin must have exactly the fields {sorted(_FILE_FIELDS)}")
    header, keys = doc["header"], doc["keys"]
    if (problem := _header_problem(header)) is not None:
        raise BulletinRejected(problem)
    if not isinstance(keys, dict) or sorted(keys) != header["recipients"]:
        raise BulletinRejected("keys must hold one entry per kid of header.recipients")
    try:
        sealed = {kid: decode_b64url(value, f"keys[{kid}]") for kid, value in keys.items()}
        ciphertext = decode_b64url(doc["ciphertext"], "ciphertext")
    except ValueError as exc:
        raise BulletinRejected(str(exc)) from None
    if not 16 <= len(ciphertext) <= _MAX_PLAINTEXT + 16:
        raise BulletinRejected("ciphertext has an impossible length")
    return header, sealed, ciphertext


def _loads(data: bytes, what: str) -> Any:
    """RFC 8259 JSON in UTF-8 with no duplicate names and no NaN/Infinity."""
    try:
        return json.loads(
            bytes(data).decode("utf-8"), object_pairs_hook=_unique, parse_constant=_no_constant
        )
    except (ValueError, RecursionError):
        raise BulletinRejected(f"{what} is not valid JSON") from None


def _unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        raise ValueError("duplicate name")
    return result


def _no_constant(name: str) -> None:
    raise ValueError(name)


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


def _rfc3339(moment: datetime) -> str:
    if moment.utcoffset() is None:
        raise ValueError(f"{moment} has no time zone")
    return moment.astimezone(UTC).strftime(_TIME_FORMAT)


def _parse_time(text: str) -> datetime:
    return datetime.strptime(text, _TIME_FORMAT).replace(tzinfo=UTC)


_TIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z")
_HEX64 = re.compile(r"[0-9a-f]{64}")


def _text(value: object) -> bool:
    return isinstance(value, str) and value != "" and value.isprintable()


def _b64(value: object, length: int) -> bool:
    try:
        decode_b64url(value, "value", length=length)
    except ValueError:
        return False
    return True


def _time(value: object) -> bool:
    if not isinstance(value, str) or not _TIME.fullmatch(value):
        return False
    try:
        _parse_time(value)
    except ValueError:
        return False
    return True


_HEADER_CHECKS: dict[str, Callable[[Any], bool]] = {
    "id": _text,
    "stream": _text,
    "seq": lambda v: type(v) is int and 1 <= v <= 2**53 - 1,
    "prev": lambda v: isinstance(v, str) and _HEX64.fullmatch(v) is not None,
    "issued": _time,
    "expires": _time,
    "sender": lambda v: _b64(v, 32),
    "recipients": lambda v: (
        isinstance(v, list) and v != [] and all(_b64(k, 32) for k in v) and v == sorted(set(v))
    ),
    "suite": lambda v: isinstance(v, str) and v in _SUITES,
    "content_type": lambda v: v == CONTENT_TYPE,
    "nonce": lambda v: _b64(v, 12),
}


def _header_problem(header: object) -> str | None:
    """What makes `header` not a dtix-bulletin/1 header, or None."""
    if not isinstance(header, dict):
        return "header is not a JSON object"
    if set(header) != set(_HEADER_CHECKS):
        missing, unknown = set(_HEADER_CHECKS) - set(header), set(header) - set(_HEADER_CHECKS)
        return f"header fields missing {sorted(missing)}, unknown {sorted(unknown)}"
    for name, check in _HEADER_CHECKS.items():
        if not check(header[name]):
            return f"header.{name} is not valid"
    if header["expires"] <= header["issued"]:
        return "header.expires is not after header.issued"
    return None
