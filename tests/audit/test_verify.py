"""Verifying the audit log: tampered entries and checkpoints, checkpoints by the wrong key
or origin, and a checkpoint smaller than the one before, each named in the error."""

from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from sharing.audit.leaf import entry_leaf
from sharing.audit.log import EntryDraft, append_entries, audit_time
from sharing.audit.merkle import MerkleTree
from sharing.audit.merkle import leaf_hash as hash_leaf
from sharing.audit.note import checkpoint_body, sign_note
from sharing.audit.tables import AuditEntry, Checkpoint
from sharing.errors import AuditError
from tests.audit.test_log import (
    KEY,
    ORIGIN,
    T0,
    _build_log,
    _checkpoint,
    _tamper,
    _verify,
)

WRONG_KEY = Ed25519PrivateKey.generate()


def _rewritten_entry_5() -> dict[str, Any]:
    """Entry 5 rewritten with a consistent leaf and leaf hash, as a careful forger would."""
    leaf = entry_leaf(
        index=5,
        time="2026-11-23T10:00:05.000000Z",
        actor="hub",
        action="bulletin-issued",
        object_sha256=None,
        recipients=["openai"],
        details={},
    )
    return {"leaf": leaf, "hash": hash_leaf(leaf).hex()}


TAMPERING = [
    (["UPDATE audit_entry SET actor = 'mallory' WHERE idx = 5"], "audit entry 5: leaf does not"),
    (["UPDATE audit_entry SET details = '{' WHERE idx = 5"], "audit entry 5: recipients or"),
    (["UPDATE audit_entry SET leaf_hash = :hash WHERE idx = 5"], "audit entry 5: leaf hash"),
    (
        [
            "UPDATE audit_entry SET leaf = :leaf, leaf_hash = :hash, object_sha256 = NULL, "
            "recipients = '[\"openai\"]', details = '{}' WHERE idx = 5"
        ],
        r"checkpoint \d+ \(size 7\): root differs from the log",
    ),
    (["DELETE FROM audit_entry WHERE idx = 5"], "audit entry 5: missing"),
    (["DELETE FROM audit_entry WHERE idx >= 8"], r"\(size 10\): the log has only 8 entries"),
    (["UPDATE audit_checkpoint SET root = :hash WHERE size = 7"], "signed note differs"),
    (["UPDATE audit_checkpoint SET size = 6 WHERE size = 7"], "signed note differs"),
    (["UPDATE audit_checkpoint SET note = REPLACE(note, '\n7\n', '\n6\n')"], "does not verify"),
]


@pytest.mark.parametrize(("statements", "message"), TAMPERING)
def test_tampering_is_detected(engine: Engine, statements: list[str], message: str) -> None:
    _build_log(engine)
    _tamper(engine, *statements, **_rewritten_entry_5())
    with pytest.raises(AuditError, match=message):
        _verify(engine)


def test_checkpoints_by_the_wrong_key_or_origin_are_rejected(engine: Engine) -> None:
    _build_log(engine)
    with pytest.raises(AuditError, match=r"checkpoint \d+ \(size 3\): note has no signature"):
        _verify(engine, public_keys=WRONG_KEY.public_key())
    with pytest.raises(AuditError, match=r"origin is 'dtix\.example/audit'"):
        _verify(engine, origin="elsewhere.example/audit")
    _checkpoint(engine, key=WRONG_KEY)
    with pytest.raises(AuditError, match=r"\(size 10\): note has no signature"):
        _verify(engine)


def test_a_checkpoint_smaller_than_its_predecessor_is_rejected(engine: Engine) -> None:
    _build_log(engine)
    tree = MerkleTree(_stored_hashes(engine))
    note = sign_note(checkpoint_body(ORIGIN, 3, tree.root(3)), ORIGIN, KEY)
    with Session(engine) as session:
        session.add(Checkpoint(size=3, root=tree.root(3).hex(), time=audit_time(T0), note=note))
        session.commit()
    with pytest.raises(AuditError, match=r"\(size 3\): smaller than checkpoint"):
        _verify(engine)


def _stored_hashes(engine: Engine) -> list[bytes]:
    with Session(engine) as session:
        entries = session.exec(select(AuditEntry).order_by(AuditEntry.idx)).all()
        return [bytes.fromhex(e.leaf_hash) for e in entries]


