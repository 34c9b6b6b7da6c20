"""Sighting records: the fields and their rules, the JSON Lines reader, and fuzzing."""

import io
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import sharing.records
from sharing.errors import DtixError
from sharing.indicators import CATALOGUE
from sharing.records import RecordReader, RecordRejected, Sighting, parse_record
from sharing.tlp import TLP

BASE = {"type": "ipv4", "value": "203.0.113.7", "seen": "2026-11-20T10:00:00Z"}
SEEN = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)


def record(**fields: Any) -> dict[str, Any]:
    """BASE with fields replaced; a field given as ... is removed."""
    out = {**BASE, **fields}
    return {k: v for k, v in out.items() if v is not ...}


def reason(obj: object) -> str:
    with pytest.raises(RecordRejected) as caught:
        parse_record(obj)
    assert caught.value.reason == str(caught.value)
    return caught.value.reason


def read(data: bytes, **options: int) -> list[tuple[int, bytes, Sighting | RecordRejected]]:
    return list(RecordReader(io.BytesIO(data), **options))


def lines(*objs: object) -> bytes:
    return b"".join(orjson.dumps(o) + b"\n" for o in objs)


# -- fields ---------------------------------------------------------------------------------


def test_a_minimal_record_takes_the_defaults() -> None:
    assert parse_record(BASE) == Sighting(
        type="ipv4",
        value="203.0.113.7",
        seen=SEEN,
        tlp=TLP.AMBER,
        confidence=50,
        tags=(),
        campaign=None,
        count=1,
        description=None,
    )


def test_every_field_is_read() -> None:
    sighting = parse_record(
        record(
            type="domain",
            value="Relay.Example.NET.",
            seen="2026-11-20T12:00:00+02:00",
            tlp="TLP:AMBER+STRICT",
            confidence=80,
            tags=["proxy-hydra", "Account-Farming", "proxy-hydra"],
            campaign="crimson-relay",
            count=12,
            description="exit nodes of the relay pool",
            x_lab_ref="case-42",
        )
    )
    assert sighting == Sighting(
        type="domain",
        value="relay.example.net",
        seen=SEEN,
        tlp=TLP.AMBER_STRICT,
        confidence=80,
        tags=("account-farming", "proxy-hydra"),
        campaign="crimson-relay",
        count=12,
        description="exit nodes of the relay pool",
    )


def test_a_sighting_is_immutable_and_has_no_dict() -> None:
    sighting = parse_record(BASE)
    with pytest.raises(AttributeError):
        sighting.value = "203.0.113.8"  # type: ignore[misc]
    assert not hasattr(sighting, "__dict__")


def test_record_rejected_is_a_dtix_error_with_a_reason() -> None:
    error = RecordRejected("unknown field 'foo'")
    assert isinstance(error, DtixError)
    assert error.reason == "unknown field 'foo'"


def test_a_value_handed_to_another_type_takes_that_type() -> None:
    sighting = parse_record(record(type="ipv6", value="::ffff:203.0.113.7"))
    assert (sighting.type, sighting.value) == ("ipv4", "203.0.113.7")


@pytest.mark.parametrize(
    ("obj", "expected"),
    [
        ([BASE], "a record must be a JSON object, not an array"),
        ("203.0.113.7", "a record must be a JSON object, not a string"),
        (None, "a record must be a JSON object, not null"),
        (7, "a record must be a JSON object, not a number"),
        (record(type=...), "required field 'type' is missing"),
        (record(value=...), "required field 'value' is missing"),
        (record(seen=...), "required field 'seen' is missing"),
        (record(value=3405803783), "required field 'value' is not a string (a number)"),
        (record(type=None), "required field 'type' is not a string (null)"),
        (record(seen=1795168800), "required field 'seen' is not a string (a number)"),
        (record(type="ip"), "unknown indicator type 'ip'"),
        (record(value="010.0.113.7"), "'010.0.113.7' is not a valid ipv4: leading zeros"),
        (record(type="email_domain", value="a@example.com"), "submitted as email_hash"),
        (record(foo=1), "unknown field 'foo'"),
        (record(foo=1, bar=2, x_ok=3), "unknown field 'bar'"),
        ({**BASE, 7: 1}, "unknown field 7"),
    ],
)
def test_the_shape_of_a_record_is_checked(obj: object, expected: str) -> None:
    assert expected in reason(obj)


