"""dtix init: a hub and labs with distinct keys, inboxes, and no second federation on top."""

import pytest

from sharing.errors import FederationError
from sharing.federation import inbox_path, load_federation
from sharing.founding import found_federation
from sharing.home import Home
from tests.conftest import NOW, fast_argon2


def test_every_participant_gets_its_own_keys_and_labs_an_inbox(home) -> None:  # type: ignore[no-untyped-def]
    federation = load_federation(home)
    kids = [key.kid for p in federation.participants.values() for key in p.keys]
    assert len(kids) == len(set(kids)) == 8
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
