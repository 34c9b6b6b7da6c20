"""Redacting a kept copy: exactly the named lines change, whatever the chunking."""

import hashlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sharing.redaction
from sharing.redaction import redact_file, redacted_line, redacted_to_length


def reference(data: bytes, wanted: set[int]) -> bytes:
    parts = data.split(b"\n")
    for index, part in enumerate(parts):
        if index + 1 in wanted:
            body = part.removesuffix(b"\r")  # a carriage return before the newline stays
            parts[index] = redacted_to_length(body) + part[len(body) :]
    return b"\n".join(parts)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    lines=st.lists(
        st.sampled_from(
            [
                b'{"type":"email","value":"a@b.example","seen":"x"}',
                b'{"type":"email","value":"someone.with.a.long.name@example.org","seen":"x"}',
                b"plain",
                b"",
                b"{bad",
                b"x" * 50,
                b"\r",
            ]
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


@given(st.binary(max_size=300))
def test_a_line_redacted_to_its_length_keeps_the_length_and_never_the_value(raw: bytes) -> None:
    out = redacted_to_length(raw)
    assert len(out) == len(raw)
    assert b"\n" not in out
    kept = out.rstrip(b" ")
    assert kept in (b"", redacted_line(raw), b'{"redacted":"[redacted: raw personal data]"}')


def test_every_other_byte_keeps_its_offset(tmp_path: Path) -> None:
    lines = [
        b'{"type":"ipv4","value":"203.0.113.9"}',
        b'{"type":"email","value":"me@mail.example"}',
    ]
    source = tmp_path / "in.jsonl"
    source.write_bytes(b"\n".join(lines * 3) + b"\n")
    copy, _ = redact_file(source, [2, 6], tmp_path)
    got = copy.read_bytes()
    assert len(got) == source.stat().st_size and b"me@a" not in got
    assert got.splitlines()[::2] == [lines[0]] * 3
