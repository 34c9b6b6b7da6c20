"""Which of the hub's published keys sign and verify checkpoints."""

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from sharing.audit.log_keys import (
    log_signing_key,
    revoked_log_keys,
    trusted_log_keys,
    verifier_keys,
)
from sharing.audit.note import verifier_key
from sharing.crypto import ParticipantKeys, generate_keys, kid_for, public_to_b64
from sharing.errors import AuditError
from sharing.federation import KeyRecord, Participant
from sharing.tlp import TLP

KEYS = [Ed25519PrivateKey.generate() for _ in range(3)]
PUBLIC = [k.public_key() for k in KEYS]


def _record(
    use: str, key: Ed25519PrivateKey, status: str = "active", expires: str | None = None
) -> KeyRecord:
    public = key.public_key()
    created = "2026-01-01T00:00:00Z"
    fields = {"status": status, "expires": expires}
    return KeyRecord(use, kid_for(public), "Ed25519", public_to_b64(public), created, **fields)  # type: ignore[arg-type]


def _hub(*records: KeyRecord) -> Participant:
    return Participant("hub", "Hub", "hub", TLP.RED, False, "inbox/hub", records)


HUB = _hub(
    _record("sign", KEYS[0]),
    _record("log", KEYS[1], "retired", "2026-02-01T00:00:00Z"),
    _record("log", KEYS[2]),
    _record("log", KEYS[0], "revoked", "2026-03-01T12:00:00Z"),
)


def test_current_and_retired_log_keys_are_trusted_revoked_ones_only_before() -> None:
    assert trusted_log_keys(HUB) == [PUBLIC[1], PUBLIC[2]]
    assert revoked_log_keys(HUB) == [(PUBLIC[0], "2026-03-01T12:00:00.000000Z")]
    assert verifier_keys("o", HUB) == [verifier_key("o", PUBLIC[2]), verifier_key("o", PUBLIC[1])]


def test_a_hub_without_log_keys_signs_checkpoints_with_its_sign_key() -> None:
    keys = generate_keys()
    hub = _hub(_record("sign", keys.sign))
    assert trusted_log_keys(hub) == [keys.sign.public_key()]
    assert log_signing_key(hub, keys) is keys.sign


def test_the_private_log_key_must_be_the_published_one() -> None:
    keys = generate_keys(log=True)
    hub = _hub(_record("sign", keys.sign), _record("log", KEYS[2]))
    with pytest.raises(AuditError, match="private log key of 'hub' is not its active one"):
        log_signing_key(hub, keys)
    assert log_signing_key(_hub(_record("log", keys.log)), keys) is keys.log  # type: ignore[arg-type]
    without = ParticipantKeys(keys.sign, keys.encrypt)
    with pytest.raises(AuditError, match="hold no log key"):
        log_signing_key(hub, without)
