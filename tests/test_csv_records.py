"""CSV records: the header, cells, tags, line numbers, raw rows and bad rows."""

import io

import pytest

from sharing.csv_records import CsvRecordReader
from sharing.records import RecordRejected, Sighting, parse_record
from sharing.tlp import TLP

HEADER = b"type,value,seen,tlp,confidence,tags,campaign,count,description\n"
SEEN = "2026-11-20T10:00:00Z"


def read(data: bytes, **options: int) -> list[tuple[int, bytes, Sighting | RecordRejected]]:
    return list(CsvRecordReader(io.BytesIO(data), **options))


def outcome(data: bytes) -> Sighting | RecordRejected:
    [(_, _, result)] = read(data)
    return result


def reason(data: bytes) -> str:
    result = outcome(data)
    assert isinstance(result, RecordRejected), result
    return result.reason


def test_a_row_is_read_like_the_same_json_lines_record() -> None:
    row = f"domain,Relay.Example.NET.,{SEEN},TLP:GREEN,80,proxy-hydra;Account-Farming,crimson,3,x"
    assert outcome(HEADER + row.encode()) == parse_record(
        {
            "type": "domain",
            "value": "Relay.Example.NET.",
            "seen": SEEN,
            "tlp": "TLP:GREEN",
            "confidence": 80,
            "tags": ["proxy-hydra", "Account-Farming"],
            "campaign": "crimson",
            "count": 3,
            "description": "x",
        }
    )


def test_empty_cells_take_the_defaults_and_columns_may_come_in_any_order() -> None:
    result = outcome(f" Seen , TYPE ,value,x_ref\n{SEEN},asn,15169,\n".encode())
    assert isinstance(result, Sighting)
    assert (result.type, result.value, result.tlp, result.confidence) == (
        "asn",
        "AS15169",
        TLP.AMBER,
        50,
    )


@pytest.mark.parametrize("tags", ["a;b", "a|b", " a ; b |", "b|a;a"])
def test_tags_are_separated_by_semicolons_or_bars(tags: str) -> None:
    result = outcome(HEADER + f'ipv4,203.0.113.7,{SEEN},,,"{tags}",,,'.encode())
    assert isinstance(result, Sighting) and result.tags == ("a", "b")


def test_quoted_cells_keep_commas_and_quotes() -> None:
    row = f'user_agent,"Bot/1.0 (a, ""b"")",{SEEN},,,,,,\n'
    result = outcome(HEADER + row.encode())
    assert isinstance(result, Sighting) and result.value == 'Bot/1.0 (a, "b")'


def test_line_numbers_count_every_line_and_raw_rows_lose_their_ending() -> None:
    good = f"ipv4,203.0.113.7,{SEEN},,,,,,".encode()
    spread = f'user_agent,"two\nlines",{SEEN},,,,,,'.encode()
    data = (
        b"\xef\xbb\xbf" + HEADER + b"\r\n" + good + b"\r\n" + b",,,,,,,,\n" + spread + b"\n" + good
    )
    results = read(data)
    assert [(line, raw) for line, raw, _ in results] == [(3, good), (5, spread), (7, good)]
    assert isinstance(results[1][2], RecordRejected)  # a user agent holds no line break


@pytest.mark.parametrize(
    ("row", "why"),
    [
        (b"ipv4,203.0.113.7", "the row has 2 cells but the header has 9"),
        (f"ipv4,010.0.113.7,{SEEN},,,,,,".encode(), "leading zeros are ambiguous"),
        (
            f"ipv4,203.0.113.7,{SEEN},,80.5,,,,".encode(),
            "'confidence' must be an integer, not '80.5'",
        ),
        (f"ipv4,203.0.113.7,{SEEN},,,,,x,".encode(), "'count' must be an integer, not 'x'"),
        (f"ipv4,203.0.113.7,{SEEN},,101,,,,".encode(), "'confidence' must be from 0 to 100"),
        (f"ipv4,203.0.113.7,{SEEN},,{'9' * 30},,,,".encode(), "must be an integer"),
        (f"ipv4,203.0.113.7,{SEEN},,,a_b,,,".encode(), "tag 'a_b' must be 1-64 characters"),
        (f"ipv4,203.0.113.7,{SEEN},white,,,,,".encode(), "unknown TLP 'white'"),
        (b"ipv4,203.0.113.7,,,,,,,", "required field 'seen' is missing"),
        (b'"ipv4"x,1,2,3,4,5,6,7,8', "the row is not valid CSV"),
        (b'ipv4,"203.0.113.7', "the row is not valid CSV: unexpected end of data"),
        (f"ipv4,203.0.113.\xe9,{SEEN},,,,,,".encode("latin-1"), "not valid UTF-8 (byte 0xe9"),
    ],
)
def test_a_bad_row_is_rejected_with_its_reason(row: bytes, why: str) -> None:
    assert why in reason(HEADER + row)


def test_an_unknown_column_rejects_each_row_like_an_unknown_field() -> None:
    assert reason(f"type,value,seen,confidance\nipv4,203.0.113.7,{SEEN},80\n".encode()) == (
        "unknown field 'confidance'"
    )


@pytest.mark.parametrize(
    ("header", "why"),
    [
        (b"type,value,seen,type\n", "the header (line 1) names the column 'type' twice"),
        (b"type,,value,seen\n", "the header (line 1) has an empty column name (column 2)"),
        (b'type,"value\n', "the header (line 1) cannot be read"),
    ],
)
def test_a_bad_header_rejects_every_row_and_says_why(header: bytes, why: str) -> None:
    rows = f"ipv4,203.0.113.7,{SEEN},\nasn,AS1,{SEEN},\n".encode()
    results = read(header + rows)
    if b'"value' in header:  # the open quote swallows the rows: nothing is left to read
        assert results == []
        return
    assert [r.reason for _, _, r in results] == [why, why]  # type: ignore[union-attr]


def test_an_over_long_row_is_cut_short_and_the_next_row_is_read() -> None:
    good = f"ipv4,203.0.113.7,{SEEN},,,,,,".encode()
    long_row = b"user_agent," + b"x" * 500 + f",{SEEN},,,,,,".encode()
    results = read(HEADER + long_row + b"\n" + good + b"\n", max_line=200)
    assert [line for line, _, _ in results] == [2, 3]
    assert results[0][2].reason == "the row is longer than 200 bytes"  # type: ignore[union-attr]
    assert len(results[0][1]) <= 202
    assert isinstance(results[1][2], Sighting)


def test_an_empty_file_or_a_header_alone_has_no_records() -> None:
    assert read(b"") == []
    assert read(HEADER) == []