def test_fields_starting_with_x_are_ignored() -> None:
    assert parse_record(record(x_anything={"nested": [1]}, x_="")) == parse_record(BASE)


@pytest.mark.parametrize(
    ("seen", "expected"),
    [
        ("2026-11-20T10:00:00Z", SEEN),
        ("2026-11-20t10:00:00z", SEEN),
        ("2026-11-20 10:00:00+00:00", SEEN),
        ("2026-11-20T12:00:00+02:00", SEEN),
        ("2026-11-20T04:30:00-05:30", SEEN),
        ("2026-11-20T10:00:00-00:00", SEEN),
        ("2026-11-20T10:00:00.5Z", SEEN.replace(microsecond=500000)),
        ("2026-11-20T10:00:00.123456789Z", SEEN.replace(microsecond=123456)),
        ("2026-11-21T00:30:00+14:30", SEEN),
    ],
)
def test_seen_is_an_rfc3339_timestamp_stored_in_utc(seen: str, expected: datetime) -> None:
    parsed = parse_record(record(seen=seen)).seen
    assert parsed == expected
    assert parsed.tzinfo is UTC


@pytest.mark.parametrize(
    ("seen", "expected"),
    [
        ("2026-11-20T10:00:00", "with a zone"),
        ("2026-11-20", "with a zone"),
        ("20261120T100000Z", "with a zone"),
        ("2026-11-20T10:00Z", "with a zone"),
        ("2026-11-20T10:00:00+0200", "with a zone"),
        ("2026-11-20T10:00:00.Z", "with a zone"),
        ("\uff12026-11-20T10:00:00Z", "with a zone"),
        ("", "with a zone"),
        ("2026-11-20T23:59:60Z", "leap second"),
        ("2026-02-30T10:00:00Z", "not a real date and time"),
        ("2026-11-20T24:00:00Z", "not a real date and time"),
        ("0001-01-01T00:00:00+01:00", "not a real date and time"),
        ("2026-11-20T10:00:00+24:00", "impossible zone offset"),
        ("2026-11-20T10:00:00+02:60", "impossible zone offset"),
    ],
)
def test_seen_without_a_zone_or_impossible_is_refused(seen: str, expected: str) -> None:
    assert expected in reason(record(seen=seen))


@pytest.mark.parametrize(
    ("tlp", "expected"),
    [("clear", TLP.CLEAR), ("GREEN", TLP.GREEN), ("tlp:red", TLP.RED), (" amber ", TLP.AMBER)],
)
def test_tlp_is_parsed(tlp: str, expected: TLP) -> None:
    assert parse_record(record(tlp=tlp)).tlp is expected


@pytest.mark.parametrize(
    ("tlp", "expected"),
    [("white", "unknown TLP 'white'"), (3, "'tlp' must be a string"), (None, "not null")],
)
def test_a_bad_tlp_is_refused(tlp: object, expected: str) -> None:
    assert expected in reason(record(tlp=tlp))


@pytest.mark.parametrize(
    ("field", "value"), [("confidence", 0), ("confidence", 100), ("count", 1), ("count", 2**31 - 1)]
)
def test_integers_at_their_limits_are_accepted(field: str, value: int) -> None:
    assert getattr(parse_record(record(**{field: value})), field) == value


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("confidence", -1, "'confidence' must be from 0 to 100, not -1"),
        ("confidence", 101, "'confidence' must be from 0 to 100, not 101"),
        ("confidence", 80.0, "'confidence' must be an integer, not a number"),
        ("confidence", True, "'confidence' must be an integer, not a boolean"),
        ("confidence", "80", "'confidence' must be an integer, not a string"),
        ("confidence", None, "'confidence' must be an integer, not null"),
        ("count", 0, "'count' must be from 1 to 2147483647, not 0"),
        ("count", 2**31, "'count' must be from 1 to 2147483647"),
        ("count", False, "'count' must be an integer, not a boolean"),
        ("count", 1.5, "'count' must be an integer, not a number"),
    ],
)
def test_bad_integers_are_refused(field: str, value: object, expected: str) -> None:
    assert expected in reason(record(**{field: value}))


def test_tags_are_lower_cased_trimmed_sorted_and_unique() -> None:
    tags = [" Rate-Limit-Evasion", "account-farming", "ACCOUNT-FARMING", "cot-elicitation"]
    assert parse_record(record(tags=tags)).tags == (
        "account-farming",
        "cot-elicitation",
        "rate-limit-evasion",
    )