ENTRY_COLUMNS: dict[str, object] = {
    "time": "2026-01-01T00:00:00.000000Z",
    "actor": "mallory",
    "action": "key-revoked",
    "object_sha256": None,
    "recipients": '["mallory"]',
    "details": "{}",
    "leaf": b"{}",
    "leaf_hash": "ab" * 32,
}


@pytest.mark.parametrize("column", sorted(ENTRY_COLUMNS))
def test_any_changed_column_of_any_entry_is_named(engine: Engine, column: str) -> None:
    _build_log(engine)
    _tamper(engine, f"UPDATE audit_entry SET {column} = :v WHERE idx = 5", v=ENTRY_COLUMNS[column])
    with pytest.raises(AuditError, match="audit entry 5:"):
        _verify(engine)


@pytest.mark.parametrize(
    ("statement", "message"),
    [
        ("UPDATE audit_checkpoint SET time = '2000-01-01T00:00:00.000000Z' WHERE size = 7",
         "dated before checkpoint"),
        ("UPDATE audit_checkpoint SET note = REPLACE(note, 'dtix', 'xtix') WHERE size = 3",
         "checkpoint 1 \\(size 3\\)"),
        ("DELETE FROM audit_checkpoint WHERE size = 7", None),
    ],
)  # fmt: skip
def test_changed_checkpoints_are_named(engine: Engine, statement: str, message: str | None) -> None:
    _build_log(engine)
    _tamper(engine, statement)
    if message is None:  # dropping a checkpoint leaves a valid, shorter history
        assert _verify(engine).checkpoints == 2
        return
    with pytest.raises(AuditError, match=message):
        _verify(engine)


def _many(engine: Engine, count: int) -> None:
    drafts = [EntryDraft("hub", "x", T0, details={"n": i}) for i in range(count)]
    with Session(engine) as session:
        append_entries(session, drafts)
        session.commit()


def test_a_changed_missing_or_extra_tile_is_named(engine: Engine) -> None:
    _many(engine, 1024 + 5)
    _checkpoint(engine)
    assert _verify(engine).size == 1024 + 5
    _tamper(engine, "INSERT INTO audit_tile (level, idx, hash) VALUES (10, 1, :h)", h="00" * 32)
    with pytest.raises(AuditError, match=r"tile 1 of level 10 \(entries 1024\.\.2047\): the log"):
        _verify(engine)
    _tamper_more(engine, "DELETE FROM audit_tile WHERE level = 10 AND idx = 1")
    _tamper_more(engine, "UPDATE audit_tile SET hash = :h WHERE level = 5 AND idx = 3", h="00" * 32)
    with pytest.raises(AuditError, match=r"tile 3 of level 5 \(entries 96\.\.127\): hash differs"):
        _verify(engine)
    _tamper_more(engine, "DELETE FROM audit_tile WHERE level = 5 AND idx = 3")
    with pytest.raises(AuditError, match="audit tile 3 of level 5: missing"):
        _verify(engine)


def _tamper_more(engine: Engine, statement: str, **params: Any) -> None:
    from sqlalchemy import text

    with engine.begin() as conn:
        conn.execute(text(statement), params)


def test_retired_and_revoked_log_keys(engine: Engine) -> None:
    _build_log(engine)  # signed by KEY
    _checkpoint(engine, key=WRONG_KEY)  # the next log key
    both = [KEY.public_key(), WRONG_KEY.public_key()]
    assert _verify(engine, public_keys=both).checkpoints == 4
    with pytest.raises(AuditError, match=r"\(size 3\): note has no signature"):
        _verify(engine, public_keys=[WRONG_KEY.public_key()])
    later, earlier = "2026-11-24T00:00:00.000000Z", "2026-11-22T00:00:00.000000Z"
    revoked_later = [(KEY.public_key(), later)]
    assert _verify(engine, public_keys=[WRONG_KEY.public_key()], revoked=revoked_later).size == 10
    with pytest.raises(AuditError, match=r"\(size 3\): note has no signature"):
        _verify(engine, public_keys=[WRONG_KEY.public_key()], revoked=[(KEY.public_key(), earlier)])
