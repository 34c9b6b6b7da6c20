"""The bulletin plaintext: a DSSE envelope written as RFC 8785 JSON, produced and read in pieces.

Writing yields the envelope in chunks so the base64 payload is never held whole. Reading
takes the canonical layout `{"payload":"…","payloadType":…,"signatures":[…]}` directly,
and any other spelling of the same JSON through a full parse.
"""

from collections.abc import Iterator
from typing import Any

import pybase64

from sharing.crypto.bulletin_file import strict_json
from sharing.crypto.dsse import b64_strict
from sharing.encoding import canonical_json
from sharing.errors import BulletinRejected

_PREFIX = b'{"payload":"'
_CHUNK = 9 * 2**18  # body bytes per piece: its base64 is a multiple of 3 bytes long


def envelope_pieces(body: bytes, payload_type: str, signatures: list[dict]) -> Iterator[bytes]:
    """JCS({"payload": b64(body), "payloadType": …, "signatures": …}), chunk by chunk."""
    yield _PREFIX
    with memoryview(body) as view:
        for offset in range(0, len(body), _CHUNK):
            yield pybase64.b64encode(view[offset : offset + _CHUNK])
    yield _suffix(payload_type, signatures)


def envelope_length(body_length: int, payload_type: str, signatures: list[dict]) -> int:
    return len(_PREFIX) + 4 * ((body_length + 2) // 3) + len(_suffix(payload_type, signatures))


def read_envelope(plaintext: bytearray) -> tuple[str, bytes, Any]:
    """(payloadType, body, signatures) of a DSSE envelope; BulletinRejected if it is not one."""
    if plaintext.startswith(_PREFIX):
        end = plaintext.find(b'"', len(_PREFIX))
        if end > 0 and plaintext[end + 1 : end + 2] == b",":
            rest = strict_json(b"{" + plaintext[end + 2 :], "the signed envelope")
            if isinstance(rest, dict) and set(rest) == {"payloadType", "signatures"}:
                with memoryview(plaintext) as view:
                    body = _b64(view[len(_PREFIX) : end])
                return _checked(rest["payloadType"], body, rest["signatures"])
    envelope = strict_json(plaintext, "the signed envelope")
    if not isinstance(envelope, dict) or set(envelope) != {"payloadType", "payload", "signatures"}:
        raise BulletinRejected("malformed: the plaintext is not a DSSE envelope")
    body = b64_strict(envelope["payload"], "payload")
    return _checked(envelope["payloadType"], body, envelope["signatures"])


def _suffix(payload_type: str, signatures: list[dict]) -> bytes:
    rest = canonical_json({"payloadType": payload_type, "signatures": signatures})
    return b'",' + rest[1:]


def _b64(text: memoryview) -> bytes:
    try:
        return pybase64.b64decode(text, validate=True)
    except ValueError:
        raise BulletinRejected("malformed: the envelope's payload is not base64") from None


def _checked(payload_type: object, body: bytes, signatures: object) -> tuple[str, bytes, Any]:
    if not isinstance(payload_type, str):
        raise BulletinRejected("malformed: the envelope's payloadType is not a string")
    return payload_type, body, signatures