def test_up_to_32_tags_of_up_to_64_characters_are_accepted() -> None:
    tags = [f"t{i}-" + "x" * 60 for i in range(10, 42)]
    assert len(parse_record(record(tags=tags)).tags) == 32
    assert parse_record(record(tags=[])).tags == ()


@pytest.mark.parametrize(
    ("tags", "expected"),
    [
        ([f"t{i}" for i in range(33)], "'tags' holds 33 tags; at most 32"),
        ("account-farming", "'tags' must be an array of strings, not a string"),
        (None, "'tags' must be an array of strings, not null"),
        (["account_farming"], "tag 'account_farming' must be 1-64 characters of a-z"),
        (["account farming"], "must be 1-64 characters"),
        ([""], "tag '' must be 1-64"),
        (["x" * 65], "must be 1-64 characters"),
        (["\uff41ccount"], "must be 1-64 characters"),
        (["\u212a"], "must be 1-64 characters"),
        ([7], "each tag must be a string, not a number"),
        ([["a"]], "each tag must be a string, not an array"),
    ],
)
def test_bad_tags_are_refused(tags: object, expected: str) -> None:
    assert expected in reason(record(tags=tags))


@pytest.mark.parametrize(
    ("campaign", "expected"),
    [
        ("crimson-relay", "crimson-relay"),
        (" Crimson Relay ", "Crimson Relay"),
        (None, None),
        ("", None),
        ("c" * 128, "c" * 128),
    ],
)
def test_campaign_is_a_short_string_or_null(campaign: str | None, expected: str | None) -> None:
    assert parse_record(record(campaign=campaign)).campaign == expected


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("campaign", "c" * 129, "'campaign' is longer than 128 characters"),
        ("campaign", 7, "'campaign' must be a string or null, not a number"),
        ("description", "d" * 1025, "'description' is longer than 1024 characters"),
        ("description", ["d"], "'description' must be a string or null, not an array"),
    ],
)
def test_bad_text_fields_are_refused(field: str, value: object, expected: str) -> None:
    assert expected in reason(record(**{field: value}))


def test_a_description_is_kept() -> None:
    assert parse_record(record(description="seen at the edge")).description == "seen at the edge"
    assert parse_record(record(description="d" * 1024)).description == "d" * 1024


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
    assert len(reader._indicators) <= 3


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

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**63), 2**63 - 1)
    | st.floats(allow_nan=False)
    | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)
field_values = {
    "type": st.sampled_from(sorted(CATALOGUE)) | json_values,
    "value": st.sampled_from(["203.0.113.7", "::ffff:1.2.3.4", "example.com"]) | json_values,
    "seen": st.sampled_from(["2026-11-20T10:00:00Z", "2026-11-20T10:00:00"]) | json_values,
    "tlp": st.sampled_from(["amber", "RED", "tlp:clear+"]) | json_values,
    "confidence": st.integers(-5, 105) | json_values,
    "tags": st.lists(st.sampled_from(["a", "B-c", "d_e", ""]), max_size=40) | json_values,
    "campaign": st.none() | st.text(max_size=130) | json_values,
    "count": st.integers(-2, 2**32) | json_values,
    "description": st.none() | st.text() | json_values,
    "x_extra": json_values,
    "foo": json_values,
}
records = st.fixed_dictionaries({}, optional=field_values)
# Mostly well-formed records, so that accepted sightings are fuzzed as well as rejections.
plausible = st.fixed_dictionaries(
    {
        "type": st.sampled_from(["ipv4", "ipv6", "domain", "asn"]),
        "value": st.sampled_from(["203.0.113.7", "::ffff:1.2.3.4", "Example.COM", "as1"]),
        "seen": st.sampled_from(["2026-11-20T10:00:00Z", "2026-11-20T10:00:00.5+02:00"]),
    },
    optional={k: v for k, v in field_values.items() if k not in ("type", "value", "seen", "foo")},
)


def _outcome(result: object) -> None:
    assert isinstance(result, Sighting | RecordRejected)
    if isinstance(result, Sighting):
        assert result.type in CATALOGUE and result.seen.tzinfo is UTC


@settings(max_examples=500, deadline=None)
@given(obj=json_values | records | plausible | st.integers())
def test_any_json_value_gives_a_sighting_or_a_rejection(obj: object) -> None:
    try:
        _outcome(parse_record(obj))
    except RecordRejected as exc:
        assert exc.reason


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
