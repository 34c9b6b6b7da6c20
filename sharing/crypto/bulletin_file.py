"""The outer `dtix-bulletin/1` file: format, header, sealed keys and ciphertext as JSON.

Writing is plain; reading is strict: exactly the documented fields, types and encodings,
and every way the file can be bad raises BulletinRejected with the reason.
"""

import json
from collections.abc import Mapping
from typing import Any

import orjson

from sharing.crypto.bulletin_header import header_problem
from sharing.encoding import b64url, b64url_decode
from sharing.errors import BulletinRejected

FORMAT = "dtix-bulletin/1"
MAX_PLAINTEXT = 2**31 - 1  # AES-GCM's limit for one call in cryptography
_FILE_FIELDS = {"format", "header", "keys", "ciphertext"}


def write_file(header: dict[str, Any], sealed: Mapping[str, bytes], ciphertext: bytes) -> bytes:
    """The file bytes for a header, its sealed data keys (kid -> bytes) and the ciphertext."""
    keys = {kid: b64url(value) for kid, value in sealed.items()}
    document = {"format": FORMAT, "header": header, "keys": keys, "ciphertext": b64url(ciphertext)}
    return orjson.dumps(document)


def parse_file(data: bytes) -> tuple[dict[str, Any], dict[str, bytes], bytes]:
    """The outer JSON, strictly: exactly the documented fields, types and encodings."""
    doc = strict_json(data, "the bulletin file")
    if not isinstance(doc, dict):
        raise BulletinRejected("the bulletin file is not a JSON object")
    if doc.get("format") != FORMAT:
        raise BulletinRejected(f"format is not {FORMAT}")
    if set(doc) != _FILE_FIELDS:
        raise BulletinRejected(f"the bulletin must have exactly the fields {sorted(_FILE_FIELDS)}")
    header, keys = doc["header"], doc["keys"]
    if (problem := header_problem(header)) is not None:
        raise BulletinRejected(problem)
    if not isinstance(keys, dict) or sorted(keys) != header["recipients"]:
        raise BulletinRejected("keys must hold one entry per kid of header.recipients")
    try:
        sealed = {kid: b64url_decode(value, f"keys[{kid}]") for kid, value in keys.items()}
        ciphertext = b64url_decode(doc["ciphertext"], "ciphertext")
    except ValueError as exc:
        raise BulletinRejected(str(exc)) from None
    if not 16 <= len(ciphertext) <= MAX_PLAINTEXT + 16:
        raise BulletinRejected("ciphertext has an impossible length")
    return header, sealed, ciphertext


def strict_json(data: bytes, what: str) -> Any:
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
