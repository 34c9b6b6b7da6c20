"""C2SP signed notes (c2sp.org/signed-note) with Ed25519, and tlog checkpoints in them.

A checkpoint is `<origin>\\n<size>\\n<base64 root>\\n`, then a blank line and one
signature line per key: `— <key name> <base64(key hash || signature)>`.
"""

import base64
import binascii
import hashlib
import re
from collections.abc import Sequence

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from sharing.errors import AuditError

ED25519 = b"\x01"
SIGNATURE_PREFIX = "\u2014 "
MAX_SIGNATURES = 100
_SIZE = re.compile(r"0|[1-9][0-9]{0,18}")
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f]")


def _check_name(name: str) -> None:
    if not name or "+" in name or any(c.isspace() for c in name):
        raise AuditError(f"key name {name!r} must be non-empty, without spaces or '+'")


def _check_text(text: str, what: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise AuditError(f"{what} is not valid UTF-8") from None
    if _CONTROL.search(text):
        raise AuditError(f"{what} contains a control character other than newline")


def _b64decode(text: str) -> bytes:
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (UnicodeEncodeError, binascii.Error):
        raise AuditError(f"{text[:40]!r} is not standard base64") from None


def checkpoint_body(origin: str, size: int, root: bytes) -> str:
    """The checkpoint text that the log key signs."""
    _check_text(origin, "the origin")
    if not origin or "\n" in origin:
        raise AuditError(f"origin {origin!r} must be one non-empty line")
    if not 0 <= size < 2**63 or len(root) != 32:
        raise AuditError("a checkpoint needs a size >= 0 and a 32-byte root")
    return f"{origin}\n{size}\n{base64.b64encode(root).decode('ascii')}\n"


def parse_checkpoint(body: str) -> tuple[str, int, bytes]:
    """(origin, size, root) of a checkpoint body; extension lines are allowed and ignored."""
    if not body.endswith("\n"):
        raise AuditError("checkpoint does not end with a newline")
    lines = body[:-1].split("\n")
    if len(lines) < 3 or not all(lines):
        raise AuditError("checkpoint needs at least three non-empty lines")
    origin, size, root_text = lines[:3]
    if not _SIZE.fullmatch(size):
        raise AuditError(f"checkpoint size {size[:40]!r} is not a decimal number")
    root = _b64decode(root_text)
    if len(root) != 32 or base64.b64encode(root).decode("ascii") != root_text:
        raise AuditError("checkpoint root is not the base64 of 32 bytes")
    return origin, int(size), root


def key_hash(name: str, public_key: Ed25519PublicKey) -> bytes:
    """The 4-byte key ID: SHA-256(name || 0x0A || 0x01 || public key)[:4]."""
    raw = public_key.public_bytes_raw()
    return hashlib.sha256(name.encode("utf-8") + b"\n" + ED25519 + raw).digest()[:4]


def verifier_key(name: str, public_key: Ed25519PublicKey) -> str:
    """`<name>+<hex key hash>+<base64(0x01 || public key)>`, as Go's sumdb/note prints it."""
    _check_name(name)
    encoded = base64.b64encode(ED25519 + public_key.public_bytes_raw()).decode("ascii")
    return f"{name}+{key_hash(name, public_key).hex()}+{encoded}"


def sign_note(body: str, name: str, key: Ed25519PrivateKey) -> str:
    """`body` followed by a blank line and one Ed25519 signature line by `name`."""
    _check_name(name)
    _check_text(body, "the note text")
    if not body.endswith("\n"):
        raise AuditError("the note text must end with a newline")
    signature = key.sign(body.encode("utf-8"))
    tag = base64.b64encode(key_hash(name, key.public_key()) + signature).decode("ascii")
    return f"{body}\n{SIGNATURE_PREFIX}{name} {tag}\n"


def verify_note(
    note: str, name: str, public_key: Ed25519PublicKey | Sequence[Ed25519PublicKey]
) -> str:
    """The note text, if `note` is well formed and carries a valid signature by this key
    (or by one of these keys: a log's current and retired keys).

    Signatures by other keys are ignored; a bad signature by one of these keys rejects it."""
    keys = [public_key] if isinstance(public_key, Ed25519PublicKey) else list(public_key)
    _check_text(note, "the note")
    split = note.rfind("\n\n")
    if split < 0:
        raise AuditError("note has no blank line before its signatures")
    text, block = note[: split + 1], note[split + 2 :]
    if not block.endswith("\n"):
        raise AuditError("note has no signature lines, or they do not end with a newline")
    lines = block[:-1].split("\n")
    if len(lines) > MAX_SIGNATURES:
        raise AuditError(f"note has more than {MAX_SIGNATURES} signatures")
    wanted, verified = {key_hash(name, key): key for key in keys}, False
    for line in lines:
        if not line.startswith(SIGNATURE_PREFIX) or " " not in line[2:]:
            raise AuditError(f"malformed signature line {line[:60]!r}")
        signer, _, encoded = line[2:].partition(" ")
        _check_name(signer)
        blob = _b64decode(encoded)
        if len(blob) < 5:
            raise AuditError(f"signature by {signer} is too short")
        if signer != name or blob[:4] not in wanted:
            continue
        try:
            wanted[blob[:4]].verify(blob[4:], text.encode("utf-8"))
        except InvalidSignature:
            raise AuditError(f"signature by {name} does not verify") from None
        verified = True
    if not verified:
        known = ", ".join(verifier_key(name, key) for key in keys) or "no key"
        raise AuditError(f"note has no signature by {known}")
    return text
