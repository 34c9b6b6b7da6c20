"""What the hub keeps of a submission that held raw personal data: never the value.

A quarantined line keeps its shape (its type, seen, tlp, confidence and count) and loses
every other field; the blob store keeps a copy of the file with those lines redacted, under
its own SHA-256, beside the hash of the file as received (docs/policy.md).
"""

import hashlib
import mmap
import os
import secrets
import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import orjson

from sharing.personal_data import kind_in, scrubbed

if TYPE_CHECKING:
    from sharing.aggregate import AggregatedSubmission

REDACTED = "[redacted: raw personal data]"
_MARKER = orjson.dumps({"redacted": REDACTED})
_KEPT = ("type", "seen", "tlp", "confidence", "count")
_CHUNK = 1 << 16  # bytes counted at a time while looking for a line


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


def redacted_to_length(raw: bytes) -> bytes:
    """`raw` redacted (see `redacted_line`) to exactly its own length, padded with spaces,
    so that every other line of the file keeps its offset; a line too short for its shape
    keeps only the marker, or nothing."""
    for candidate in (redacted_line(raw), _MARKER):
        if len(candidate) <= len(raw):
            return candidate + b" " * (len(raw) - len(candidate))
    return b" " * len(raw)


def redact_file(source: Path, lines: Iterable[int], folder: Path) -> tuple[Path, str]:
    """A copy of `source` in `folder` with the given (1-based) lines redacted to their own
    length (`redacted_to_length`), and its SHA-256.

    The kernel copies the file and only the redacted lines are written over it; the copy
    is hashed from the source's pages with those lines swapped in, so no byte of a large
    submission passes through this process twice."""
    wanted = sorted(set(lines))
    target = folder / f".redacted-{secrets.token_hex(8)}"
    shutil.copyfile(source, target)
    digest = hashlib.sha256()
    with source.open("rb") as src, target.open("r+b") as out:
        if os.fstat(src.fileno()).st_size == 0:
            patches: list[tuple[int, bytes]] = []
        else:
            with mmap.mmap(src.fileno(), 0, access=mmap.ACCESS_READ) as data:
                patches = [
                    (start, redacted_to_length(data[start:end]))
                    for start, end in _line_spans(data, wanted)
                ]
                _hash_patched(digest, data, patches)
        for start, part in patches:
            os.pwrite(out.fileno(), part, start)
        out.flush()
        os.fsync(out.fileno())
    target.chmod(0o444)
    return target, digest.hexdigest()


def _line_spans(data: mmap.mmap, wanted: list[int]) -> list[tuple[int, int]]:
    """Where each wanted (1-based) line lies, without its line ending; lines past the end
    of the file are left out. Whole chunks are skipped by counting their newlines."""
    spans, number, pos, size = [], 1, 0, len(data)  # `number`: the line starting at `pos`
    for target in wanted:
        while number < target:
            cut = data.rfind(b"\n", pos, min(pos + _CHUNK, size)) + 1
            count = data[pos:cut].count(b"\n") if cut > pos else 0
            if not count or number + count > target:
                break
            number, pos = number + count, cut
        while number < target:  # within one chunk, or a line longer than a chunk
            newline = data.find(b"\n", pos)
            if newline < 0:
                return spans
            number, pos = number + 1, newline + 1
        if pos >= size and target > 1:
            return spans
        end = data.find(b"\n", pos)
        end = size if end < 0 else end
        if end > pos and data[end - 1 : end] == b"\r":
            end -= 1
        spans.append((pos, end))
    return spans


def _hash_patched(
    digest: "hashlib._Hash", data: mmap.mmap, patches: list[tuple[int, bytes]]
) -> None:
    view = memoryview(data)
    try:
        pos = 0
        for start, part in patches:
            digest.update(view[pos:start])
            digest.update(part)
            pos = start + len(part)
        digest.update(view[pos:])
    finally:
        view.release()


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


def redacted_inbox_copy(
    path: Path, parsed: "AggregatedSubmission", folder: Path, redacted: Path | None = None
) -> Path | None:
    """A hidden copy in `folder` of a collected inbox file without the lines that held
    personal data (a link to `redacted`, the copy already kept, if given); None when no
    line held any. The inbox file itself is left as it is, to be removed after."""
    lines = [r.line for r in parsed.rejected if r.personal]
    if not lines:
        return None
    folder.mkdir(parents=True, exist_ok=True)
    if redacted is None:
        copy, _ = redact_file(path, lines, folder)
        return copy
    link = folder / f".{path.name}.{secrets.token_hex(4)}"
    os.link(redacted, link)
    return link
