"""Rotating and revoking participants' keys, each event recorded in the audit log.

Rotation replaces a participant's keys of the given uses: the old public keys stay
published as `retired` until the federation's grace period ends (`key_grace_days`), and
the old encryption key stays in the private key file so bulletins in flight still open.
Revocation ends a key at once; an active key that is revoked is replaced first.
"""

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sharing.audit.log import append_entry
from sharing.crypto import ParticipantKeys, generate_keys, kid_for
from sharing.crypto.keystore import Argon2Params
from sharing.errors import FederationError
from sharing.exchange import Exchange
from sharing.federation import Federation, KeyRecord, KeyUse, load_federation, save_federation
from sharing.home import Home
from sharing.key_records import format_time, records_for
from sharing.keyring import load_private_keys, store_private_keys

DEFAULT_USES: tuple[KeyUse, ...] = ("sign", "encrypt")


@dataclass(frozen=True)
class KeyEvent:
    participant: str
    action: str  # key-rotated | key-revoked
    use: str
    alg: str
    kid: str
    replaced_by: str | None = None

    def details(self) -> dict[str, str | None]:
        return self.__dict__.copy()


def rotate_keys(
    home: Home,
    participant: str,
    *,
    now: datetime,
    uses: tuple[KeyUse, ...] = DEFAULT_USES,
    argon2: Argon2Params | None = None,
) -> list[KeyEvent]:
    """Replace `participant`'s keys of `uses`, keep the old ones through the grace period."""
    events = _rotate(home, participant, now=now, uses=uses, argon2=argon2)
    record_key_events(home, events, now=now)
    return events


def revoke_key(
    home: Home, kid: str, *, now: datetime, argon2: Argon2Params | None = None
) -> list[KeyEvent]:
    """Revoke the key `kid` at once (replacing it first if it is in use); the events."""
    owner, record = _owner_of(load_federation(home), kid)
    if record.status == "revoked":
        raise FederationError(f"key {kid} of '{owner}' is already revoked")
    events = []
    if record.status == "active":
        events = _rotate(home, owner, now=now, uses=(record.use,), argon2=argon2)
    federation = load_federation(home)
    revoked = replace(record, status="revoked", expires=format_time(now))
    keys = load_private_keys(home, owner)
    kept = tuple(key for key in keys.retired if kid_for(key.public_key()) != kid)
    _save(home, federation, owner, replace(keys, retired=kept), {kid: revoked}, argon2)
    events.append(KeyEvent(owner, "key-revoked", record.use, record.alg, kid))
    record_key_events(home, events, now=now)
    return events


def record_key_events(home: Home, events: list[KeyEvent], *, now: datetime) -> None:
    """Append one audit entry per key event (the store's participant rows follow too)."""
    exchange = Exchange.open(home.root, now=now)
    with exchange.session() as session:
        for event in events:
            append_entry(
                session,
                actor=exchange.federation.hub.id,
                action=event.action,
                time=now,
                details=event.details(),
            )
        session.commit()


def _rotate(
    home: Home,
    participant: str,
    *,
    now: datetime,
    uses: tuple[KeyUse, ...],
    argon2: Argon2Params | None,
) -> list[KeyEvent]:
    federation = load_federation(home)
    p = federation.participant(participant)
    if "log" in uses and p.role != "hub":
        raise FederationError(f"'{participant}' is a lab: only the hub has a log key")
    keys = load_private_keys(home, participant)
    fresh = generate_keys(log=True, pq=keys.post_quantum)
    rotated = ParticipantKeys(
        sign=fresh.sign if "sign" in uses else keys.sign,
        encrypt=fresh.encrypt if "encrypt" in uses else keys.encrypt,
        log=fresh.log if "log" in uses else keys.log,
        pq_sign=fresh.pq_sign if "sign" in uses else keys.pq_sign,
        retired=(keys.encrypt, *keys.retired) if "encrypt" in uses else keys.retired,
    )
    until = format_time(now + timedelta(days=federation.key_grace_days))
    old = [r for r in p.keys if r.status == "active" and r.use in uses]
    changes = {r.kid: replace(r, status="retired", expires=until) for r in old}
    added = [r for r in records_for(rotated, format_time(now)) if p.key(r.kid) is None]
    usable = {r.kid for r in (*p.keys, *added) if r.kid not in changes and r.usable_at(now)}
    usable |= {r.kid for r in changes.values() if r.usable_at(now)}
    kept = tuple(k for k in rotated.retired if kid_for(k.public_key()) in usable)
    _save(home, federation, participant, replace(rotated, retired=kept), changes, argon2, added)
    return [
        KeyEvent(participant, "key-rotated", r.use, r.alg, r.kid, _successor(r, added)) for r in old
    ]


def _successor(record: KeyRecord, added: list[KeyRecord]) -> str | None:
    return next((r.kid for r in added if (r.use, r.alg) == (record.use, record.alg)), None)


def _save(
    home: Home,
    federation: Federation,
    participant: str,
    keys: ParticipantKeys,
    changes: dict[str, KeyRecord],
    argon2: Argon2Params | None,
    added: list[KeyRecord] | None = None,
) -> None:
    """Private keys first, then federation.toml (a crash between: run the command again)."""
    p = federation.participant(participant)
    records = tuple(changes.get(r.kid, r) for r in p.keys) + tuple(added or ())
    store_private_keys(home, participant, keys, params=argon2)
    participants = {**federation.participants, participant: replace(p, keys=records)}
    save_federation(home, replace(federation, participants=participants))


def _owner_of(federation: Federation, kid: str) -> tuple[str, KeyRecord]:
    for p in federation.participants.values():
        if (record := p.key(kid)) is not None:
            return p.id, record
    raise FederationError(f"no participant has a key with kid {kid}")
