"""Which keys sign and verify the hub's checkpoints, as federation.toml publishes them.

Checkpoints are signed by the hub's log key (use "log", Ed25519), kept apart from the key
that signs bulletins. A verifier accepts the current log key and retired ones, so the
checkpoints signed before a rotation still verify. A revoked key is taken as compromised:
the hub's own verification accepts it only on checkpoints written before its revocation,
and a lab never accepts it. A federation whose hub publishes no log key at all signs
with its bulletin key instead.
"""

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from sharing.audit.log import audit_time
from sharing.audit.note import verifier_key
from sharing.crypto import ParticipantKeys, ed25519_public_from_b64
from sharing.errors import AuditError
from sharing.federation import Participant
from sharing.key_records import parse_time

TRUSTED_STATES = ("active", "retired")


def _log_use(hub: Participant) -> str:
    return "log" if any(key.use == "log" for key in hub.keys) else "sign"


def trusted_log_keys(hub: Participant) -> list[Ed25519PublicKey]:
    """The hub's log keys that may have signed a checkpoint: current and retired."""
    use = _log_use(hub)
    return [
        ed25519_public_from_b64(key.public)
        for key in hub.keys
        if key.use == use and key.alg == "Ed25519" and key.status in TRUSTED_STATES
    ]


def revoked_log_keys(hub: Participant) -> list[tuple[Ed25519PublicKey, str]]:
    """The hub's revoked log keys, each with its revocation time as an audit time."""
    use = _log_use(hub)
    return [
        (ed25519_public_from_b64(key.public), audit_time(parse_time(key.expires)))
        for key in hub.keys
        if key.use == use and key.alg == "Ed25519" and key.status == "revoked" and key.expires
    ]


def log_signing_key(hub: Participant, keys: ParticipantKeys) -> Ed25519PrivateKey:
    """The private key that signs the next checkpoint: the hub's active log key."""
    use = _log_use(hub)
    private = getattr(keys, "log", None) if use == "log" else keys.sign
    if private is None:
        raise AuditError(f"the private keys of '{hub.id}' hold no log key")
    expected = ed25519_public_from_b64(hub.active_key(use).public)  # type: ignore[arg-type]
    if private.public_key() != expected:
        raise AuditError(f"the private {use} key of '{hub.id}' is not its active one")
    return private


def verifier_keys(name: str, hub: Participant) -> list[str]:
    """The C2SP verifier keys (`name+hash+key`) of every trusted log key, current first."""
    use = _log_use(hub)
    ordered = sorted(
        (key for key in hub.keys if key.use == use and key.status in TRUSTED_STATES),
        key=lambda key: key.status != "active",
    )
    return [verifier_key(name, ed25519_public_from_b64(key.public)) for key in ordered]
