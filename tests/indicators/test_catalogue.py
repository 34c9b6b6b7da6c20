"""The catalogue as a whole: its names, the module-level calls, and properties of every type."""

import importlib
import ipaddress
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.provisional import domains, urls

from sharing.errors import DtixError
from sharing.indicators import (
    CATALOGUE,
    IndicatorType,
    InvalidIndicator,
    canonicalize,
    normalize,
)
from sharing.indicators.scripts import look_alike_reason

NAMES = [
    "ipv4",
    "ipv6",
    "cidr",
    "asn",
    "domain",
    "url",
    "email_domain",
    "email_hash",
    "phone_hash",
    "account_hash",
    "payment_fingerprint",
    "api_key_fingerprint",
    "user_agent",
    "tls_fingerprint",
    "proxy_service",
    "prompt_fingerprint",
]
HERE = Path(__file__).parent

HEX = "0123456789abcdefABCDEF"
_networks = st.tuples(st.ip_addresses(), st.integers(0, 128)).map(
    lambda pair: f"{pair[0]}/{pair[1] % (pair[0].max_prefixlen + 1)}"
)
# Inputs near each type's syntax, so that accepted values (not only refusals) get exercised.
NEAR = {
    "ipv4": st.ip_addresses(v=4).map(str),
    "ipv6": st.ip_addresses(v=6).map(lambda a: a.exploded.upper()),
    "cidr": _networks,
    "asn": st.integers(0, 2**33).map(lambda n: f"as{n}"),
    "domain": domains(),
    "url": urls(),
    "email_domain": domains().map(str.upper),
    "user_agent": st.text(),
    "tls_fingerprint": st.from_regex(
        r"[tqd][0-9a-z]{2}[di][0-9]{4}[0-9A-Za-z]{2}_[0-9a-fA-F]{12}_[0-9a-fA-F]{12}",
        fullmatch=True,
    ),
    "proxy_service": st.text(alphabet="AbZz09 ._-\t", min_size=1),
}
for name in NAMES:
    NEAR.setdefault(name, st.text(alphabet=HEX, min_size=64, max_size=64))
# Characters that matter to some parser: separators, brackets, dots of other scripts, digits.
SYNTAX = st.text(alphabet="aZ09.:/[]@%?#_-+ ü。\u00ad\t", max_size=40)


def test_the_catalogue_lists_every_type_once_under_its_own_name() -> None:
    assert list(CATALOGUE) == NAMES
    for name, kind in CATALOGUE.items():
        assert isinstance(kind, IndicatorType)
        assert kind.name == name
        assert kind.description


@pytest.mark.parametrize("name", NAMES)
def test_every_type_is_one_class_in_its_own_module_with_its_own_test_file(name: str) -> None:
    kind = CATALOGUE[name]
    assert type(kind).__module__ == f"sharing.indicators.{name}"
    assert (HERE / f"test_{name}.py").is_file()
    module = importlib.import_module(f"tests.indicators.test_{name}")
    assert [cases.type_name for cases in module.CASES] == [name]
    assert all(cases.accepted and cases.refused for cases in module.CASES)


def test_the_catalogue_cannot_be_changed_by_callers() -> None:
    with pytest.raises(TypeError):
        CATALOGUE["ipv4"] = CATALOGUE["ipv6"]  # type: ignore[index]


def test_invalid_indicator_is_a_value_error_and_a_dtix_error() -> None:
    assert issubclass(InvalidIndicator, ValueError)
    assert issubclass(InvalidIndicator, DtixError)


def test_normalize_returns_the_value_and_canonicalize_the_type_too() -> None:
    assert normalize("ipv4", " 203.0.113.7 ") == "203.0.113.7"
    assert normalize("ipv6", "::ffff:203.0.113.7") == "203.0.113.7"
    assert canonicalize("ipv6", "::ffff:203.0.113.7") == ("ipv4", "203.0.113.7")
    assert CATALOGUE["ipv6"].normalize("::ffff:203.0.113.7") == "203.0.113.7"
    assert CATALOGUE["asn"].canonical("15169") == ("asn", "AS15169")


