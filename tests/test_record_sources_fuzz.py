"""Fuzzing the record sources: any input gives records or one-line reasons, and none is lost.

Random bytes, truncated lines, wrong types, huge fields, other encodings, control
characters and homoglyph domains go through the JSON Lines, CSV and STIX readers.
"""

import csv
import io
import json
from collections.abc import Iterable

import orjson
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sharing.csv_records import CsvRecordReader
from sharing.indicators import CATALOGUE, InvalidIndicator
from sharing.record_reader import RecordReader
from sharing.records import RecordRejected, Sighting
from sharing.stix_patterns import pattern_for
from sharing.stix_records import StixRecordReader

SEEN = "2026-11-20T10:00:00Z"
FIELDS = ["type", "value", "seen", "tlp", "confidence", "tags", "campaign", "count", "description"]
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

HOMOGLYPHS = st.text(
    alphabet="aepoc\u0430\u0435\u0440\u043e\u0441\u03bf\u03b1\u00e9-", min_size=1, max_size=12
)
RAW_VALUES = st.one_of(
    st.sampled_from(["203.0.113.7", "010.0.0.1", "2001:DB8::7", "AS15169", "Relay.Example.NET."]),
    HOMOGLYPHS.map(lambda label: f"{label}.com"),
    st.text(alphabet=st.characters(max_codepoint=0x9F), max_size=20),  # control characters
    st.text(max_size=40),
    st.integers(150_000, 250_000).map(lambda n: "x" * n),  # a huge field
)
JSON_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=30),
    st.lists(st.text(max_size=12), max_size=4),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)
RECORDS = st.fixed_dictionaries(
    {
        "type": st.sampled_from([*CATALOGUE, "ip", "IPv4", ""]),
        "value": RAW_VALUES,
        "seen": st.one_of(st.just(SEEN), st.text(max_size=25)),
    },
    optional={
        "tlp": st.one_of(st.sampled_from(["green", "TLP:RED", "white"]), JSON_VALUES),
        "confidence": st.one_of(st.integers(-5, 105), JSON_VALUES),
        "tags": st.one_of(st.lists(st.sampled_from(["proxy-hydra", "Bad Tag", ""])), JSON_VALUES),
        "campaign": JSON_VALUES,
        "count": JSON_VALUES,
        "x_ref": JSON_VALUES,
        "confidance": JSON_VALUES,
    },
)


def check(results: Iterable[tuple[int, bytes, object]]) -> list[tuple[int, bytes, object]]:
    """Every outcome is a Sighting or a one-line reason; line numbers only grow."""
    out = list(results)
    lines = [line for line, _, _ in out]
    assert lines == sorted(set(lines))
    for _, raw, outcome in out:
        assert isinstance(raw, bytes)
        assert isinstance(outcome, Sighting | RecordRejected)
        if isinstance(outcome, RecordRejected):
            assert outcome.reason and "\n" not in outcome.reason
    return out


def _json(value: object) -> bytes:
    """JSON as any tool may write it (the standard library also writes integers past 64 bits)."""
    return json.dumps(value, ensure_ascii=False).encode("utf-8")


def mutate(line: bytes, how: int, cut: int) -> bytes:
    """A line truncated, re-encoded or given control characters (never a line break)."""
    if how == 1:
        return line[: cut % (len(line) + 1)]
    if how == 2:
        return line.decode("utf-8").encode("latin-1", "replace")
    if how == 3:
        return line.replace(b'"', b'"\x01', 1)
    return line


@FUZZ
@given(records=st.lists(st.tuples(RECORDS, st.integers(0, 4), st.integers(0, 300)), max_size=8))
def test_json_lines_every_nonblank_line_is_one_outcome(records: list) -> None:
    lines = [mutate(_json(r), how, cut) for r, how, cut in records]
    data = b"\n".join(lines)
    expected = sum(1 for line in data.split(b"\n") if line and not line.isspace())
    assert len(check(RecordReader(io.BytesIO(data)))) == expected


