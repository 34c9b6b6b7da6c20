"""STIX 2.1 patterns: writing one per indicator, reading one back, refusing the rest."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sharing.indicators import CATALOGUE, InvalidIndicator, canonicalize
from sharing.stix_patterns import (
    CUSTOM_OBSERVABLES,
    MAX_PATTERN,
    canonical_pattern,
    indicator_of,
    pattern_for,
)

DIGEST = "8d969eef6ecad3c29a3a629280e686cf0c3f5d5a86aff3ca12020c923adc6c92"
JA4 = "t13d1516h2_8daaf6152771_b186095e22b6"
UA_PATH = "network-traffic:extensions.'http-request-ext'.request_header.'User-Agent'"

# (type, canonical value, pattern): the mapping docs/indicators.md lists.
VECTORS = [
    ("ipv4", "203.0.113.7", "[ipv4-addr:value = '203.0.113.7']"),
    ("ipv6", "2001:db8::7", "[ipv6-addr:value = '2001:db8::7']"),
    ("cidr", "203.0.113.0/24", "[ipv4-addr:value = '203.0.113.0/24']"),
    ("cidr", "2001:db8::/32", "[ipv6-addr:value = '2001:db8::/32']"),
    ("asn", "AS15169", "[autonomous-system:number = 15169]"),
    ("domain", "relay.example.net", "[domain-name:value = 'relay.example.net']"),
    ("url", "https://relay.example.net/a?b=c", "[url:value = 'https://relay.example.net/a?b=c']"),
    ("email_domain", "mail.example", "[email-addr:value LIKE '%@mail.example']"),
    ("user_agent", "Bot/1.0 (it's \\o/)", f"[{UA_PATH} = 'Bot/1.0 (it\\'s \\\\o/)']"),
    ("email_hash", DIGEST, f"[x-dtix-email-hash:value = '{DIGEST}']"),
    ("phone_hash", DIGEST, f"[x-dtix-phone-hash:value = '{DIGEST}']"),
    ("account_hash", DIGEST, f"[x-dtix-account-hash:value = '{DIGEST}']"),
    ("payment_fingerprint", DIGEST, f"[x-dtix-payment-fingerprint:value = '{DIGEST}']"),
    ("api_key_fingerprint", DIGEST, f"[x-dtix-api-key-fingerprint:value = '{DIGEST}']"),
    ("prompt_fingerprint", DIGEST, f"[x-dtix-prompt-fingerprint:value = '{DIGEST}']"),
    ("tls_fingerprint", JA4, f"[x-dtix-tls-fingerprint:value = '{JA4}']"),
    ("proxy_service", "bright data", "[x-dtix-proxy-service:value = 'bright data']"),
]


def test_the_vectors_cover_every_type() -> None:
    assert {t for t, _, _ in VECTORS} == set(CATALOGUE)


@pytest.mark.parametrize(("type_name", "value", "pattern"), VECTORS)
def test_each_type_has_one_pattern_and_reads_back(type_name: str, value: str, pattern: str) -> None:
    assert pattern_for(type_name, value) == pattern
    assert canonical_pattern(type_name, value) == pattern
    assert indicator_of(pattern) == (type_name, value)


def test_custom_observables_are_the_types_without_a_stix_object() -> None:
    custom = {t for t, _, p in VECTORS if p.startswith("[x-dtix-")}
    assert set(CUSTOM_OBSERVABLES.values()) == custom
    for name, type_name in CUSTOM_OBSERVABLES.items():
        assert name == "x-dtix-" + type_name.replace("_", "-")


def test_pattern_for_makes_the_value_canonical_first() -> None:
    assert (
        pattern_for("domain", "Relay.Example.NET.") == "[domain-name:value = 'relay.example.net']"
    )


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("[ipv4-addr:value = '203.0.113.77/24']", ("cidr", "203.0.113.0/24")),
        ("[ipv4-addr:value = '203.0.113.7/32']", ("ipv4", "203.0.113.7")),
        ("[ipv6-addr:value = '::FFFF:203.0.113.7']", ("ipv4", "203.0.113.7")),
        ("[domain-name:value = 'Relay.Example.NET.']", ("domain", "relay.example.net")),
        ("[autonomous-system:number = '15169']", ("asn", "AS15169")),
        ("([url:value = 'HTTPS://A.example:443'])", ("url", "https://a.example/")),
        (
            "[network-traffic:extensions.'http-request-ext'.request_header.'user-agent' = 'x']",
            ("user_agent", "x"),
        ),
    ],
)
def test_a_pattern_value_is_made_canonical(pattern: str, expected: tuple[str, str]) -> None:
    assert indicator_of(pattern) == expected


@pytest.mark.parametrize(
    ("pattern", "reason"),
    [
        ("", "not a valid STIX 2.1 pattern"),
        ("ipv4-addr:value = '1.2.3.4'", "not a valid STIX 2.1 pattern"),
        ("[ipv4-addr:value = '1.2.3.4'", "not a valid STIX 2.1 pattern"),
        ("[ipv4-addr:value = '1.2.3.4' OR ipv4-addr:value = '1.2.3.5']", "a single comparison"),
        ("[ipv4-addr:value = '1.2.3.4'] AND [domain-name:value = 'a.example']", "a single"),
        ("[ipv4-addr:value = '1.2.3.4'] WITHIN 60 SECONDS", "a single comparison"),
        ("[ipv4-addr:value != '1.2.3.4']", "the operator must be '=', not '!='"),
        ("[ipv4-addr:value IN ('1.2.3.4', '1.2.3.5')]", "the operator must be '='"),
        ("[ipv4-addr:value MATCHES '^1']", "the operator must be '='"),
        ("[ipv4-addr:value = 1234]", "the value must be a quoted string"),
        ("[ipv4-addr:value = h'01020304']", "the value must be a quoted string"),
        ("[file:hashes.'SHA-256' = 'ab']", "no dtix indicator type for file:hashes.SHA-256"),
        ("[x509-certificate:serial_number = '1']", "no dtix indicator type"),
        ("[network-traffic:src_ref[*].value = '1.2.3.4']", "list indexes"),
        ("[email-addr:value = 'alice@example.com']", "a raw email address is never accepted"),
        ("[email-addr:value LIKE '%example.com']", "[email-addr:value LIKE '%@domain']"),
        ("[email-addr:value LIKE '%@%.example']", "[email-addr:value LIKE '%@domain']"),
        ("[x-dtix-ipv4:value = '1.2.3.4']", "no dtix indicator type"),
        ("[ipv4-addr:value = '010.1.2.3']", "leading zeros are ambiguous"),
        ("[autonomous-system:number = 0]", "AS 0 is reserved"),
        (f"[url:value = 'https://a.example/{'x' * MAX_PATTERN}']", "longer than 16384"),
    ],
)
def test_anything_but_one_simple_comparison_is_refused(pattern: str, reason: str) -> None:
    with pytest.raises(InvalidIndicator) as caught:
        indicator_of(pattern)
    assert reason in str(caught.value)


def test_an_unknown_type_has_no_pattern() -> None:
    with pytest.raises(InvalidIndicator, match="unknown indicator type"):
        pattern_for("ip", "1.2.3.4")


def test_a_pattern_that_is_not_a_string_is_refused() -> None:
    with pytest.raises(InvalidIndicator, match="must be a string"):
        indicator_of(7)  # type: ignore[arg-type]


@settings(max_examples=150, deadline=None)
@given(text=st.text(max_size=200))
def test_user_agents_with_any_quotes_and_backslashes_survive_the_round_trip(text: str) -> None:
    try:
        type_name, value = canonicalize("user_agent", text)
    except InvalidIndicator:
        return
    assert indicator_of(pattern_for(type_name, value)) == (type_name, value)


@settings(max_examples=150, deadline=None)
@given(pattern=st.text(alphabet="[]()'\\:=-.%@ abcxyz0123ANDORLIKE", max_size=80))
def test_any_text_is_an_indicator_or_invalid(pattern: str) -> None:
    try:
        type_name, value = indicator_of(pattern)
    except InvalidIndicator:
        return
    assert canonicalize(type_name, value) == (type_name, value)
