"""The JSON Lines reader: line numbers, raw lines, bad lines, its caches, and fuzzing."""

import io
from collections.abc import Iterator

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import sharing.records
from sharing.record_reader import RecordReader
from sharing.records import RecordRejected, Sighting, parse_record
from tests.test_records import BASE, _outcome, plausible, record, records


def read(data: bytes, **options: int) -> list[tuple[int, bytes, Sighting | RecordRejected]]:
    return list(RecordReader(io.BytesIO(data), **options))


def lines(*objs: object) -> bytes:
    return b"".join(orjson.dumps(o) + b"\n" for o in objs)


# -- the reader -----------------------------------------------------------------------------


def test_the_reader_numbers_lines_and_skips_blank_ones() -> None:
    data = b"\n" + lines(BASE) + b"   \r\n\t\n" + lines(record(value="203.0.113.8"))
    results = read(data)
    assert [n for n, _, _ in results] == [2, 5]
    assert [r.value for _, _, r in results] == ["203.0.113.7", "203.0.113.8"]  # type: ignore[union-attr]


def test_the_reader_yields_each_raw_line_without_its_ending() -> None:
    first, second = orjson.dumps(BASE), orjson.dumps(record(foo=1))
    results = read(first + b"\r\n" + second)
    assert [raw for _, raw, _ in results] == [first, second]
    assert isinstance(results[0][2], Sighting)
    assert isinstance(results[1][2], RecordRejected)
    assert results[1][2].reason == "unknown field 'foo'"


def test_a_byte_order_mark_on_the_first_line_is_skipped() -> None:
    ((_, raw, result),) = read(b"\xef\xbb\xbf" + lines(BASE))
    assert isinstance(result, Sighting)
    assert raw == orjson.dumps(BASE)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (b'{"type": "ipv4", "value": "\xff"}', "not valid UTF-8 (byte 0xff at offset 27)"),
        (b'{"type": "ipv4",', "the line is not valid JSON"),
        (b"{'type': 'ipv4'}", "the line is not valid JSON"),
        (b'{"value": NaN}', "the line is not valid JSON"),
        (b'["ipv4", "203.0.113.7"]', "a record must be a JSON object, not an array"),
        (b"null", "a record must be a JSON object, not null"),
        (b'"\\ud800"', "the line is not valid JSON"),
        (b"[" * 2000 + b"]" * 2000, "the line is not valid JSON"),
    ],
)
def test_a_line_that_is_not_a_json_object_is_rejected(line: bytes, expected: str) -> None:
    ((lineno, raw, result),) = read(line + b"\n")
    assert (lineno, raw) == (1, line)
    assert isinstance(result, RecordRejected)
    assert expected in result.reason


def test_an_over_long_line_is_rejected_without_losing_the_next_one() -> None:
    long_line = orjson.dumps(record(description="d" * 500))
    data = long_line + b"\n" + lines(BASE)
    results = read(data, max_line=200)
    assert results[0][0] == 1 and isinstance(results[0][2], RecordRejected)
    assert "longer than 200 bytes" in results[0][2].reason
    assert len(results[0][1]) <= 202
    assert results[1][0] == 2 and isinstance(results[1][2], Sighting)


def test_a_line_of_exactly_max_line_bytes_is_read() -> None:
    line = orjson.dumps(BASE)
    for ending in (b"\n", b"\r\n", b""):
        ((_, _, result),) = read(line + ending, max_line=len(line))
        assert isinstance(result, Sighting)


def test_the_last_line_needs_no_newline() -> None:
    assert [n for n, _, _ in read(lines(BASE) + orjson.dumps(BASE))] == [1, 2]


# -- caching --------------------------------------------------------------------------------


@pytest.fixture
def canonicalize_calls(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[str, str]]]:
    """Records each call the reader makes to the indicator catalogue."""
    calls: list[tuple[str, str]] = []
    real = sharing.records.canonicalize

    def counting(type_name: str, raw: str) -> tuple[str, str]:
        calls.append((type_name, raw))
        return real(type_name, raw)

    monkeypatch.setattr(sharing.records, "canonicalize", counting)
    yield calls


def test_each_distinct_value_is_normalized_once(
    canonicalize_calls: list[tuple[str, str]],
) -> None:
    values = ["203.0.113.7", "203.0.113.8", "010.0.0.1"] * 50
    results = read(lines(*(record(value=v) for v in values)))
    assert sorted(set(canonicalize_calls)) == sorted(canonicalize_calls)
    assert len(canonicalize_calls) == 3
    rejected = [r for _, _, r in results if isinstance(r, RecordRejected)]
    assert len(rejected) == 50
    assert len({id(r) for r in rejected}) == 50
    assert all("leading zeros" in r.reason for r in rejected)


def test_a_full_cache_is_emptied_and_results_stay_right(
    canonicalize_calls: list[tuple[str, str]],
) -> None:
    values = [f"203.0.113.{i % 7}" for i in range(40)]
    reader = RecordReader(io.BytesIO(lines(*(record(value=v) for v in values))), cache_limit=3)
    got = [r.value for _, _, r in reader]  # type: ignore[union-attr]
    assert got == values
    assert len(canonicalize_calls) > 7
    assert len(reader.checks._indicators) <= 3


def test_cached_results_match_uncached_ones_field_by_field() -> None:
    objs = [
        record(seen="2026-11-20T12:00:00+02:00", tags=["b", "A"]),
        record(seen="2026-11-20T12:00:00+02:00", tags=["a", "b"]),
        record(seen="2026-11-20T12:00:00", tags=["b", "A"]),
        record(tags=[1]),
        record(tags=[True]),
        record(tags=[1.0]),
        record(tags=[["a"]]),
        record(tags=[["a"]]),
        record(type="ipv6", value="::ffff:203.0.113.7"),
        record(type="ipv4", value="::ffff:203.0.113.7"),
    ] * 2
    for (_, _, got), obj in zip(read(lines(*objs)), objs, strict=True):
        try:
            expected: Sighting | str = parse_record(obj)
        except RecordRejected as exc:
            expected = exc.reason
        assert (got.reason if isinstance(got, RecordRejected) else got) == expected


# -- fuzzing --------------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(
    chunks=st.lists(st.binary(max_size=80) | (records | plausible).map(orjson.dumps), max_size=12)
)
def test_any_bytes_give_sightings_or_rejections_with_line_numbers(chunks: list[bytes]) -> None:
    data = b"\n".join(chunks)
    results = read(data, max_line=64)
    numbers = [n for n, _, _ in results]
    assert numbers == sorted(set(numbers))
    assert all(1 <= n <= data.count(b"\n") + 1 for n in numbers)
    for _, _, result in results:
        _outcome(result)
