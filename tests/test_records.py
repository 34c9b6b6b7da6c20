"""Sighting records: the fields and their rules, and fuzzing."""

from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sharing.errors import DtixError
from sharing.indicators import CATALOGUE
from sharing.records import RecordRejected, Sighting, parse_record
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