@pytest.mark.parametrize("type_name", ["x", "IPv4", "", None, ["ipv4"]])
def test_an_unknown_type_is_refused(type_name: object) -> None:
    with pytest.raises(InvalidIndicator, match="unknown indicator type"):
        canonicalize(type_name, "203.0.113.7")  # type: ignore[arg-type]


@pytest.mark.parametrize("raw", [None, 7, b"203.0.113.7", ["203.0.113.7"]])
def test_a_value_that_is_not_a_string_is_refused(raw: object) -> None:
    with pytest.raises(InvalidIndicator, match="must be a string"):
        canonicalize("ipv4", raw)  # type: ignore[arg-type]


def test_a_huge_value_is_quoted_short_in_the_message() -> None:
    with pytest.raises(InvalidIndicator) as caught:
        normalize("ipv4", "9" * 100_000)
    assert len(str(caught.value)) < 200


def _check(type_name: str, raw: str) -> None:
    """Either a canonical pair that is a fixed point, or InvalidIndicator: nothing else."""
    try:
        result = canonicalize(type_name, raw)
    except InvalidIndicator:
        return
    assert result[0] in CATALOGUE
    assert isinstance(result[1], str)
    assert canonicalize(*result) == result
    if result[0] == type_name:
        assert normalize(type_name, result[1]) == result[1]


@pytest.mark.parametrize("type_name", NAMES)
@settings(max_examples=300, deadline=None)
@given(raw=st.text())
def test_any_text_is_canonical_or_refused(type_name: str, raw: str) -> None:
    _check(type_name, raw)


@pytest.mark.parametrize("type_name", NAMES)
@settings(max_examples=200, deadline=None)
@given(raw=SYNTAX)
def test_text_made_of_syntax_characters_is_canonical_or_refused(type_name: str, raw: str) -> None:
    _check(type_name, raw)


@pytest.mark.parametrize("type_name", NAMES)
@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_normalizing_is_idempotent_on_near_valid_input(type_name: str, data: st.DataObject) -> None:
    _check(type_name, data.draw(NEAR[type_name]))


@given(address=st.ip_addresses())
def test_any_ip_address_is_accepted_under_its_own_version(address: object) -> None:
    assert isinstance(address, ipaddress.IPv4Address | ipaddress.IPv6Address)
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        assert canonicalize("ipv6", str(address)) == ("ipv4", str(address.ipv4_mapped))
    else:
        assert canonicalize(f"ipv{address.version}", str(address)) == (
            f"ipv{address.version}",
            address.compressed,
        )


# Latin letters and their Cyrillic and Greek look-alikes, in one to three labels.
LOOK_ALIKES = "\u0430\u0440\u0435\u0441\u043e\u0445\u0443\u03bf\u03b1"
HOMOGLYPH_LABELS = st.text(alphabet="apecoxy\u00e9-" + LOOK_ALIKES, min_size=1, max_size=12)


@pytest.mark.parametrize("type_name", ["domain", "email_domain", "url"])
@settings(max_examples=200, deadline=None)
@given(labels=st.lists(HOMOGLYPH_LABELS, min_size=1, max_size=3))
def test_a_homoglyph_name_is_refused_or_written_in_one_script(
    type_name: str, labels: list[str]
) -> None:
    name = ".".join([*labels, "com"])
    raw = f"https://{name}/" if type_name == "url" else name
    try:
        _, value = canonicalize(type_name, raw)
    except InvalidIndicator:
        return
    host = value.split("/")[2] if type_name == "url" else value
    for label in host.split("."):
        if label.startswith("xn--"):
            assert look_alike_reason(label[4:].encode("ascii").decode("punycode")) is None
