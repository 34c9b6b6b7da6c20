"""Rotation and revocation timelines: what opens when, what the hub seals to, the audit log."""

import json
from datetime import timedelta

import pytest
from sqlmodel import select

from sharing.audit.tables import AuditEntry
from sharing.errors import BulletinRejected, FederationError
from sharing.exchange import Exchange
from sharing.federation import load_federation
from sharing.key_lifecycle import revoke_key, rotate_keys
from sharing.keyring import load_private_keys
from sharing.receiver import receive_bulletin
from sharing.recipient_keys import sealing_keys
from tests.conftest import NOW, fast_argon2
from tests.receiving import bulletin, stream

DAY = timedelta(days=1)
GRACE = 14 * DAY


def _rotate(home, who: str, **kw):  # type: ignore[no-untyped-def]
    return rotate_keys(home, who, now=NOW, argon2=fast_argon2(), **kw)


def _actions(home) -> list[tuple[str, dict]]:  # type: ignore[no-untyped-def]
    exchange = Exchange.open(home.root, now=NOW)
    with exchange.session() as session:
        rows = session.exec(select(AuditEntry).order_by(AuditEntry.idx)).all()
    return [(row.action, json.loads(row.details)) for row in rows if row.action.startswith("key-")]


def test_rotation_retires_the_old_keys_for_the_grace_period(home) -> None:  # type: ignore[no-untyped-def]
    before = load_federation(home).lab("openai")
    events = _rotate(home, "openai")
    after = load_federation(home).lab("openai")
    assert {e.use for e in events} == {"sign", "encrypt"}
    for use in ("sign", "encrypt"):
        old = after.key(before.active_key(use).kid)
        assert old.status == "retired" and old.expires == "2026-12-07T10:00:00Z"
        assert after.active_key(use).kid != old.kid
        assert old.usable_at(NOW + GRACE - DAY) and not old.usable_at(NOW + GRACE)
    assert len(load_private_keys(home, "openai").decryption_keys()) == 2
    assert [a for a, _ in _actions(home)] == ["key-rotated", "key-rotated"]


def test_a_bulletin_in_flight_opens_during_the_grace_period_only(home) -> None:  # type: ignore[no-untyped-def]
    in_flight = bulletin(home, days=60)
    _rotate(home, "openai")
    with pytest.raises(BulletinRejected, match="sealed only to keys no longer usable"):
        receive_bulletin(home, "openai", in_flight, now=NOW + GRACE)
    assert receive_bulletin(home, "openai", in_flight, now=NOW + GRACE - DAY).header["seq"] == 1


def test_the_hub_seals_to_the_new_key_and_to_the_old_one_only_in_grace(home) -> None:  # type: ignore[no-untyped-def]
    old = load_federation(home).lab("openai").active_key("encrypt").kid
    _rotate(home, "openai", uses=("encrypt",))
    lab = load_federation(home).lab("openai")
    new = lab.active_key("encrypt").kid
    assert set(sealing_keys(lab, NOW)) == {old, new}
    assert set(sealing_keys(lab, NOW + GRACE)) == {new}
    revoke_key(home, old, now=NOW, argon2=fast_argon2())
    assert set(sealing_keys(load_federation(home).lab("openai"), NOW)) == {new}


def test_bulletins_signed_by_a_rotated_hub_key_open_until_the_grace_period_ends(home) -> None:  # type: ignore[no-untyped-def]
    first, second = stream(home, 2, days=60)
    _rotate(home, "hub", uses=("sign",))
    receive_bulletin(home, "openai", first, now=NOW + DAY)
    with pytest.raises(BulletinRejected, match=r"^expired key: signed by"):
        receive_bulletin(home, "openai", second, now=NOW + GRACE)


def test_a_bulletin_signed_by_a_revoked_key_is_refused(home) -> None:  # type: ignore[no-untyped-def]
    hub = load_federation(home).hub
    [data] = stream(home, 1)
    events = revoke_key(home, hub.active_key("sign").kid, now=NOW, argon2=fast_argon2())
    assert [e.action for e in events] == ["key-rotated", "key-revoked"]
    with pytest.raises(BulletinRejected, match=r"^revoked key: signed by"):
        receive_bulletin(home, "openai", data, now=NOW)
    fresh = bulletin(home)  # signed with the replacement key
    assert receive_bulletin(home, "openai", fresh, now=NOW).header["seq"] == 1


def test_revoking_a_lab_encryption_key_drops_its_private_key(home) -> None:  # type: ignore[no-untyped-def]
    old = load_federation(home).lab("openai").active_key("encrypt").kid
    in_flight = bulletin(home)
    revoke_key(home, old, now=NOW, argon2=fast_argon2())
    assert old not in load_private_keys(home, "openai").decryption_keys()
    with pytest.raises(BulletinRejected, match="not for you"):
        receive_bulletin(home, "openai", in_flight, now=NOW)
    actions = _actions(home)
    assert [a for a, _ in actions] == ["key-rotated", "key-revoked"]
    assert actions[1][1]["kid"] == old and actions[1][1]["participant"] == "openai"


def test_the_hub_log_key_rotates_and_labs_have_none(home) -> None:  # type: ignore[no-untyped-def]
    old = load_federation(home).hub.active_key("log").kid
    [event] = _rotate(home, "hub", uses=("log",))
    assert event.kid == old and event.replaced_by == load_federation(home).hub.active_key("log").kid
    with pytest.raises(FederationError, match="only the hub has a log key"):
        _rotate(home, "openai", uses=("log",))


def test_unknown_and_repeated_revocations_are_clear_errors(home) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(FederationError, match="no participant has a key"):
        revoke_key(home, "A" * 43, now=NOW)
    kid = load_federation(home).lab("google").active_key("sign").kid
    revoke_key(home, kid, now=NOW, argon2=fast_argon2())
    with pytest.raises(FederationError, match="already revoked"):
        revoke_key(home, kid, now=NOW)
