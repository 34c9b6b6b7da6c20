"""federation.toml: round trip, and every malformed field named with its place."""

import contextlib
import tomllib

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sharing.errors import FederationError
from sharing.federation import load_federation
from sharing.tlp import TLP


def test_founded_federation_round_trips(home) -> None:  # type: ignore[no-untyped-def]
    federation = load_federation(home)
    assert federation.hub.id == "hub"
    assert [lab.id for lab in federation.labs] == ["anthropic", "openai", "google"]
    assert federation.lab("openai").clearance is TLP.AMBER_STRICT
    sign = federation.lab("openai").active_key("sign")
    assert sign.alg == "Ed25519" and len(sign.kid) == 43


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('role = "hub"', 'role = "boss"', "role must be 'hub' or 'lab'"),
        ('clearance = "amber+strict"', 'clearance = "purple"', "unknown TLP 'purple'"),
        ('alg = "X25519"', 'alg = "RSA"', "must be X25519"),
        ("bulletin_validity_days = 7", "bulletin_validity_days = 0", "bulletin_validity_days"),
        ("attribution = false", 'attribution = "no"', "attribution must be true or false"),
        ("key_grace_days = 14", "key_grace_days = -1", "key_grace_days must be 0..365"),
        ("strict_submissions = false", "strict_submissions = 1", "strict_submissions must be"),
        ('status = "active"', 'status = "retired"', "a retired key needs 'expires'"),
        ('alg = "Ed25519"', 'alg = "ML-KEM-768"', "must be Ed25519 or ML-DSA-65"),
    ],
)
def test_malformed_fields_are_named(home, old, new, message) -> None:  # type: ignore[no-untyped-def]
    text = home.federation_file.read_text()
    assert old in text
    home.federation_file.write_text(text.replace(old, new, 1))
    with pytest.raises(FederationError, match=message) as info:
        load_federation(home)
    assert "federation.toml" in str(info.value)


def test_not_toml_and_missing(home, tmp_path) -> None:  # type: ignore[no-untyped-def]
    home.federation_file.write_text("[federation\nname=")
    with pytest.raises(FederationError, match="not valid TOML"):
        load_federation(home)
    from sharing.home import Home

    with pytest.raises(FederationError, match="run 'dtix init'"):
        load_federation(Home(tmp_path / "empty"))


def test_unknown_participant_lists_the_known_ones(home) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(FederationError, match="anthropic, google, hub, openai"):
        load_federation(home).participant("meta")


VALUES = st.one_of(
    st.booleans(),
    st.integers(),
    st.text(max_size=20),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)


def _tables(node: object) -> list[dict]:  # type: ignore[type-arg]
    """Every table in a parsed TOML document, the document included."""
    found = []
    if isinstance(node, dict):
        found.append(node)
        for value in node.values():
            found.extend(_tables(value))
    elif isinstance(node, list):
        for value in node:
            found.extend(_tables(value))
    return found


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_any_changed_value_is_a_federation_error_or_still_valid(home, data) -> None:  # type: ignore[no-untyped-def]
    original = home.federation_file.read_text()
    document = tomllib.loads(original)
    table = data.draw(st.sampled_from(_tables(document)))
    key = data.draw(st.sampled_from([*table, "extra"]))
    table[key] = data.draw(VALUES)
    try:
        home.federation_file.write_text(tomli_w.dumps(document))
        with contextlib.suppress(FederationError):
            load_federation(home)
    finally:
        home.federation_file.write_text(original)


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.text(max_size=300))
def test_random_text_is_a_federation_error(home, text) -> None:  # type: ignore[no-untyped-def]
    original = home.federation_file.read_text()
    try:
        home.federation_file.write_text(text)
        with pytest.raises(FederationError):
            load_federation(home)
    finally:
        home.federation_file.write_text(original)


def test_settings_and_key_lifetimes_round_trip(home) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    from sharing.federation import save_federation

    federation = load_federation(home)
    hub = federation.hub
    retired = replace(hub.keys[0], status="retired", expires="2026-12-07T10:00:00Z")
    changed = replace(
        federation,
        key_grace_days=3,
        strict_submissions=True,
        participants={
            **federation.participants,
            "hub": replace(hub, keys=(retired, *hub.keys[1:])),
        },
    )
    save_federation(home, changed)
    again = load_federation(home)
    assert again == changed
    assert again.key_grace_days == 3 and again.strict_submissions
    assert again.hub.key(retired.kid).expires == "2026-12-07T10:00:00Z"


def test_saving_keeps_the_tables_other_settings_live_in(home) -> None:  # type: ignore[no-untyped-def]
    from sharing.federation import load_federation, save_federation

    with home.federation_file.open("a") as toml:
        toml.write('\n[lifetimes]\nipv4 = "14d"\n\n[review]\nrules = ["red"]\n')
    save_federation(home, load_federation(home))
    text = home.federation_file.read_text()
    assert '[lifetimes]\nipv4 = "14d"' in text and "[review]" in text
