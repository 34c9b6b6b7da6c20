"""dtix init: a hub and labs with distinct keys, inboxes, and no second federation on top."""

import pytest

from sharing.crypto import kid_for
from sharing.errors import FederationError
from sharing.federation import inbox_path, load_federation
from sharing.founding import found_federation
from sharing.home import Home
from sharing.keyring import load_private_keys
from tests.conftest import NOW, fast_argon2


def test_every_participant_gets_its_own_keys_and_labs_an_inbox(home) -> None:  # type: ignore[no-untyped-def]
    federation = load_federation(home)
    kids = [key.kid for p in federation.participants.values() for key in p.keys]
    assert len(kids) == len(set(kids)) == 9
    for lab in federation.labs:
        assert inbox_path(home, lab).is_dir()
        assert home.private_key_file(lab.id).is_file()
    assert federation.hub.role == "hub" and federation.hub.clearance.value == "red"


@pytest.mark.parametrize(
    ("labs", "message"),
    [
        ((), "at least one lab"),
        (("hub",), "not 'hub'"),
        (("Bad Lab",), "must match"),
        (("a", "a"), "distinct"),
    ],
)
def test_bad_lab_lists_are_refused(tmp_path, monkeypatch, labs, message) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("DTIX_PASSPHRASE", "x")
    with pytest.raises(FederationError, match=message):
        found_federation(Home(tmp_path), labs=labs, now=NOW, argon2=fast_argon2())


def test_an_existing_federation_is_never_overwritten(home) -> None:  # type: ignore[no-untyped-def]
    before = home.federation_file.read_bytes()
    with pytest.raises(FederationError, match="already exists"):
        found_federation(home, now=NOW, argon2=fast_argon2())
    assert home.federation_file.read_bytes() == before


def test_only_the_hub_has_a_log_key_stored_with_its_private_keys(home) -> None:  # type: ignore[no-untyped-def]
    federation = load_federation(home)
    record = federation.hub.active_key("log")
    assert record.alg == "Ed25519"
    hub_keys = load_private_keys(home, "hub")
    assert hub_keys.log is not None
    assert hub_keys.public().log is not None
    assert record.kid != federation.hub.active_key("sign").kid
    assert record.kid == kid_for(hub_keys.log.public_key())
    for lab in federation.labs:
        assert load_private_keys(home, lab.id).log is None
        with pytest.raises(FederationError, match="no active Ed25519 key"):
            lab.active_key("log")


def test_post_quantum_federation_publishes_mlkem_and_mldsa_keys(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("DTIX_PASSPHRASE", "x")
    home = Home(tmp_path / "pq")
    found_federation(home, labs=("lab-a",), now=NOW, argon2=fast_argon2(), pq=True)
    lab = load_federation(home).lab("lab-a")
    assert lab.active_key("encrypt").alg == "MLKEM768-X25519" and lab.post_quantum
    assert lab.active_key("sign").alg == "Ed25519"
    assert lab.active_key("sign", "ML-DSA-65").kid == kid_for(
        load_private_keys(home, "lab-a").pq_sign.public_key()  # type: ignore[union-attr]
    )
