"""Indicator lifetimes: defaults per type, a federation's own, and clear errors."""

from datetime import timedelta

import pytest

from sharing.errors import FederationError
from sharing.lifetimes import DEFAULT_LIFETIMES, Lifetimes
from tests.conftest import NOW


def test_every_catalogue_type_has_a_default_lifetime() -> None:
    from sharing.indicators import CATALOGUE

    assert set(DEFAULT_LIFETIMES) == set(CATALOGUE)
    assert Lifetimes().of("ipv4") < Lifetimes().of("account_hash")


def test_federation_toml_overrides_lifetimes(home) -> None:  # type: ignore[no-untyped-def]
    with home.federation_file.open("a") as toml:
        toml.write('\n[lifetimes]\nipv4 = "14d"\nuser_agent = "36h"\n')
    lifetimes = Lifetimes.load(home)
    assert lifetimes.of("ipv4") == timedelta(days=14)
    assert lifetimes.of("user_agent") == timedelta(hours=36)
    assert lifetimes.of("domain") == DEFAULT_LIFETIMES["domain"]
    assert lifetimes.valid_until("ipv4", NOW) == NOW + timedelta(days=14)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('ssdeep = "10d"', "'ssdeep' is not an indicator type"),
        ('ipv4 = "two weeks"', 'ipv4 must be like "30d"'),
        ("ipv4 = 14", 'ipv4 must be like "30d"'),
        ('ipv4 = "0d"', 'ipv4 must be like "30d"'),
    ],
)
def test_bad_lifetimes_are_named(home, line: str, message: str) -> None:  # type: ignore[no-untyped-def]
    with home.federation_file.open("a") as toml:
        toml.write(f"\n[lifetimes]\n{line}\n")
    with pytest.raises(FederationError, match=message):
        Lifetimes.load(home)
