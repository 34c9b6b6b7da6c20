"""Blocks of whole lines: nothing lost, numbered right, hashed in the same pass."""

import hashlib
import io

from hypothesis import given, settings
from hypothesis import strategies as st

from sharing.line_blocks import LineBlock, OverlongLine, read_line_blocks


def blocks(data: bytes, **options: int) -> list[LineBlock | OverlongLine]:
    digest = hashlib.sha256()
    out = list(read_line_blocks(io.BytesIO(data), digest, **options))
    assert digest.hexdigest() == hashlib.sha256(data).hexdigest()
    return out


@settings(max_examples=200, deadline=None)
@given(
    lines=st.lists(st.binary(max_size=20).map(lambda b: b.replace(b"\n", b"")), max_size=30),
    block_size=st.integers(1, 50),
    final_newline=st.booleans(),
)
def test_blocks_hold_every_line_once_with_its_number(lines, block_size, final_newline) -> None:  # type: ignore[no-untyped-def]
    data = b"\n".join(lines) + (b"\n" if final_newline and lines else b"")
    got = blocks(data, block_size=block_size, max_line=10**6)
    assert all(isinstance(b, LineBlock) for b in got)
    joined = b"".join(b.data for b in got)  # type: ignore[union-attr]
    assert joined == data.removeprefix(b"\xef\xbb\xbf")
    before = b""
    for b in got:
        assert data[b.offset : b.offset + len(b.data)] == b.data  # type: ignore[union-attr]
        assert b.data.endswith(b"\n") or b is got[-1]  # type: ignore[union-attr]
        assert b.first_line == 1 + before.count(b"\n")  # type: ignore[union-attr]
        before += b.data  # type: ignore[union-attr]


def test_a_byte_order_mark_is_dropped_and_an_overlong_line_reported() -> None:
    data = b"\xef\xbb\xbfone\n" + b"y" * 100 + b"\nthree\n"
    got = blocks(data, block_size=8, max_line=20)
    over = [b for b in got if isinstance(b, OverlongLine)]
    assert [(o.line, len(o.head)) for o in over] == [(2, 22)]
    kept = b"".join(b.data for b in got if isinstance(b, LineBlock))
    assert kept == b"one\nthree\n"
    three = next(b for b in got if isinstance(b, LineBlock) and b.data.startswith(b"three"))
    assert three.first_line == 3
    for b in got:
        if isinstance(b, LineBlock):
            assert data[b.offset : b.offset + len(b.data)] == b.data
