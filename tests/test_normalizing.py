"""Normalizing a file: canonical records out, rejects with line and reason, nothing lost."""

import base64
import io
from pathlib import Path

import orjson
import pytest

from sharing.errors import InputError
from sharing.normalizing import normalize_file, reject_line, replaced_on_success

SEEN = "2026-11-20T10:00:00Z"


def run(path: Path) -> tuple[list[dict], list[dict], tuple[int, int, int]]:
    out, rejects = io.BytesIO(), io.BytesIO()
    summary = normalize_file(path, out, rejects)
    lines = [orjson.loads(line) for line in out.getvalue().splitlines()]
    rejected = [orjson.loads(line) for line in rejects.getvalue().splitlines()]
    return lines, rejected, (summary.records, summary.accepted, summary.rejected)


def test_records_come_out_canonical_with_every_field(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    path.write_bytes(
        orjson.dumps(
            {
                "type": "ipv6",
                "value": "::FFFF:203.0.113.7",
                "seen": "2026-11-20T11:00:00.5+01:00",
                "tags": ["B", "a"],
            }
        )
        + b"\n"
    )
    lines, rejected, counts = run(path)
    assert lines == [
        {
            "type": "ipv4",
            "value": "203.0.113.7",
            "seen": "2026-11-20T10:00:00.500000Z",
            "tlp": "amber",
            "confidence": 50,
            "tags": ["a", "b"],
            "campaign": None,
            "count": 1,
            "description": None,
        }
    ]
    assert (rejected, counts) == ([], (1, 1, 0))


def test_rejects_carry_line_reason_and_raw_and_nothing_is_lost(tmp_path: Path) -> None:
    path = tmp_path / "feed.csv"
    path.write_bytes(
        f"type,value,seen\nipv4,203.0.113.7,{SEEN}\n\nipv4,010.0.0.1,{SEEN}\n".encode()
        + b"domain,caf\xe9.example,"
        + SEEN.encode()
        + b"\n"
    )
    lines, rejected, counts = run(path)
    assert counts == (3, 1, 2) and len(lines) == 1
    assert rejected[0] == {
        "line": 4,
        "reason": "'010.0.0.1' is not a valid ipv4: leading zeros are ambiguous",
        "raw": f"ipv4,010.0.0.1,{SEEN}",
    }
    assert rejected[1]["line"] == 5 and "raw" not in rejected[1]
    assert base64.b64decode(rejected[1]["raw_base64"]) == b"domain,caf\xe9.example," + SEEN.encode()


def test_normalized_output_reads_back_unchanged(tmp_path: Path) -> None:
    source = tmp_path / "feed.csv"
    source.write_text(f"type,value,seen,tags\ndomain,Relay.Example.,{SEEN},a|b\nasn,as1,{SEEN},\n")
    first = io.BytesIO()
    normalize_file(source, first, None)
    again_path = tmp_path / "normalized.jsonl"
    again_path.write_bytes(first.getvalue())
    second = io.BytesIO()
    summary = normalize_file(again_path, second, None)
    assert second.getvalue() == first.getvalue() and summary.accepted == 2


def test_a_reject_line_is_json_even_for_any_bytes() -> None:
    assert orjson.loads(reject_line(3, "why", b"\xff\x00")) == {
        "line": 3,
        "reason": "why",
        "raw_base64": "/wA=",
    }


def test_an_unknown_format_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "feed.txt"
    path.write_bytes(b"hello\n")
    with pytest.raises(InputError, match="cannot tell the format"):
        normalize_file(path, io.BytesIO(), None)


def test_output_replaces_its_file_only_when_the_block_succeeds(tmp_path: Path) -> None:
    target = tmp_path / "out.jsonl"
    target.write_bytes(b"old\n")
    with pytest.raises(InputError), replaced_on_success(target) as stream:
        stream.write(b"partial\n")
        raise InputError("bad input")
    assert target.read_bytes() == b"old\n" and sorted(p.name for p in tmp_path.iterdir()) == [
        "out.jsonl"
    ]
    with replaced_on_success(target) as stream:
        stream.write(b"new\n")
    assert target.read_bytes() == b"new\n"
