"""What the hub keeps of a submission that held raw personal data: never the value.

A quarantined line keeps its shape (its type, seen, tlp, confidence and count) and loses
every other field; the blob store keeps a copy of the file with those lines redacted, under
its own SHA-256, beside the hash of the file as received (docs/policy.md).
"""

import hashlib
import os
import secrets
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import orjson

from sharing.personal_data import kind_in, scrubbed

if TYPE_CHECKING:
    from sharing.aggregate import AggregatedSubmission

REDACTED = "[redacted: raw personal data]"
_KEPT = ("type", "seen", "tlp", "confidence", "count")
_CHUNK = 4 << 20


def holds_personal_data(raw: bytes) -> bool:
    return kind_in(raw.decode("utf-8", "replace")) is not None


def redacted_line(raw: bytes) -> bytes:
    """`raw` with every field but its shape replaced; a line that is not a JSON object
    becomes the marker alone."""
    try:
        obj = orjson.loads(raw)
    except orjson.JSONDecodeError:
        obj = None
    if type(obj) is not dict:
        return orjson.dumps({"redacted": REDACTED})
    kept = {k: obj[k] for k in _KEPT if k in obj and kind_in(str(obj[k])) is None}
    if kept.get("type") not in (None, "email", "phone", "card_number", "api_key"):
        kept["type"] = scrubbed(str(kept["type"]))
    return orjson.dumps({**kept, "redacted": REDACTED})


def redact_file(source: Path, lines: Iterable[int], folder: Path) -> tuple[Path, str]:
    """A copy of `source` in `folder` with the given (1-based) lines redacted; its SHA-256.

    The file is copied in large chunks; only a chunk holding a line to redact is split."""
    wanted = sorted(set(lines))
    target = folder / f".redacted-{secrets.token_hex(8)}"
    digest = hashlib.sha256()
    with source.open("rb") as src, target.open("wb") as out:
        number, carry, at = 1, b"", 0  # number: the line `carry` starts
        while chunk := src.read(_CHUNK):
            data = carry + chunk
            cut = data.rfind(b"\n") + 1
            complete, carry = data[:cut], data[cut:]
            count = complete.count(b"\n")
            if at < len(wanted) and wanted[at] < number + count:
                parts = complete.split(b"\n")
                while at < len(wanted) and wanted[at] < number + count:
                    parts[wanted[at] - number] = _redacted_part(parts[wanted[at] - number])
                    at += 1
                complete = b"\n".join(parts)
            digest.update(complete)
            out.write(complete)
            number += count
        if carry and at < len(wanted) and wanted[at] == number:
            carry = _redacted_part(carry)
        digest.update(carry)
        out.write(carry)
        out.flush()
        os.fsync(out.fileno())
    target.chmod(0o444)
    return target, digest.hexdigest()


def _redacted_part(part: bytes) -> bytes:
    """One line without its newline (a CRLF line keeps its carriage return)."""
    ending = b"\r" if part.endswith(b"\r") else b""
    return redacted_line(part.removesuffix(b"\r")) + ending


def keep_without_personal_data(
    staged: Path, parsed: "AggregatedSubmission", folder: Path
) -> tuple[Path, str]:
    """What the blob store keeps of a staged submission, and its address: the file as
    received, or a redacted copy when lines held personal data (noted in `parsed`)."""
    lines = [r.line for r in parsed.rejected if r.personal]
    if not lines:
        return staged, parsed.sha256
    kept, sha = redact_file(staged, lines, folder)
    parsed.redacted_sha256 = sha
    return kept, sha


def scrub_inbox_file(
    path: Path, parsed: "AggregatedSubmission", redacted: Path | None = None
) -> None:
    """Redact, in place, the lines of a collected inbox file that held personal data; with
    `redacted` (the redacted copy already kept), link to it rather than redact again."""
    lines = [r.line for r in parsed.rejected if r.personal]
    if not lines:
        return
    if redacted is None:
        redacted, _ = redact_file(path, lines, path.parent)
    else:
        link = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
        os.link(redacted, link)
        redacted = link
    os.replace(redacted, path)
