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
    """Whole lines, each ending in a newline except perhaps the last line of the file;
    `offset` is where `data` starts in the file."""

    first_line: int
    data: bytes
    offset: int = 0


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
    position = 0  # where `pending` starts in the file
    while block := stream.read(block_size):
        while first and len(block) < len(BOM) and (more := stream.read(len(BOM) - len(block))):
            block += more  # a tiny first read must not split the byte order mark
        digest.update(block)
        start = position + len(pending)  # where `block` starts
        if first:
            stripped, first = block.removeprefix(BOM), False
            start += len(block) - len(stripped)
            block = stripped
        if skipping:
            end = block.find(b"\n")
            if end < 0:
                position = start + len(block)
                continue
            block, skipping, line = block[end + 1 :], False, line + 1
            start += end + 1
        if not pending:
            position = start
        data = pending + block if pending else block
        cut = data.rfind(b"\n") + 1
        complete, pending = data[:cut], data[cut:]
        if complete:
            yield LineBlock(line, complete, position)
            line += complete.count(b"\n")
            position += cut
        if len(pending) > max_line + 1:
            yield OverlongLine(line, pending[: max_line + 2])
            position += len(pending)
            pending, skipping = b"", True
    if pending and not skipping:
        yield LineBlock(line, pending, position)
