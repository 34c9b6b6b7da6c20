"""STIX 2.1 export: the objects of a bundle, the dtix extension, the vector, and round trips.

Every bundle made here goes through the OASIS validator (tests/stix_validation.py); the
only warning it may give is {103}, for dtix's deterministic UUIDv5 ids.
Run `python -m tests.test_stix_export` to rewrite tests/vectors/stix-bundle.json.
"""

import json
import re
import uuid
from datetime import datetime
from pathlib import Path
from typing import Any

import jsonschema
import orjson
import pytest
import stix2
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sharing.errors import InputError
from sharing.indicators import CATALOGUE, InvalidIndicator, canonicalize
from sharing.participants import PARTICIPANT_ID
from sharing.stix_bulletin import bulletin_records
from sharing.stix_export import hub_identity, stix_objects, to_bundle
from sharing.stix_extension import AUTHOR_ID, EXTENSION_ID, SCHEMA, VERSION
from sharing.stix_ids import NAMESPACE, stix_id, stix_time
from sharing.stix_markings import TLP_IDS
from sharing.stix_patterns import CUSTOM_OBSERVABLES
from tests.indicators.test_catalogue import NEAR
from tests.stix_validation import assert_valid_stix, stix_warnings

ROOT = Path(__file__).resolve().parents[1]
VECTORS = ROOT / "tests" / "vectors"
SCHEMA_FILE = ROOT / "docs" / "stix-extension.schema.json"
HEADER = {"id": "openai-000007", "issued": "2026-11-23T10:00:00Z"}
DIGEST = "8d969eef6ecad3c29a3a629280e686cf0c3f5d5a86aff3ca12020c923adc6c92"
UUID_WARNING = re.compile(r"^\S+: \{103\} Given ID value \S+ is not a valid UUIDv4 ID\.$")
EXTENSION_SCHEMA = json.loads(SCHEMA_FILE.read_text("utf-8"))
_FIXED = ("marking-definition", "extension-definition")  # published objects, not the hub's


def record(type_name: str = "ipv4", value: str = "203.0.113.7", **fields: Any) -> dict[str, Any]:
    """A record in bulletin form (sharing.record_form.bulletin_record)."""
    return {
        "type": type_name,
        "value": value,
        "tlp": "amber",
        "confidence": 80,
        "first_seen": "2026-11-20T10:00:00Z",
        "last_seen": "2026-11-21T10:00:00Z",
        "valid_until": "2026-12-21T10:00:00Z",
        "tags": ["proxy-hydra"],
        "campaign": "crimson-relay",
        "labs": 2,
        "corroborated": True,
        "reported_by_you": False,
        "sources": ["anthropic"],
        **fields,
    }


def exported(records: list[dict[str, Any]], **options: str) -> dict[str, Any]:
    """The bundle of `records`, checked by the OASIS validator and read back unchanged."""
    text = to_bundle(HEADER, records, **options)
    assert_valid_stix(text)
    assert all(UUID_WARNING.match(w) for w in stix_warnings(text)), stix_warnings(text)
    assert bulletin_records(text) == records
    bundle = json.loads(text)
    for indicator in by_type(bundle, "indicator"):
        jsonschema.validate(indicator["extensions"][EXTENSION_ID], EXTENSION_SCHEMA)
    return bundle


def valid_objects(records: list[dict[str, Any]], **options: str) -> list[dict[str, Any]]:
    """stix_objects for `records`, checked by the OASIS validator as a bundle."""
    objects = stix_objects(records, **{"created": HEADER["issued"], **options})
    assert_valid_stix(
        json.dumps({"type": "bundle", "id": stix_id("bundle", "t"), "objects": objects})
    )
    return objects