@FUZZ
@given(data=st.binary(max_size=2000))
def test_random_bytes_never_escape_any_reader(data: bytes) -> None:
    check(RecordReader(io.BytesIO(data)))
    check(CsvRecordReader(io.BytesIO(b"type,value,seen\n" + data)))
    check(CsvRecordReader(io.BytesIO(data)))
    stix = check(StixRecordReader(io.BytesIO(data)))
    assert len(stix) <= 1 or orjson.loads(data)


CELLS = st.one_of(
    RAW_VALUES.filter(lambda t: len(t) < 1000),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=20),
    st.sampled_from(["", "  ", "proxy-hydra;Bad Tag|x", "80", "8.5", SEEN, "a,b", 'q"q', "l\nf"]),
)


@FUZZ
@given(rows=st.lists(st.lists(CELLS, min_size=0, max_size=11), max_size=8))
def test_csv_every_nonblank_row_is_one_outcome(rows: list[list[str]]) -> None:
    text = io.StringIO()
    writer = csv.writer(text)  # RFC 4180: CR LF line ends, cells with CR, LF, quotes quoted
    writer.writerow(FIELDS)
    writer.writerows(rows)
    results = check(CsvRecordReader(io.BytesIO(text.getvalue().encode("utf-8"))))
    assert len(results) == sum(1 for row in rows if any(c and not c.isspace() for c in row))


@FUZZ
@given(data=st.binary(max_size=400), cut=st.integers(0, 400))
def test_csv_truncated_or_mixed_encodings_keep_line_numbers_in_the_file(
    data: bytes, cut: int
) -> None:
    body = f'ipv4,203.0.113.7,{SEEN}\ndomain,"caf\u00e9.example",{SEEN}\n'.encode("utf-16")
    whole = (b"type,value,seen\n" + data + b"\n" + body)[: 16 + cut]
    results = check(CsvRecordReader(io.BytesIO(whole)))
    assert all(1 < line <= whole.count(b"\n") + 1 for line, _, _ in results)


def _pattern(type_name: str, raw: str) -> str:
    """The pattern of a value, or the same comparison written around a value that is invalid."""
    try:
        return pattern_for(type_name, raw)
    except InvalidIndicator:
        literal = raw.replace("\\", "\\\\").replace("'", "\\'")
        return f"[x-dtix-{type_name.replace('_', '-')}:value = '{literal}']"


INDICATOR_FIELDS = st.fixed_dictionaries(
    {
        "type": st.just("indicator"),
        "pattern_type": st.one_of(st.just("stix"), JSON_VALUES),
        "pattern": st.one_of(
            st.tuples(st.sampled_from(sorted(CATALOGUE)), RAW_VALUES).map(lambda p: _pattern(*p)),
            st.text(alphabet="[]()':=-.%@ abcxyzAS0123", max_size=60),
            JSON_VALUES,
        ),
        "valid_from": st.one_of(st.just(SEEN), JSON_VALUES),
    },
    optional={
        "labels": st.one_of(st.lists(st.sampled_from(["proxy-hydra", "Bad Tag"])), JSON_VALUES),
        "confidence": JSON_VALUES,
        "description": JSON_VALUES,
        "object_marking_refs": st.one_of(st.lists(st.text(max_size=10)), JSON_VALUES),
        "revoked": JSON_VALUES,
    },
)
OBJECTS = st.one_of(
    INDICATOR_FIELDS,
    st.fixed_dictionaries({"type": st.sampled_from(["identity", "campaign", "relationship"])}),
    JSON_VALUES,
)


@FUZZ
@given(objects=st.lists(OBJECTS, max_size=10))
def test_stix_every_indicator_or_malformed_entry_is_one_outcome(objects: list) -> None:
    data = _json({"type": "bundle", "id": "bundle--1", "objects": objects})
    results = check(StixRecordReader(io.BytesIO(data)))
    context = [
        type(o) is dict and type(o.get("type")) is str and o["type"] != "indicator" for o in objects
    ]
    assert [line for line, _, _ in results] == [i for i, c in enumerate(context, 1) if not c]
