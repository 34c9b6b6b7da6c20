"""STIX 2.1 bundles: indicators as records, their context, object indexes and bad objects."""

import io
import json
from pathlib import Path
from typing import Any

import orjson
import pytest

from sharing.records import RecordRejected, Sighting, parse_record
from sharing.stix_context import KNOWN_TLP
from sharing.stix_export import to_bundle
from sharing.stix_records import StixRecordReader
from sharing.tlp import TLP
from tests.stix_validation import assert_valid_stix

VECTOR = Path(__file__).parent / "vectors" / "stix-submission.json"

SEEN = "2026-11-20T10:00:00.000Z"
GREEN_1 = "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da"
AMBER_STRICT_2 = "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003"


def indicator(n: int = 1, **fields: Any) -> dict[str, Any]:
    """An indicator object; a field given as ... is removed."""
    obj = {
        "type": "indicator",
        "spec_version": "2.1",
        "id": f"indicator--{n:08d}-0000-4000-8000-000000000000",
        "created": SEEN,
        "modified": SEEN,
        "pattern": "[ipv4-addr:value = '203.0.113.7']",
        "pattern_type": "stix",
        "valid_from": SEEN,
        **fields,
    }
    return {k: v for k, v in obj.items() if v is not ...}


def bundle(*objects: object) -> bytes:
    return orjson.dumps({"type": "bundle", "id": "bundle--1", "objects": list(objects)})


def read(data: bytes, **options: int) -> list[tuple[int, bytes, Sighting | RecordRejected]]:
    return list(StixRecordReader(io.BytesIO(data), **options))


def reason(obj: object) -> str:
    [(_, _, result)] = read(bundle(obj))
    assert isinstance(result, RecordRejected), result
    return result.reason


def test_an_indicator_reads_like_the_same_json_lines_record() -> None:
    obj = indicator(
        pattern="[domain-name:value = 'Relay.Example.NET.']",
        confidence=80,
        labels=["proxy-hydra"],
        description="exit relay",
        object_marking_refs=[GREEN_1],
    )
    [(line, raw, result)] = read(bundle(obj))
    assert (line, orjson.loads(raw)) == (1, obj)
    assert result == parse_record(
        {
            "type": "domain",
            "value": "relay.example.net",
            "seen": SEEN,
            "tlp": "green",
            "confidence": 80,
            "tags": ["proxy-hydra"],
            "description": "exit relay",
        }
    )


def test_lines_are_indexes_in_objects_and_context_objects_are_not_records() -> None:
    identity = {"type": "identity", "id": "identity--1", "name": "lab"}
    campaign = {"type": "campaign", "id": "campaign--1", "name": "crimson-relay"}
    link = {
        "type": "relationship",
        "id": "relationship--1",
        "relationship_type": "indicates",
        "source_ref": indicator(2)["id"],
        "target_ref": "campaign--1",
    }
    results = read(bundle(identity, indicator(1), campaign, indicator(2), link))
    assert [line for line, _, _ in results] == [2, 4]
    campaigns = [r.campaign for _, _, r in results]  # type: ignore[union-attr]
    assert campaigns == [None, "crimson-relay"]


@pytest.mark.parametrize(
    ("refs", "definitions", "tlp"),
    [
        ([], [], TLP.AMBER),
        ([GREEN_1], [], TLP.GREEN),
        ([GREEN_1, AMBER_STRICT_2], [], TLP.AMBER_STRICT),
        (
            ["marking-definition--x"],
            [{"definition_type": "tlp", "definition": {"tlp": "white"}}],
            TLP.CLEAR,
        ),
        (["marking-definition--x"], [{"name": "TLP:RED"}], TLP.RED),
        (
            ["marking-definition--x"],
            [{"definition_type": "statement", "definition": {}}],
            TLP.AMBER,
        ),
    ],
)
def test_the_most_restrictive_tlp_marking_applies(
    refs: list[str], definitions: list[dict[str, Any]], tlp: TLP
) -> None:
    markings = [
        {"type": "marking-definition", "id": "marking-definition--x", **d} for d in definitions
    ]
    [(_, _, result)] = read(bundle(*markings, indicator(object_marking_refs=refs)))
    assert isinstance(result, Sighting) and result.tlp == tlp


def test_every_tlp_marking_of_the_specifications_is_known() -> None:
    assert sorted(KNOWN_TLP.values()).count(TLP.CLEAR) == 2
    assert set(KNOWN_TLP.values()) == set(TLP)


def test_a_long_description_is_cut_to_1024_characters() -> None:
    [(_, _, result)] = read(bundle(indicator(description="d" * 5000)))
    assert isinstance(result, Sighting) and result.description == "d" * 1024


