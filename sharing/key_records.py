"""Published public keys as federation.toml lists them: use, algorithm, kid, state, lifetime.

A key is `active` until it is rotated (`retired`, still usable until `expires`: the grace
period) or `revoked` (never usable again, from `expires` on: the time of revocation).
"""

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from sharing.crypto.key_algs import PublicKey, alg_of, kid_for
from sharing.crypto.keys import ParticipantKeys, public_to_b64
from sharing.errors import FederationError

KeyUse = Literal["sign", "encrypt", "log"]
KeyStatus = Literal["active", "retired", "revoked"]
KEY_ALGS: dict[str, tuple[str, ...]] = {
    "sign": ("Ed25519", "ML-DSA-65"),
    "encrypt": ("X25519", "MLKEM768-X25519"),
    "log": ("Ed25519",),
}
TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


@dataclass(frozen=True)
class KeyRecord:
    """A published public key: what it is for, its thumbprint id and its state."""

    use: KeyUse
    kid: str
    alg: str
    public: str
    created: str
    status: KeyStatus = "active"
    expires: str | None = None

    def usable_at(self, now: datetime) -> bool:
        """Active, or retired and still inside its grace period at `now`."""
        if self.status == "active":
            return True
        return (
            self.status == "retired" and self.expires is not None and now < parse_time(self.expires)
        )

    def as_toml(self) -> dict[str, str]:
        return {k: v for k, v in self.__dict__.items() if v is not None}


def format_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime(TIME_FORMAT)


def parse_time(text: str) -> datetime:
    return datetime.strptime(text, TIME_FORMAT).replace(tzinfo=UTC)


def parse_key(raw: Any, where: str) -> KeyRecord:
    """One `keys` entry of a participant, checked field by field."""
    if not isinstance(raw, dict):
        raise FederationError(f"{where}: must be a table")
    use = _str(raw, "use", where)
    if use not in KEY_ALGS:
        raise FederationError(f"{where}: use must be one of {sorted(KEY_ALGS)}, not {use!r}")
    alg = _str(raw, "alg", where)
    if alg not in KEY_ALGS[use]:
        allowed = " or ".join(KEY_ALGS[use])
        raise FederationError(f"{where}: a {use} key must be {allowed}, not {alg!r}")
    status = raw.get("status", "active")
    if status not in ("active", "retired", "revoked"):
        raise FederationError(f"{where}: status must be active, retired or revoked")
    fields = {k: _str(raw, k, where) for k in ("kid", "public", "created")}
    expires = raw.get("expires")
    if expires is not None:
        try:
            parse_time(_str(raw, "expires", where))
        except ValueError:
            raise FederationError(f"{where}: expires must look like {TIME_FORMAT}") from None
    elif status != "active":
        raise FederationError(f"{where}: a {status} key needs 'expires'")
    return KeyRecord(use=use, alg=alg, status=status, expires=expires, **fields)  # type: ignore[arg-type]


def _str(table: dict[str, Any], key: str, where: str) -> str:
    value = table.get(key)
    if not isinstance(value, str) or not value:
        raise FederationError(f"{where}: '{key}' must be a non-empty string")
    return value


def records_for(keys: ParticipantKeys, created: str) -> tuple[KeyRecord, ...]:
    """The active public key records for a participant's current private keys."""
    public = keys.public()
    pairs: list[tuple[KeyUse, PublicKey | None]] = [
        ("sign", public.sign),
        ("sign", public.pq_sign),
        ("encrypt", public.encrypt),
        ("log", public.log),
    ]
    return tuple(
        KeyRecord(use, kid_for(key), alg_of(key), public_to_b64(key), created)
        for use, key in pairs
        if key is not None
    )
