"""Redacting a kept copy: exactly the named lines change, whatever the chunking."""

import hashlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sharing.redaction
from sharing.redaction import redact_file, redacted_line


def reference(data: bytes, wanted: set[int]) -> bytes:
    out = []
    for number, line in enumerate(data.splitlines(keepends=True), start=1):
        if number in wanted:
            ending = b"\r\n" if line.endswith(b"\r\n") else b"\n" if line.endswith(b"\n") else b""
            line = redacted_line(line[: len(line) - len(ending)]) + ending
        out.append(line)
    return b"".join(out)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    lines=st.lists(
        st.sampled_from(
            [b'{"type":"email","value":"a@b.example","seen":"x"}', b"plain", b"", b"{bad"]
        ),
        max_size=20,
    ),
    picks=st.sets(st.integers(1, 21), max_size=6),
    crlf=st.booleans(),
    final_newline=st.booleans(),
    chunk=st.integers(1, 64),
)
def test_only_the_named_lines_are_redacted(
    tmp_path_factory: pytest.TempPathFactory,
    lines: list[bytes],
    picks: set[int],
    crlf: bool,
    final_newline: bool,
    chunk: int,
) -> None:
    ending = b"\r\n" if crlf else b"\n"
    data = ending.join(lines) + (ending if final_newline and lines else b"")
    folder = tmp_path_factory.mktemp("redact")
    source = folder / "in.jsonl"
    source.write_bytes(data)
    wanted = {n for n in picks if n <= len(lines)}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sharing.redaction, "_CHUNK", chunk)
        copy, sha = redact_file(source, wanted, folder)
    assert copy.read_bytes() == reference(data, wanted)
    assert sha == hashlib.sha256(copy.read_bytes()).hexdigest()


def test_a_redacted_line_keeps_its_shape_only(tmp_path: Path) -> None:
    line = b'{"type":"email","value":"someone@example.org","seen":"2026-11-20T10:00:00Z"}'
    out = redacted_line(line)
    assert b"someone" not in out and b'"seen":"2026-11-20T10:00:00Z"' in out
