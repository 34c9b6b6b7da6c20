"""Private keys on disk: where the passphrase comes from and how a participant's keys unlock.

The passphrase is read from `DTIX_PASSPHRASE`, else from the home's passphrase file, which
`dtix init` creates readable by its owner only. It never comes from the command line.
"""

import os
import secrets
import stat
from pathlib import Path

from sharing.crypto import ParticipantKeys, lock_keys, unlock_keys
from sharing.crypto.keystore import Argon2Params
from sharing.errors import PassphraseError
from sharing.home import Home

PASSPHRASE_ENV = "DTIX_PASSPHRASE"
_unlocked: dict[tuple[str, str, bytes], ParticipantKeys] = {}


def read_passphrase(home: Home) -> bytes:
    """The passphrase from the environment, else from the home's owner-only file."""
    env = os.environ.get(PASSPHRASE_ENV)
    if env:
        return env.encode("utf-8")
    path = home.passphrase_file
    if not path.is_file():
        raise PassphraseError(f"no passphrase: set {PASSPHRASE_ENV} or create {path} (mode 0600)")
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise PassphraseError(f"{path} is readable by others (mode {mode:o}); chmod 600 it")
    return path.read_bytes().strip()


def create_passphrase_file(home: Home) -> Path:
    """A fresh random passphrase in a file only its owner can read (used when none is set)."""
    path = home.passphrase_file
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(secrets.token_urlsafe(32) + "\n")
    return path


def store_private_keys(
    home: Home, participant: str, keys: ParticipantKeys, *, params: Argon2Params | None = None
) -> Path:
    """Encrypt `keys` under the home's passphrase and write them owner-only."""
    document = lock_keys(keys, read_passphrase(home), params=params or Argon2Params())
    path = home.private_key_file(participant)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(document)
    tmp.replace(path)
    return path


def load_private_keys(home: Home, participant: str) -> ParticipantKeys:
    """Unlock a participant's private keys (cached per process: Argon2id is slow on purpose)."""
    path = home.private_key_file(participant)
    if not path.is_file():
        raise PassphraseError(f"no private keys for '{participant}' at {path}")
    passphrase = read_passphrase(home)
    cache_key = (str(path.resolve()), str(path.stat().st_mtime_ns), passphrase)
    if cache_key not in _unlocked:
        _unlocked[cache_key] = unlock_keys(path.read_bytes(), passphrase, where=str(path))
    return _unlocked[cache_key]
