"""A submission read as blocks of whole lines, hashed as it is read.

Columnar parsing works on large blocks rather than line by line. A block always ends at a
line boundary; a line longer than `max_line` is never held whole but reported on its own,
so memory stays bounded by the block size whatever the input.
"""

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True, slots=True)
class LineBlock:
    """Whole lines, each ending in a newline except perhaps the last line of the file."""

    first_line: int
    data: bytes


@dataclass(frozen=True, slots=True)
class OverlongLine:
    """A line longer than the limit: its number and its first bytes."""

    line: int
    head: bytes


def read_line_blocks(
    stream: BinaryIO,
    digest: "hashlib._Hash",
    *,
    block_size: int = 32 << 20,
    max_line: int = 1 << 20,
) -> Iterator[LineBlock | OverlongLine]:
    """Blocks of whole lines (a byte order mark at the start dropped), every byte read
    also fed to `digest`, so one pass both hashes and parses the file."""
    pending, line, skipping, first = b"", 1, False, True
    while block := stream.read(block_size):
        digest.update(block)
        if first:
            block, first = block.removeprefix(BOM), False
        if skipping:
            end = block.find(b"\n")
            if end < 0:
                continue
            block, skipping, line = block[end + 1 :], False, line + 1
        data = pending + block if pending else block
        cut = data.rfind(b"\n") + 1
        complete, pending = data[:cut], data[cut:]
        if complete:
            yield LineBlock(line, complete)
            line += complete.count(b"\n")
        if len(pending) > max_line + 1:
            yield OverlongLine(line, pending[: max_line + 2])
            pending, skipping = b"", True
    if pending and not skipping:
        yield LineBlock(line, pending)
