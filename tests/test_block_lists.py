"""Block lists: the CSV has one row per record and no cell a spreadsheet would run as a
formula, yet every value can be read back; a plain list has one value a line, always."""

import csv
import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sharing.block_lists import COLUMNS, block_list_csv, fits_one_line, plain_list, plain_lists
from sharing.spreadsheet_safe_csv import FORMULA_STARTS, neutralized, original, safe_csv

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
STARTS = sorted(FORMULA_STARTS | {"'", " ", '"', ","})
# Text that starts with what spreadsheets treat specially as often as with anything else.
TEXT = st.one_of(
    st.text(max_size=30),
    st.tuples(st.sampled_from(STARTS), st.text(max_size=30)).map("".join),
    st.tuples(st.text(" ", max_size=3), st.sampled_from(STARTS), st.text(max_size=10)).map("".join),
)
RECORDS = st.lists(
    st.fixed_dictionaries(
        {
            "type": st.sampled_from(["ipv4", "ipv6", "user_agent", "proxy_service"]),
            "value": TEXT,
            "tlp": st.sampled_from(["clear", "amber+strict"]),
            "confidence": st.integers(0, 100),
            "labs": st.integers(1, 5),
            "corroborated": st.booleans(),
            "first_seen": st.just("2026-11-20T00:00:00Z"),
            "campaign": st.none() | TEXT,
            "tags": st.lists(TEXT.filter(lambda t: ";" not in t), max_size=3),
        }
    ),
    max_size=6,
)


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def _dangerous(cell: str) -> bool:
    return cell.lstrip(" ")[:1] in FORMULA_STARTS


def _expected(record: dict, name: str) -> str:  # type: ignore[type-arg]
    value = record.get(name)
    if name == "tags":
        return ";".join(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ("=1+2", "'=1+2"),
        ("+1", "'+1"),
        ("-relay pool", "'-relay pool"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("  =1+2", "'  =1+2"),
        ("\uff1dcmd", "'\uff1dcmd"),  # full-width equals sign
        ("'quoted", "''quoted"),  # so that removing one ' is always right
        ("198.51.100.7", "198.51.100.7"),
        ("::1", "::1"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_cells_that_could_start_a_formula_get_a_quote(cell: str, written: str) -> None:
    assert neutralized(cell) == written
    assert original(written) == cell


@given(RECORDS)
@FUZZ
def test_no_csv_cell_can_start_a_formula_and_every_value_reads_back(records) -> None:  # type: ignore[no-untyped-def]
    rows = _rows(block_list_csv(records))
    assert rows[0] == list(COLUMNS) and len(rows) == len(records) + 1
    for record, row in zip(records, rows[1:], strict=True):
        assert not any(_dangerous(cell) for cell in row)
        assert [original(cell) for cell in row] == [_expected(record, c) for c in COLUMNS]


@given(
    st.lists(st.lists(TEXT, min_size=2, max_size=2), max_size=5),
    st.lists(TEXT, min_size=2, max_size=2),
)
@FUZZ
def test_the_header_is_neutralized_too(rows, header) -> None:  # type: ignore[no-untyped-def]
    parsed = _rows(safe_csv(header, rows))
    assert not any(_dangerous(cell) for row in parsed for cell in row)
    assert [[original(c) for c in row] for row in parsed] == [header, *rows]


def test_the_csv_of_a_record() -> None:
    record = {
        "type": "user_agent",
        "value": "=cmd|' /C calc'!A0",
        "tlp": "amber",
        "confidence": 80,
        "labs": 2,
        "corroborated": True,
        "first_seen": "2026-11-20T00:00:00Z",
        "last_seen": "2026-11-21T00:00:00Z",
        "valid_until": "2026-12-21T00:00:00Z",
        "campaign": "crimson-relay",
        "tags": ["-dde", "rate-limit-evasion"],
        "sources": ["google"],
    }
    assert block_list_csv([record]).splitlines() == [
        ",".join(COLUMNS),
        "user_agent,'=cmd|' /C calc'!A0,amber,80,2,true,2026-11-20T00:00:00Z,"
        "2026-11-21T00:00:00Z,2026-12-21T00:00:00Z,crimson-relay,'-dde;rate-limit-evasion",
    ]


def test_plain_lists_per_type_leave_out_values_that_would_span_lines() -> None:
    records = [
        {"type": "ipv4", "value": "198.51.100.7"},
        {"type": "user_agent", "value": "curl/8.5.0"},
        {"type": "ipv4", "value": "198.51.100.8"},
        *(
            {"type": "user_agent", "value": f"Bot{odd}1.0"}
            for odd in ("\n", "\r", "\x0b", "\x0c", "\x1c", "\x85", "\u2028", "\u2029", "\x00")
        ),
    ]
    lists = plain_lists(records)
    assert list(lists) == ["ipv4", "user_agent"]
    assert lists["ipv4"].text == "198.51.100.7\n198.51.100.8\n" and lists["ipv4"].skipped == 0
    assert (lists["user_agent"].text, lists["user_agent"].skipped) == ("curl/8.5.0\n", 9)
    assert plain_list(records, "user_agent") == lists["user_agent"]
    assert plain_list(records, "cidr").text == "" and plain_list(records, "cidr").skipped == 0


@given(st.lists(st.text(max_size=20), max_size=10))
@FUZZ
def test_a_plain_list_has_exactly_one_line_per_value_kept(values) -> None:  # type: ignore[no-untyped-def]
    plain = plain_list([{"type": "user_agent", "value": v} for v in values], "user_agent")
    kept = [v for v in values if fits_one_line(v)]
    assert plain.text.splitlines() == kept and plain.skipped == len(values) - len(kept)
    assert plain.text.count("\n") == len(kept)