def by_type(bundle: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [o for o in bundle["objects"] if o["type"] == kind]


def test_a_bundle_holds_markings_definitions_the_hub_indicators_and_campaigns() -> None:
    bundle = exported(
        [record(), record("domain", "relay.example.net", tlp="green"), record("asn", "AS64500")]
    )
    kinds = [o["type"] for o in bundle["objects"]]
    assert kinds == [
        *["marking-definition"] * 2,
        *["identity", "extension-definition", "identity"],
        *["indicator"] * 3,
        *["campaign", "intrusion-set", "relationship"],
        *["relationship"] * 3,
    ]
    assert [m["name"] for m in by_type(bundle, "marking-definition")] == ["TLP:GREEN", "TLP:AMBER"]
    hub = bundle["objects"][4]
    assert hub["name"] == "dtix hub" and hub["identity_class"] == "organization"
    ours = [o for o in bundle["objects"] if o["id"] != AUTHOR_ID and o["type"] not in _FIXED]
    assert all(o["created_by_ref"] == hub["id"] for o in ours)
    assert all(o["created"] == o["modified"] == "2026-11-23T10:00:00.000Z" for o in ours)
    assert bundle["id"] == stix_id("bundle", "openai-000007")


def test_every_object_also_parses_with_the_stix2_library_without_custom_content() -> None:
    records = [record(t, canonicalize(t, v)[1]) for t, v in _ONE_OF_EACH]
    text = to_bundle(HEADER, records)
    assert_valid_stix(text)
    parsed = stix2.parse(text, allow_custom=False)
    assert len(parsed.objects) == len(json.loads(text)["objects"])


def test_an_indicator_carries_pattern_times_confidence_labels_marking_and_the_extension() -> None:
    item = record(sources=["anthropic", "openai"], reported_by_you=True)
    [indicator] = by_type(exported([item]), "indicator")
    assert indicator["id"] == stix_id("indicator", "ipv4:203.0.113.7")
    assert indicator["pattern"] == "[ipv4-addr:value = '203.0.113.7']"
    assert (indicator["pattern_type"], indicator["pattern_version"]) == ("stix", "2.1")
    assert indicator["valid_from"] == "2026-11-20T10:00:00Z"
    assert indicator["valid_until"] == "2026-12-21T10:00:00Z"
    assert (indicator["confidence"], indicator["labels"]) == (80, ["proxy-hydra"])
    assert indicator["object_marking_refs"] == [TLP_IDS["amber"]]
    assert indicator["name"] == "ipv4 203.0.113.7"
    assert indicator["description"] == "dtix ipv4 indicator of the campaign crimson-relay"
    assert indicator["extensions"] == {
        EXTENSION_ID: {
            "extension_type": "property-extension",
            "indicator_type": "ipv4",
            "value": "203.0.113.7",
            "last_seen": "2026-11-21T10:00:00Z",
            "labs": 2,
            "corroborated": True,
            "reported_by_you": True,
            "sources": ["anthropic", "openai"],
        }
    }


def test_empty_lists_and_absent_values_are_left_out_as_stix_requires() -> None:
    item = record(tags=[], sources=[], campaign=None, labs=1, corroborated=False)
    bundle = exported([item])
    [indicator] = by_type(bundle, "indicator")
    assert "labels" not in indicator and "sources" not in indicator["extensions"][EXTENSION_ID]
    assert by_type(bundle, "campaign") == by_type(bundle, "relationship") == []


@pytest.mark.parametrize("valid_until", ["2026-11-20T10:00:00Z", "2026-11-19T00:00:00Z"])
def test_a_valid_until_not_after_first_seen_moves_into_the_extension(valid_until: str) -> None:
    """STIX wants valid_until after valid_from: it gets the first millisecond after."""
    [indicator] = by_type(exported([record(valid_until=valid_until)]), "indicator")
    assert indicator["valid_until"] == "2026-11-20T10:00:00.001Z"
    assert indicator["extensions"][EXTENSION_ID]["valid_until"] == valid_until


def test_campaigns_get_an_intrusion_set_and_relationships_at_their_least_restrictive_tlp() -> None:
    records = [
        record("ipv4", "203.0.113.7", tlp="red"),
        record("ipv4", "203.0.113.8", tlp="green"),
        record("domain", "relay.example.net", campaign="amber-mist", tlp="amber+strict"),
    ]
    bundle = exported(records)
    campaigns = {c["name"]: c for c in by_type(bundle, "campaign")}
    sets = {s["name"]: s for s in by_type(bundle, "intrusion-set")}
    assert sorted(campaigns) == ["amber-mist", "crimson-relay"]
    assert sorted(sets) == ["Operators of amber-mist", "Operators of crimson-relay"]
    assert campaigns["crimson-relay"]["object_marking_refs"] == [TLP_IDS["green"]]
    assert sets["Operators of crimson-relay"]["object_marking_refs"] == [TLP_IDS["green"]]
    links = {
        (r["source_ref"], r["relationship_type"], r["target_ref"]): r["object_marking_refs"]
        for r in by_type(bundle, "relationship")
    }
    crimson, mist = campaigns["crimson-relay"]["id"], campaigns["amber-mist"]["id"]
    first, second, third = (i["id"] for i in by_type(bundle, "indicator"))
    assert links == {
        (crimson, "attributed-to", sets["Operators of crimson-relay"]["id"]): [TLP_IDS["green"]],
        (mist, "attributed-to", sets["Operators of amber-mist"]["id"]): [TLP_IDS["amber+strict"]],
        (first, "indicates", crimson): [TLP_IDS["red"]],
        (second, "indicates", crimson): [TLP_IDS["green"]],
        (third, "indicates", mist): [TLP_IDS["amber+strict"]],
    }


def test_ids_stay_the_same_across_bulletins_and_the_hub_is_named_by_its_federation() -> None:
    first = valid_objects([record()])
    later = valid_objects([record(confidence=90)], created="2026-12-01T08:30:00Z")
    assert [o["id"] for o in first] == [o["id"] for o in later]
    assert [o["modified"] for o in later if o["type"] == "indicator"] == [
        "2026-12-01T08:30:00.000Z"
    ]
    other = valid_objects([record()], federation="example")
    assert other[3]["name"] == "example hub" and other[3]["id"] != first[3]["id"]
    assert hub_identity("example", "x")["id"] == other[3]["id"]
    assert [o["id"] for o in other[4:]] == [o["id"] for o in first[4:]]


def test_ids_are_uuid5_and_times_have_milliseconds() -> None:
    for key in ("ipv4:203.0.113.7", "campaign:crimson-relay", "é" * 300):
        assert stix_id("x", key) == f"x--{uuid.uuid5(NAMESPACE, key)}"
    assert stix_time("2026-11-23T10:00:00Z") == "2026-11-23T10:00:00.000Z"
    assert stix_time("2026-11-23T11:00:00.123456+01:00") == "2026-11-23T10:00:00.123Z"


def test_a_partial_record_still_makes_a_valid_bundle() -> None:
    text = to_bundle(HEADER, [{"type": "ipv4", "value": "45.155.205.1", "tlp": "amber"}])
    assert_valid_stix(text)
    [indicator] = by_type(json.loads(text), "indicator")
    assert indicator["valid_from"] == "2026-11-23T10:00:00.000Z"
    assert "confidence" not in indicator and "labels" not in indicator


def test_a_record_that_is_not_canonical_or_has_no_tlp_is_refused_not_exported() -> None:
    with pytest.raises(InvalidIndicator, match="leading zeros"):
        stix_objects([record(value="010.0.0.1")], created=HEADER["issued"])
    with pytest.raises(
        InputError, match=re.escape("ipv4 203.0.113.7: 'white' is not a TLP 2.0 level")
    ):
        stix_objects([record(tlp="white")], created=HEADER["issued"])


# The extension definition and its JSON schema (docs/stix-extension.schema.json).


def test_the_extension_definition_is_a_fixed_object_by_a_fixed_author() -> None:
    objects = valid_objects([])
    author, definition = objects[0], objects[1]
    assert (author["id"], author["name"]) == (AUTHOR_ID, "dtix")
    assert definition["id"] == EXTENSION_ID and definition["created_by_ref"] == AUTHOR_ID
    assert definition["extension_types"] == ["property-extension", "new-sco"]
    assert (definition["version"], definition["schema"]) == (VERSION, SCHEMA)
    schema = EXTENSION_SCHEMA
    assert schema["$id"] in SCHEMA and EXTENSION_ID in schema["title"]
    assert all(name in definition["description"] for name in CUSTOM_OBSERVABLES)
    later = valid_objects([], created="2030-01-01T00:00:00Z")
    assert later[:2] == objects[:2]


def test_the_schema_names_every_type_and_observable_of_the_catalogue() -> None:
    schema = EXTENSION_SCHEMA
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["properties"]["indicator_type"]["enum"] == list(CATALOGUE)
    observables = schema["$defs"]["observables"]["properties"]
    assert set(observables) == set(CUSTOM_OBSERVABLES)
    for name, type_name in CUSTOM_OBSERVABLES.items():
        assert observables[name]["description"] == CATALOGUE[type_name].description
    assert schema["properties"]["sources"]["items"]["pattern"] == PARTICIPANT_ID.pattern


# One canonical example of every type, and random records of every type.

_ONE_OF_EACH = [
    ("ipv4", "203.0.113.7"),
    ("ipv6", "2001:db8::7"),
    ("cidr", "203.0.113.0/24"),
    ("asn", "AS15169"),
    ("domain", "relay.example.net"),
    ("url", "https://relay.example.net/a?b=c"),
    ("email_domain", "mail.example"),
    ("email_hash", DIGEST),
    ("phone_hash", DIGEST),
    ("account_hash", DIGEST),
    ("payment_fingerprint", DIGEST),
    ("api_key_fingerprint", DIGEST),
    ("user_agent", "Bot/1.0 (it's \\o/)"),
    ("tls_fingerprint", "t13d1516h2_8daaf6152771_b186095e22b6"),
    ("proxy_service", "bright data"),
    ("prompt_fingerprint", DIGEST),
]


def test_the_examples_cover_the_catalogue() -> None:
    assert [t for t, _ in _ONE_OF_EACH] == list(CATALOGUE)


def _canonical(type_name: str, raw: str) -> tuple[str, str] | None:
    try:
        return canonicalize(type_name, raw)
    except InvalidIndicator:
        return None


_INDICATORS = st.sampled_from(list(CATALOGUE)).flatmap(
    lambda name: NEAR[name].map(lambda raw: _canonical(name, raw)).filter(bool)
)
_STAMPS = st.datetimes(datetime(2000, 1, 1), datetime(2100, 1, 1)).map(
    lambda d: d.strftime("%Y-%m-%dT%H:%M:%SZ")
)
_LAB = st.from_regex(PARTICIPANT_ID.pattern.strip("^$"), fullmatch=True)


@st.composite
def _records(draw: st.DrawFn) -> dict[str, Any]:
    type_name, value = draw(_INDICATORS)
    sources = sorted(set(draw(st.lists(_LAB, max_size=3))))
    return record(
        type_name,
        value,
        tlp=draw(st.sampled_from(list(TLP_IDS))),
        confidence=draw(st.integers(0, 100)),
        first_seen=draw(_STAMPS),
        last_seen=draw(_STAMPS),
        valid_until=draw(_STAMPS),
        tags=sorted(set(draw(st.lists(st.from_regex(r"[a-z0-9-]{1,64}", fullmatch=True))))),
        campaign=draw(st.none() | st.text(min_size=1, max_size=128).map(str.strip).filter(bool)),
        labs=draw(st.integers(len(sources), 40)),
        corroborated=draw(st.booleans()),
        reported_by_you=draw(st.booleans()),
        sources=sources,
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(records=st.lists(_records(), max_size=6, unique_by=lambda r: (r["type"], r["value"])))
def test_any_records_survive_the_round_trip_through_stix_with_every_field(
    records: list[dict[str, Any]],
) -> None:
    bundle = exported(records, federation="example")
    objects = stix_objects(records, created=HEADER["issued"], federation="example")
    assert objects == bundle["objects"]


# Reading back refuses what dtix did not write, naming the object.

_BASE = to_bundle(HEADER, [record(), record("asn", "AS64500", campaign=None)])


def test_the_bundle_the_next_tests_change_is_valid_and_reads_back() -> None:
    assert_valid_stix(_BASE)
    assert bulletin_records(_BASE) == [record(), record("asn", "AS64500", campaign=None)]


def _changed(change: Any) -> bytes:
    """The base bundle with `change(indicator)` applied to its first indicator object."""
    bundle = json.loads(_BASE)
    change(by_type(bundle, "indicator")[0])
    return orjson.dumps(bundle)


def _ext(indicator: dict[str, Any]) -> dict[str, Any]:
    return indicator["extensions"][EXTENSION_ID]


@pytest.mark.parametrize(
    ("change", "why"),
    [
        (lambda i: i.pop("extensions"), f"it has no dtix extension ({EXTENSION_ID})"),
        (lambda i: i.update(pattern="[ipv4-addr:value = '203.0.113.8']"), "its pattern is not"),
        (lambda i: i.update(pattern_type="sigma"), "its pattern is not the one dtix writes"),
        (lambda i: _ext(i).update(value="203.0.113.8"), "its pattern is not the one dtix"),
        (lambda i: _ext(i).update(indicator_type="ip"), "unknown indicator type 'ip'"),
        (lambda i: _ext(i).update(value="010.0.0.1"), "leading zeros are ambiguous"),
        (lambda i: _ext(i).update(value=" 203.0.113.7"), "value ' 203.0.113.7' is not canonical"),
        (lambda i: _ext(i).update(labs=-1), "'labs' must be an integer of at least 0"),
        (lambda i: _ext(i).update(labs=True), "'labs' must be an integer"),
        (lambda i: _ext(i).pop("corroborated"), "'corroborated' must be true or false"),
        (lambda i: _ext(i).update(sources="openai"), "'sources' must be an array of strings"),
        (lambda i: _ext(i).update(last_seen="yesterday"), "'last_seen' must be an RFC 3339"),
        (lambda i: i.pop("valid_until"), "'valid_until' must be a string"),
        (lambda i: i.update(labels=[1]), "'labels' must be an array of strings"),
        (lambda i: i.update(confidence=101), "'confidence' must be an integer from 0 to 100"),
        (lambda i: i.pop("object_marking_refs"), "it has no TLP marking"),
    ],
)
def test_an_indicator_dtix_did_not_write_is_refused_with_where_and_why(
    change: Any, why: str
) -> None:
    with pytest.raises(InputError) as caught:
        bulletin_records(_changed(change))
    message = str(caught.value)
    assert message.startswith("STIX bundle, object 5 (indicator 'indicator--5c203906-")
    assert why in message


@pytest.mark.parametrize(
    ("data", "why"),
    [
        (b"", "not a JSON document"),
        (b"[]", "not a STIX 2.1 bundle"),
        (b'{"type": "bundle", "objects": {}}', "'objects' must be an array of objects"),
        (b'{"type": "bundle", "objects": [7]}', "'objects' must be an array of objects"),
    ],
)
def test_a_file_that_is_not_a_bundle_is_refused(data: bytes, why: str) -> None:
    with pytest.raises(InputError, match=why):
        bulletin_records(data)


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 200) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=12), inner),
    max_leaves=8,
)


