"""Checkpoints at the end of a run: signed by the hub's log key, published as a file, and
still verified after the log key is rotated or revoked."""

from dataclasses import replace

import pytest

from sharing.audit.log import latest_checkpoint
from sharing.audit.log_keys import trusted_log_keys
from sharing.audit.note import verify_note
from sharing.checkpoints import seal_checkpoint, verify_audit
from sharing.crypto import ed25519_public_from_b64
from sharing.errors import AuditError
from sharing.exchange import Exchange
from sharing.federation import load_federation, save_federation
from sharing.key_lifecycle import revoke_key, rotate_keys
from tests.audit.runs import at, run_once
from tests.conftest import fast_argon2


def test_checkpoints_are_signed_by_the_log_key_not_the_bulletin_key(hub_home) -> None:  # type: ignore[no-untyped-def]
    run_once(hub_home, 0)
    exchange = Exchange.open(hub_home.root, now=at(0))
    hub, origin = exchange.federation.hub, exchange.federation.origin
    with exchange.session() as session:
        note = latest_checkpoint(session).note  # type: ignore[union-attr]
    assert (hub_home.audit_dir / "checkpoint.txt").read_text("utf-8") == note
    log_key = ed25519_public_from_b64(hub.active_key("log").public)
    assert verify_note(note, origin, log_key)
    with pytest.raises(AuditError, match="no signature"):
        verify_note(note, origin, ed25519_public_from_b64(hub.active_key("sign").public))
    assert verify_audit(exchange).checkpoints == 1


def test_checkpoints_by_a_rotated_then_revoked_log_key_still_verify(hub_home) -> None:  # type: ignore[no-untyped-def]
    run_once(hub_home, 0)
    old = load_federation(hub_home).hub.active_key("log")
    [event] = rotate_keys(hub_home, "hub", now=at(1), uses=("log",), argon2=fast_argon2())
    assert event.kid == old.kid
    run_once(hub_home, 1)  # signed by the new key
    exchange = Exchange.open(hub_home.root, now=at(1))
    assert len(trusted_log_keys(exchange.federation.hub)) == 2
    assert verify_audit(exchange).checkpoints == 2
    revoke_key(hub_home, old.kid, now=at(2), argon2=fast_argon2())
    run_once(hub_home, 2)
    assert verify_audit(Exchange.open(hub_home.root, now=at(2))).checkpoints == 3


def test_a_checkpoint_by_an_unpublished_key_fails_verification(hub_home) -> None:  # type: ignore[no-untyped-def]
    run_once(hub_home, 0)
    federation = load_federation(hub_home)
    hub = federation.hub
    others = tuple(k for k in hub.keys if k.use != "log")
    stranger = replace(
        federation, participants={**federation.participants, "hub": replace(hub, keys=others)}
    )
    save_federation(hub_home, stranger)  # the log key vanished: the sign key is expected
    with pytest.raises(AuditError, match=r"checkpoint 1 \(size \d+\): note has no signature"):
        verify_audit(Exchange.open(hub_home.root, now=at(0)))


def test_a_run_that_started_earlier_may_seal_later(hub_home) -> None:  # type: ignore[no-untyped-def]
    exchange = Exchange.open(hub_home.root, now=at(0))
    first, _ = seal_checkpoint(exchange, now=at(1))  # the run started later seals first
    second, path = seal_checkpoint(exchange, now=at(0))
    assert second.time == first.time  # never dated before the checkpoint before it
    assert verify_audit(exchange).checkpoints == 2
    assert path.read_text("utf-8") == second.note
