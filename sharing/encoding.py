"""Byte-level encodings shared by every format dtix writes: base64url, RFC 8785 JSON, SHA-256."""

import base64
import hashlib
from typing import Any

import rfc8785


def b64url(data: bytes) -> str:
    """Unpadded base64url, as JOSE and the bulletin format use it."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    """Inverse of `b64url`; raises ValueError on characters outside the alphabet."""
    if not isinstance(text, str):
        raise ValueError("expected a base64url string")
    padded = text + "=" * (-len(text) % 4)
    return base64.b64decode(padded, altchars=b"-_", validate=True)


def canonical_json(value: Any) -> bytes:
    """RFC 8785 (JCS) canonical JSON: the bytes that are hashed and signed."""
    return rfc8785.dumps(value)


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
