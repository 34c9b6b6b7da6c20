"""MISP events of a lab's bulletins from a real hub: PyMISP loads every one, every dtix type
maps to a MISP type valid for its category, and tags, uuids and to_ids follow the rules."""

import json
import uuid
from datetime import datetime

import pytest
from pymisp import MISPAttribute, MISPEvent

from sharing.clock import utcnow
from sharing.indicators import CATALOGUE
from sharing.misp_export import MAPPING, NAMESPACE, misp_event, misp_tag
from sharing.received_store import ReceivedBulletin, current_by_bulletin
from tests.received_view import FORMULA_CAMPAIGN, two_bulletins

DESCRIBE = MISPAttribute().describe_types


@pytest.fixture
def events(home) -> list[dict]:  # type: ignore[no-untyped-def, type-arg]
    """The events of the lab's current view: bulletin 1 (all but the domain) and 2."""
    groups = current_by_bulletin(two_bulletins(home), utcnow())
    return [misp_event(bulletin, records) for bulletin, records in groups]


def _attributes(event: dict) -> dict[str, dict]:  # type: ignore[type-arg]
    """Attributes by the dtix type and value they stand for (named in the comment)."""
    found = {}
    for attribute in event["Event"]["Attribute"]:
        kind = attribute["comment"].split(":")[0].removeprefix("dtix ")
        found[(kind, attribute["value"])] = attribute
    return found


def _tags(holder: dict) -> list[str]:  # type: ignore[type-arg]
    return [t["name"] for t in holder["Tag"]]


def test_every_dtix_type_has_a_misp_type_valid_for_its_category() -> None:
    assert MAPPING.keys() == CATALOGUE.keys()
    for kind, mapped in MAPPING.items():
        assert mapped.type in DESCRIBE["types"], kind
        assert mapped.type in DESCRIBE["category_type_mappings"][mapped.category], kind


def test_pymisp_loads_every_event_with_every_type(events) -> None:  # type: ignore[no-untyped-def]
    kinds = set()
    for event in events:
        loaded = MISPEvent()
        loaded.load(json.dumps(event))
        assert loaded.uuid == event["Event"]["uuid"]
        assert len(loaded.attributes) == len(event["Event"]["Attribute"])
        for attribute in event["Event"]["Attribute"]:
            strict = MISPAttribute(strict=True)  # raises on a type/category mismatch
            strict.from_dict(**json.loads(json.dumps(attribute)))
            assert isinstance(strict.first_seen, datetime)
            assert strict.last_seen >= strict.first_seen
        kinds |= {kind for kind, _ in _attributes(event)}
        again = MISPEvent()
        again.load(loaded.to_json())
        assert {a.value for a in again.attributes} == {a.value for a in loaded.attributes}
    assert kinds == set(CATALOGUE)


def test_event_header_tags_and_uuids(home) -> None:  # type: ignore[no-untyped-def]
    first, second = two_bulletins(home)
    event = misp_event(first, first.indicators)["Event"]
    bulletin_id = first.header["id"]
    assert event["uuid"] == str(uuid.uuid5(NAMESPACE, bulletin_id))
    assert event["info"] == f"dtix federation dtix: bulletin 1 of stream openai ({bulletin_id})"
    assert event["date"] == first.header["issued"][:10] and event["published"] is False
    assert (event["threat_level_id"], event["analysis"], event["distribution"]) == ("2", "2", "0")
    assert _tags(event) == [
        "tlp:amber+strict",  # the most restrictive of its records
        "dtix:campaign=\"=HYPERLINK('https://relay.example.net/x','click')\"",
        'dtix:campaign="crimson-relay"',
        'dtix:technique="-dde"',
        'dtix:technique="account-farming"',
        'dtix:technique="proxy-hydra"',
        'dtix:technique="rate-limit-evasion"',
    ]
    attributes = _attributes({"Event": event})
    assert len({a["uuid"] for a in attributes.values()}) == len(attributes)
    assert misp_event(first, first.indicators)["Event"] == event  # deterministic
    other = misp_event(second, second.indicators)["Event"]
    assert not {a["uuid"] for a in other["Attribute"]} & {a["uuid"] for a in attributes.values()}
    assert FORMULA_CAMPAIGN.count('"') == 4
    assert all(name.count('"') in (0, 2) for name in _tags(event))  # no quote ends a tag early


def test_attributes_follow_the_mapping(home) -> None:  # type: ignore[no-untyped-def]
    first, second = two_bulletins(home)
    attributes = _attributes(misp_event(first, first.indicators))
    ip = attributes[("ipv4", "198.51.100.7")]
    assert (ip["type"], ip["category"], ip["to_ids"]) == ("ip-src", "Network activity", True)
    assert "reported by 2 labs (corroborated)" in ip["comment"]
    assert _tags(ip) == ["tlp:amber", 'dtix:technique="-dde"', 'dtix:technique="proxy-hydra"']
    assert ip["first_seen"].endswith("+00:00") and ip["distribution"] == "5"
    cidr = attributes[("cidr", "2001:db8:1::/48")]
    assert (cidr["type"], cidr["to_ids"], _tags(cidr)) == ("ip-src", False, [])  # one lab only
    assert attributes[("asn", "64500")]["type"] == "AS"
    assert _tags(attributes[("asn", "64500")]) == ["tlp:green"]
    email = attributes[("email_domain", "farm-mail.example")]
    assert (email["type"], email["to_ids"]) == ("domain", False)
    digest = attributes[("payment_fingerprint", "04" * 32)]
    assert (digest["type"], digest["category"]) == ("hex", "Financial fraud")
    assert "HMAC-SHA256 under the federation secret" in digest["comment"]
    assert attributes[("tls_fingerprint", "t13d1516h2_8daaf6152771_b186095e22b6")]["type"] == "text"
    assert attributes[("user_agent", "=cmd|' /C calc'!A0")]["type"] == "user-agent"
    newer = _attributes(misp_event(second, second.indicators))
    assert newer[("domain", "relay.example.net")]["to_ids"] is True  # corroborated in bulletin 2
    assert newer[("url", "https://relay.example.net/v2")]["to_ids"] is False


def test_distribution_follows_the_event_tlp() -> None:
    header = {"id": "b-1", "stream": "openai", "seq": 1, "issued": "2026-11-23T10:00:00Z"}
    bulletin = ReceivedBulletin(header, {"federation": "dtix", "tlp": "red", "indicators": []})
    record = {"type": "proxy_service", "value": "relay pool", "tags": [], "campaign": None}
    levels = {"clear": "3", "green": "1", "amber": "0", "amber+strict": "0", "red": "0"}
    for tlp, distribution in levels.items():
        event = misp_event(bulletin, [{**record, "tlp": tlp}])["Event"]
        assert (event["distribution"], _tags(event)) == (distribution, [f"tlp:{tlp}"])
    empty = misp_event(bulletin, [])["Event"]
    assert (empty["Attribute"], _tags(empty)) == ([], ["tlp:red"])
    MISPEvent().load(json.dumps({"Event": empty}))


def test_tag_values_never_hold_a_quote_or_a_line_break() -> None:
    assert misp_tag("dtix:campaign", 'a "b"\n\tc\x00d') == {"name": "dtix:campaign=\"a 'b' c d\""}
    assert misp_tag("tlp", "amber+strict") == {"name": "tlp:amber+strict"}