@pytest.mark.parametrize(
    ("obj", "why"),
    [
        (7, "an entry of 'objects' must be an object, not a number"),
        ({"id": "x"}, "the object has no 'type'"),
        (indicator(pattern_type="sigma"), "'pattern_type' must be 'stix', not 'sigma'"),
        (indicator(pattern_type=...), "'pattern_type' must be 'stix', not None"),
        (indicator(pattern=...), "'pattern' must be a string, not null"),
        (
            indicator(pattern="[file:hashes.MD5 = 'ab']"),
            "no dtix indicator type for file:hashes.MD5",
        ),
        (indicator(pattern="[ipv4-addr:value = '010.0.0.1']"), "leading zeros are ambiguous"),
        (indicator(valid_from=...), "required field 'valid_from' is missing"),
        (indicator(valid_from="2026-11-20"), "'valid_from' must be an RFC 3339 timestamp"),
        (indicator(labels="proxy-hydra"), "'labels' must be an array of strings"),
        (indicator(labels=["Proxy Hydra"]), "tag 'Proxy Hydra' must be 1-64 characters"),
        (indicator(confidence=101), "'confidence' must be from 0 to 100"),
        (indicator(revoked=True), "the indicator is revoked"),
        (indicator(pattern_type="snort"), "'pattern_type' must be 'stix', not 'snort'"),
        (indicator(pattern_type="yara"), "'pattern_type' must be 'stix', not 'yara'"),
        (
            indicator(pattern="[ipv4-addr:value = '203.0.113.7' AND url:value = 'https://a.b/']"),
            "only a single comparison",
        ),
        (
            indicator(pattern="[domain-name:value = 'a.example'] OR [ipv4-addr:value = '1.2.3.4']"),
            "only a single comparison",
        ),
        (
            indicator(pattern="[domain-name:x_registrar = 'a.example']"),
            "no dtix indicator type for domain-name:x_registrar",
        ),
        (indicator(pattern="[x-other-hash:value = 'ab']"), "no dtix indicator type for x-other"),
        (indicator(pattern="[ipv4-addr:value = '203.0.113.7'"), "not a valid STIX 2.1 pattern"),
        (indicator(pattern="ipv4-addr = 203.0.113.7"), "not a valid STIX 2.1 pattern"),
    ],
)
def test_a_bad_indicator_is_rejected_with_its_reason(obj: object, why: str) -> None:
    assert why in reason(obj)


@pytest.mark.parametrize(
    ("data", "why"),
    [
        (b"", "the file is not a JSON document"),
        (b'{"type": "bundle",', "the file is not a JSON document"),
        (b"[]", "the file is not a STIX 2.1 bundle"),
        (b'{"type": "indicator"}', "the file is not a STIX 2.1 bundle"),
        (b'{"type": "bundle", "objects": {}}', "'objects' must be an array, not an object"),
    ],
)
def test_a_file_that_is_not_a_bundle_is_one_rejected_record_at_line_0(
    data: bytes, why: str
) -> None:
    [(line, raw, result)] = read(data)
    assert (line, raw) == (0, data)
    assert isinstance(result, RecordRejected) and why in result.reason


def test_a_bundle_over_the_limit_is_refused_without_being_parsed() -> None:
    data = bundle(*[indicator(n) for n in range(50)])
    [(line, _, result)] = read(data, max_bundle=1000)
    assert line == 0 and "larger than 1000 bytes" in str(result)


def test_a_byte_order_mark_and_an_empty_bundle_are_fine() -> None:
    assert read(b"\xef\xbb\xbf" + bundle()) == []
    assert read(b'{"type": "bundle", "id": "bundle--1"}') == []


def test_the_submission_vector_gives_each_object_its_record_or_its_reason() -> None:
    vector = json.loads(VECTOR.read_text("utf-8"))
    results = read(orjson.dumps(vector["bundle"]))
    assert [line for line, _, _ in results] == [o["object"] for o in vector["outcomes"]]
    for (_, _, result), outcome in zip(results, vector["outcomes"], strict=True):
        if "record" in outcome:
            assert result == parse_record(outcome["record"])
        else:
            assert isinstance(result, RecordRejected) and result.reason == outcome["quarantined"]


def test_a_bundle_dtix_exported_reads_as_the_same_sightings_when_a_lab_submits_it() -> None:
    """The dtix extension says nothing a submission may claim (labs, sources): it is ignored."""
    records = [
        {
            "type": "domain",
            "value": "relay.example.net",
            "tlp": "amber+strict",
            "confidence": 80,
            "first_seen": "2026-11-20T10:00:00Z",
            "last_seen": "2026-11-21T10:00:00Z",
            "valid_until": "2027-02-19T10:00:00Z",
            "tags": ["proxy-hydra"],
            "campaign": "crimson-relay",
            "labs": 3,
            "corroborated": True,
            "reported_by_you": False,
            "sources": ["anthropic"],
        },
        {"type": "asn", "value": "AS64500", "tlp": "green", "tags": []},
    ]
    text = to_bundle({"id": "openai-000001", "issued": "2026-11-23T10:00:00Z"}, records)
    assert_valid_stix(text)
    sightings = [result for _, _, result in read(text.encode())]
    assert sightings == [
        parse_record(
            {
                "type": "domain",
                "value": "relay.example.net",
                "seen": "2026-11-20T10:00:00Z",
                "tlp": "amber+strict",
                "confidence": 80,
                "tags": ["proxy-hydra"],
                "campaign": "crimson-relay",
                "description": "dtix domain indicator of the campaign crimson-relay",
            }
        ),
        parse_record(
            {
                "type": "asn",
                "value": "AS64500",
                "seen": "2026-11-23T10:00:00.000Z",
                "tlp": "green",
                "description": "dtix asn indicator",
            }
        ),
    ]
