"""Byte-level encodings shared by every format dtix writes: base64url, RFC 8785 JSON, SHA-256."""

import base64
import hashlib
import re
from typing import Any

import rfc8785

_B64URL = re.compile(r"[A-Za-z0-9_-]*")


def b64url(data: bytes) -> str:
    """Unpadded base64url, as JOSE and the bulletin format use it."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: object, what: str = "value", *, length: int | None = None) -> bytes:
    """Inverse of `b64url`, strictly: only the canonical spelling of a value is accepted.

    Rejecting other spellings (padding, `+/`, stray low bits) means a changed character
    always changes the decoded bytes. With `length`, the value must decode to exactly that
    many bytes. Raises ValueError naming `what`.
    """
    if not isinstance(text, str) or not _B64URL.fullmatch(text) or len(text) % 4 == 1:
        raise ValueError(f"{what} is not unpadded base64url")
    data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    if b64url(data) != text:
        raise ValueError(f"{what} is not canonical base64url")
    if length is not None and len(data) != length:
        raise ValueError(f"{what} must be {length} bytes, not {len(data)}")
    return data


def canonical_json(value: Any) -> bytes:
    """RFC 8785 (JCS) canonical JSON: the bytes that are hashed and signed."""
    return rfc8785.dumps(value)


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