@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_any_change_to_an_exported_bundle_gives_records_or_an_input_error(
    data: st.DataObject,
) -> None:
    bundle = json.loads(_BASE)
    target = data.draw(st.sampled_from(bundle["objects"]))
    inner = target.get("extensions", {}).get(EXTENSION_ID)
    where = data.draw(st.sampled_from([target] + ([inner] if inner else [])))
    key = data.draw(st.sampled_from([*where, "new_key"]))
    where[key] = data.draw(_JSON)
    try:
        records = bulletin_records(orjson.dumps(bundle))
    except InputError:
        return
    assert len(records) <= 2


# The vector: tests/vectors/stix-bundle.json, shown in docs/stix.md.


def vector_bundle() -> str:
    given_ = json.loads((VECTORS / "stix-bundle-input.json").read_text("utf-8"))
    return to_bundle(given_["header"], given_["indicators"], federation=given_["federation"])


def test_the_vector_bundle_is_what_dtix_writes_and_reads_back() -> None:
    expected = (VECTORS / "stix-bundle.json").read_text("utf-8")
    assert vector_bundle() == expected
    assert_valid_stix(expected)
    given_ = json.loads((VECTORS / "stix-bundle-input.json").read_text("utf-8"))
    assert bulletin_records(expected) == given_["indicators"]
    for obj in by_type(json.loads(expected), "indicator"):
        jsonschema.validate(obj["extensions"][EXTENSION_ID], EXTENSION_SCHEMA)


def test_the_documentation_shows_the_vector_bundle() -> None:
    doc = (ROOT / "docs" / "stix.md").read_text("utf-8")
    blocks = re.findall(r"```json\n(.*?)```", doc, re.S)
    assert (VECTORS / "stix-bundle.json").read_text("utf-8") in blocks
    assert SCHEMA_FILE.read_text("utf-8") in blocks


if __name__ == "__main__":
    (VECTORS / "stix-bundle.json").write_text(vector_bundle(), "utf-8")
