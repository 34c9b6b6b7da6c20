"""The `dtix-bulletin/1` header: building it, checking every field strictly, and its hash.

The header travels in clear; its RFC 8785 bytes are the AES-GCM associated data and are
bound into each HPKE-sealed data key, so every field is checked before anything is opened.
"""

import re
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from sharing.crypto.key_algs import EncryptionPublicKey
from sharing.crypto.keys import ParticipantKeys, kid_for
from sharing.crypto.suites import SUITE_X25519, SUITES
from sharing.encoding import b64url, b64url_decode, canonical_json, sha256_hex

CONTENT_TYPE = "application/vnd.dtix.bulletin+json"
_TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
_TIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z")
_HEX64 = re.compile(r"[0-9a-f]{64}")


def header_hash(header: Mapping) -> str:
    """Hex SHA-256 of the header's RFC 8785 bytes: the next bulletin's `prev`."""
    return sha256_hex(canonical_json(dict(header)))


def make_header(
    fields: Mapping[str, Any],
    issued: datetime,
    expires: datetime,
    sender: ParticipantKeys,
    recipients: Mapping[str, EncryptionPublicKey],
    *,
    nonce: bytes,
    suite: str = SUITE_X25519,
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
        "suite": suite,
        "content_type": CONTENT_TYPE,
        "nonce": b64url(nonce),
    }
    if (problem := header_problem(header)) is not None:
        raise ValueError(f"cannot seal: {problem}")
    return header


def header_problem(header: object) -> str | None:
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


def parse_time(text: str) -> datetime:
    """A header time (`issued`, `expires`) as an aware UTC datetime."""
    return datetime.strptime(text, _TIME_FORMAT).replace(tzinfo=UTC)


def _rfc3339(moment: datetime) -> str:
    if moment.utcoffset() is None:
        raise ValueError(f"{moment} has no time zone")
    return moment.astimezone(UTC).strftime(_TIME_FORMAT)


def _text(value: object) -> bool:
    return isinstance(value, str) and value != "" and value.isprintable()


def _b64(value: object, length: int) -> bool:
    try:
        b64url_decode(value, "value", length=length)
    except ValueError:
        return False
    return True


def _time(value: object) -> bool:
    if not isinstance(value, str) or not _TIME.fullmatch(value):
        return False
    try:
        parse_time(value)
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
    "suite": lambda v: isinstance(v, str) and v in SUITES,
    "content_type": lambda v: v == CONTENT_TYPE,
    "nonce": lambda v: _b64(v, 12),
}
