"""The outer `dtix-bulletin/1` file: format, header, sealed keys and ciphertext as JSON.

Writing is plain. Reading is strict (exactly the documented fields, types and encodings)
and never copies the large ciphertext text: it is located, cut out of a skeleton that is
parsed as JSON, and decoded later in chunks. Every way the file can be bad raises
BulletinRejected with the reason.
"""

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import orjson

from sharing.crypto.bulletin_header import header_problem
from sharing.encoding import b64url_decode, canonical_json
from sharing.errors import BulletinRejected

FORMAT = "dtix-bulletin/1"
MAX_PLAINTEXT = 2**31 - 1  # one AES-GCM call in common libraries (cryptography's AESGCM)
FILE_SUFFIX = b'"}'
_FILE_FIELDS = {"format", "header", "keys", "ciphertext"}
_MARK = b'"ciphertext"'


@dataclass(frozen=True)
class ParsedFile:
    header: dict[str, Any]
    sealed: dict[str, bytes]
    keys_digest: bytes
    start: int
    end: int


def keys_digest(keys: Mapping[str, str]) -> bytes:
    """SHA-256 of JCS(keys): binds every recipient's entry into the AES-GCM associated data."""
    return hashlib.sha256(canonical_json(dict(keys))).digest()


def file_prefix(header: dict[str, Any], keys: Mapping[str, str]) -> bytes:
    """The file up to the ciphertext's text; `FILE_SUFFIX` closes it."""
    head = orjson.dumps({"format": FORMAT, "header": header, "keys": dict(keys)})
    return head[:-1] + b',"ciphertext":"'


def parse_file(data: bytes) -> ParsedFile:
    """The outer JSON, strictly; the ciphertext is returned as the span data[start:end]."""
    start, end = _ciphertext_span(data)
    doc = strict_json(data[:start] + data[end:] if end else data, "the bulletin file")
    if not isinstance(doc, dict):
        raise BulletinRejected("malformed: the bulletin file is not a JSON object")
    if doc.get("format") != FORMAT:
        raise BulletinRejected(f"malformed: format is not {FORMAT}")
    if set(doc) != _FILE_FIELDS:
        raise BulletinRejected(f"malformed: the bulletin must have exactly {sorted(_FILE_FIELDS)}")
    if not end or doc["ciphertext"] != "":
        raise BulletinRejected("malformed: the ciphertext is not a base64url string")
    header, keys = doc["header"], doc["keys"]
    if (problem := header_problem(header)) is not None:
        raise BulletinRejected(f"malformed: {problem}")
    if not isinstance(keys, dict) or sorted(keys) != header["recipients"]:
        raise BulletinRejected("malformed: keys must hold one entry per kid of header.recipients")
    try:
        sealed = {kid: b64url_decode(value, f"keys[{kid}]") for kid, value in keys.items()}
    except ValueError as exc:
        raise BulletinRejected(f"malformed: {exc}") from None
    if (end - start) * 3 // 4 > MAX_PLAINTEXT + 16:
        raise BulletinRejected("malformed: ciphertext has an impossible length")
    return ParsedFile(header, sealed, keys_digest(keys), start, end)


def _ciphertext_span(data: bytes) -> tuple[int, int]:
    """Where the ciphertext's text lies, or (0, 0) when no `"ciphertext": "` is found."""
    at = data.find(_MARK)
    if at < 0:
        return 0, 0
    i = at + len(_MARK)
    while data[i : i + 1] in (b" ", b"\t", b"\r", b"\n"):
        i += 1
    if data[i : i + 1] != b":":
        return 0, 0
    i += 1
    while data[i : i + 1] in (b" ", b"\t", b"\r", b"\n"):
        i += 1
    if data[i : i + 1] != b'"':
        return 0, 0
    end = data.find(b'"', i + 1)
    return (i + 1, end) if end > 0 else (0, 0)


def strict_json(data: bytes | bytearray, what: str) -> Any:
    """RFC 8259 JSON in UTF-8 with no duplicate names and no NaN/Infinity."""
    try:
        return json.loads(
            bytes(data).decode("utf-8"), object_pairs_hook=_unique, parse_constant=_no_constant
        )
    except (ValueError, RecursionError):
        raise BulletinRejected(f"malformed: {what} is not valid JSON") from None


def _unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        raise ValueError("duplicate name")
    return result


def _no_constant(name: str) -> None:
    raise ValueError(name)
