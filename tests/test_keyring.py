"""Private keys at rest: the passphrase comes from the environment or an owner-only file."""

import pytest

from sharing.crypto import generate_keys
from sharing.errors import PassphraseError
from sharing.home import Home
from sharing.keyring import (
    create_passphrase_file,
    load_private_keys,
    read_passphrase,
    store_private_keys,
)
from tests.conftest import fast_argon2


def test_passphrase_file_is_created_owner_only_and_used(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("DTIX_PASSPHRASE", raising=False)
    home = Home(tmp_path)
    path = create_passphrase_file(home)
    assert path.stat().st_mode & 0o777 == 0o600
    keys = generate_keys()
    store_private_keys(home, "lab-a", keys, params=fast_argon2())
    assert home.private_key_file("lab-a").stat().st_mode & 0o077 == 0
    unlocked = load_private_keys(home, "lab-a")
    assert unlocked.public().sign_kid == keys.public().sign_kid


def test_environment_wins_over_the_file(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    home = Home(tmp_path)
    create_passphrase_file(home)
    monkeypatch.setenv("DTIX_PASSPHRASE", "from-env")
    assert read_passphrase(home) == b"from-env"


def test_a_passphrase_file_others_can_read_is_refused(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("DTIX_PASSPHRASE", raising=False)
    home = Home(tmp_path)
    create_passphrase_file(home).chmod(0o644)
    with pytest.raises(PassphraseError, match="readable by others"):
        read_passphrase(home)


def test_no_passphrase_and_no_keys_are_clear_errors(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("DTIX_PASSPHRASE", raising=False)
    home = Home(tmp_path)
    with pytest.raises(PassphraseError, match="set DTIX_PASSPHRASE"):
        read_passphrase(home)
    monkeypatch.setenv("DTIX_PASSPHRASE", "x")
    with pytest.raises(PassphraseError, match="no private keys for 'ghost'"):
        load_private_keys(home, "ghost")


def test_wrong_passphrase_names_the_key_file(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    home = Home(tmp_path)
    monkeypatch.setenv("DTIX_PASSPHRASE", "right")
    store_private_keys(home, "lab-a", generate_keys(), params=fast_argon2())
    monkeypatch.setenv("DTIX_PASSPHRASE", "wrong")
    with pytest.raises(PassphraseError, match=r"lab-a\.key\.json"):
        load_private_keys(home, "lab-a")
