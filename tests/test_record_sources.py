"""Choosing a reader by suffix and content; every reader yields the same records."""

from pathlib import Path

import orjson
import pytest

from sharing.csv_records import CsvRecordReader
from sharing.errors import InputError
from sharing.record_reader import RecordReader
from sharing.record_sources import read_records, reader_for
from sharing.records import Sighting
from sharing.stix_records import StixRecordReader

SEEN = "2026-11-20T10:00:00Z"
RECORD = {"type": "ipv4", "value": "203.0.113.7", "seen": SEEN}
JSONL = orjson.dumps(RECORD) + b"\n"
CSV = f"type,value,seen\nipv4,203.0.113.7,{SEEN}\n".encode()
STIX = orjson.dumps(
    {
        "type": "bundle",
        "id": "bundle--1",
        "objects": [
            {
                "type": "indicator",
                "pattern": "[ipv4-addr:value = '203.0.113.7']",
                "pattern_type": "stix",
                "valid_from": SEEN,
            }
        ],
    },
    option=orjson.OPT_INDENT_2,
)


@pytest.mark.parametrize(
    ("name", "data", "reader"),
    [
        ("feed.jsonl", JSONL, RecordReader),
        ("feed.NDJSON", JSONL, RecordReader),
        ("feed.csv", CSV, CsvRecordReader),
        ("feed.json", STIX, StixRecordReader),
        ("feed.json", JSONL, RecordReader),
        ("feed.json", b"", StixRecordReader),
        ("feed", STIX, StixRecordReader),
        ("feed.txt", b"\xef\xbb\xbf" + JSONL, RecordReader),
        ("feed.dat", CSV, CsvRecordReader),
        ("feed.dat", b'"Type","Value","Seen"\n', CsvRecordReader),
    ],
)
def test_the_reader_follows_the_suffix_then_the_content(
    tmp_path: Path, name: str, data: bytes, reader: object
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    assert reader_for(path) is reader


@pytest.mark.parametrize("data", [b"", b"hello\n", b"a,b,c\n1,2,3\n", b"\x00\x01"])
def test_a_file_of_no_known_format_is_an_input_error(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "feed.txt"
    path.write_bytes(data)
    with pytest.raises(InputError, match=r"cannot tell the format of .*feed\.txt"):
        reader_for(path)


def test_a_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read"):
        list(read_records(tmp_path / "absent.txt"))


@pytest.mark.parametrize(("name", "data"), [("a.jsonl", JSONL), ("a.csv", CSV), ("a.json", STIX)])
def test_every_format_yields_the_same_sighting(tmp_path: Path, name: str, data: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    [(_, _, result)] = read_records(path)
    assert isinstance(result, Sighting)
    assert (result.type, result.value, result.seen.isoformat()) == (
        "ipv4",
        "203.0.113.7",
        "2026-11-20T10:00:00+00:00",
    )
