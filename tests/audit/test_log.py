"""The audit log on a real database: append, checkpoint, verify, refuse rewrites, refuse to
sign over a rewritten history, and the published test vector (tests/vectors/audit-log.json).
Tampering that verification must catch is in test_verify.py."""

import hashlib
import json
import threading
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, select

from sharing.audit.leaf import entry_leaf
from sharing.audit.log import (
    AuditReport,
    append_entry,
    audit_time,
    latest_checkpoint,
    verify_log,
    write_checkpoint,
)
from sharing.audit.merkle import EMPTY_ROOT, MerkleTree, root_hash
from sharing.audit.merkle import leaf_hash as hash_leaf
from sharing.audit.note import checkpoint_body, key_hash, sign_note, verifier_key, verify_note
from sharing.audit.proofs import verify_consistency, verify_inclusion
from sharing.audit.tables import TABLES, AuditEntry, Checkpoint
from sharing.errors import AuditError
from sharing.store.engine import create_schema

ORIGIN = "dtix.example/audit"
KEY = Ed25519PrivateKey.generate()
T0 = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
VECTOR_FILE = Path(__file__).parents[1] / "vectors" / "audit-log.json"


def _append(engine: Engine, count: int, start: int = 0) -> None:
    with Session(engine) as session:
        for i in range(start, start + count):
            append_entry(
                session,
                actor="hub",
                action="bulletin-issued" if i % 2 else "submission-received",
                time=T0 + timedelta(seconds=i),
                object_sha256=hashlib.sha256(str(i).encode()).hexdigest(),
                recipients=["openai", "google"] if i % 2 else [],
                details={"n": i, "label": f"entry {i} \u2014 \u00e9"},
            )
        session.commit()


def _checkpoint(engine: Engine, key: Ed25519PrivateKey = KEY) -> Checkpoint:
    with Session(engine) as session:
        cp = write_checkpoint(session, origin=ORIGIN, key_name=ORIGIN, key=key, time=T0)
        session.commit()
        session.refresh(cp)
        return cp


def _verify(engine: Engine, **overrides: Any) -> AuditReport:
    args: dict[str, Any] = {"key_name": ORIGIN, "public_keys": KEY.public_key(), "origin": ORIGIN}
    with Session(engine) as session:
        return verify_log(session, **(args | overrides))


def _build_log(engine: Engine) -> None:
    """Ten entries with checkpoints at sizes 3, 7 and 10."""
    _append(engine, 3)
    _checkpoint(engine)
    _append(engine, 4, start=3)
    _checkpoint(engine)
    _append(engine, 3, start=7)
    _checkpoint(engine)


def test_append_checkpoint_and_verify(engine: Engine) -> None:
    _build_log(engine)
    with Session(engine) as session:
        entries = session.exec(select(AuditEntry).order_by(AuditEntry.idx)).all()
        assert [e.idx for e in entries] == list(range(10))
        assert json.loads(entries[1].recipients) == ["openai", "google"]
        assert entries[0].time == "2026-11-23T10:00:00.000000Z"
        expected_root = root_hash([hash_leaf(bytes(e.leaf)) for e in entries])
        latest = latest_checkpoint(session)
        assert latest is not None and latest.size == 10 and latest.root == expected_root.hex()
        assert verify_note(latest.note, ORIGIN, KEY.public_key()) == checkpoint_body(
            ORIGIN, 10, expected_root
        )
    assert _verify(engine) == AuditReport(size=10, root=expected_root.hex(), checkpoints=3)


def test_entries_share_the_callers_transaction(engine: Engine) -> None:
    with Session(engine) as session:
        first = append_entry(session, actor="hub", action="a", time=T0)
        second = append_entry(session, actor="hub", action="b", time=T0)
        assert (first.idx, second.idx) == (0, 1)
        session.rollback()
    _append(engine, 1)
    with Session(engine) as session:
        assert [e.action for e in session.exec(select(AuditEntry)).all()] == ["submission-received"]


def test_empty_log_and_unchanged_size(engine: Engine) -> None:
    with Session(engine) as session:
        assert latest_checkpoint(session) is None
    assert _verify(engine) == AuditReport(size=0, root=EMPTY_ROOT.hex(), checkpoints=0)
    _checkpoint(engine)
    _append(engine, 2)
    first, second = _checkpoint(engine), _checkpoint(engine)
    assert (first.size, second.size) == (2, 2) and first.id != second.id
    assert _verify(engine).checkpoints == 3


def test_concurrent_appenders_get_distinct_consecutive_indices(engine: Engine) -> None:
    errors: list[BaseException] = []

    def worker(n: int) -> None:
        try:
            for i in range(10):
                _append(engine, 1, start=100 * n + i)
        except BaseException as e:  # reported below
            errors.append(e)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert _verify(engine).size == 40


def test_bad_arguments_are_refused(engine: Engine) -> None:
    with Session(engine) as session:
        with pytest.raises(TypeError):
            append_entry(session, actor="hub", action="a", time=T0, recipients="openai")
        with pytest.raises(ValueError, match="object_sha256"):
            append_entry(session, actor="hub", action="a", time=T0, object_sha256="AB" * 32)
        with pytest.raises(ValueError, match="timezone-aware"):
            append_entry(session, actor="hub", action="a", time=datetime(2026, 1, 1))


def test_audit_time_needs_an_aware_datetime() -> None:
    moment = datetime(2026, 1, 2, 3, 4, 5, 6, tzinfo=timezone(timedelta(hours=2)))
    assert audit_time(moment) == "2026-01-02T01:04:05.000006Z"
    with pytest.raises(ValueError):
        audit_time(datetime(2026, 1, 2))


STATEMENTS = [
    "UPDATE audit_entry SET actor = 'mallory'",
    "DELETE FROM audit_entry WHERE idx = 1",
    "UPDATE audit_checkpoint SET size = 1",
    "DELETE FROM audit_checkpoint",
]


@pytest.mark.parametrize("statement", STATEMENTS)
def test_rewrites_are_refused_by_the_database(engine: Engine, statement: str) -> None:
    _append(engine, 2)
    _checkpoint(engine)
    create_schema(engine)  # the hook is idempotent: running it again keeps the triggers
    with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
        conn.execute(text(statement))
    if engine.dialect.name == "postgresql":
        with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
            conn.execute(text("TRUNCATE audit_entry"))
    assert _verify(engine).size == 2


def _tamper(engine: Engine, *statements: str, **params: Any) -> None:
    """Drop the append-only triggers, as someone with the database's owner rights could."""
    with engine.begin() as conn:
        for table in TABLES:
            if engine.dialect.name == "postgresql":
                conn.execute(text(f"DROP TRIGGER {table}_no_change ON {table}"))
            else:
                conn.execute(text(f"DROP TRIGGER {table}_no_update"))
                conn.execute(text(f"DROP TRIGGER {table}_no_delete"))
        for statement in statements:
            conn.execute(text(statement), params)


def test_no_checkpoint_is_signed_over_a_rewritten_history(engine: Engine) -> None:
    _build_log(engine)
    _tamper(
        engine,
        "UPDATE audit_entry SET leaf_hash = :hash WHERE idx = 5",
        hash="00" * 32,
    )
    with pytest.raises(AuditError, match="no longer matches"):
        _checkpoint(engine)


# The published test vector -------------------------------------------------------------

VECTOR_SEED = hashlib.sha256(b"dtix audit-log test vector").digest()
VECTOR_ENTRIES: list[dict[str, Any]] = [
    {
        "time": "2026-11-23T10:00:00.000000Z",
        "actor": "hub",
        "action": "submission-received",
        "object_sha256": hashlib.sha256(b"example submission").hexdigest(),
        "recipients": [],
        "details": {"lab": "anthropic", "records": 3},
    },
    {
        "time": "2026-11-23T10:00:01.250000Z",
        "actor": "hub",
        "action": "indicators-merged",
        "object_sha256": hashlib.sha256(b"example submission").hexdigest(),
        "recipients": [],
        "details": {"lab": "anthropic", "new": 2, "changed": 1, "unchanged": 0},
    },
    {
        "time": "2026-11-23T10:05:00.000000Z",
        "actor": "hub",
        "action": "bulletin-issued",
        "object_sha256": hashlib.sha256(b"example bulletin").hexdigest(),
        "recipients": ["openai"],
        "details": {"stream": "openai", "seq": 1, "campaign": "proxy-hydra \u2014 wave 2"},
    },
]


def build_vector() -> dict[str, Any]:
    """Every value of tests/vectors/audit-log.json, recomputed from its inputs."""
    key = Ed25519PrivateKey.from_private_bytes(VECTOR_SEED)
    leaves = [entry_leaf(index=i, **e) for i, e in enumerate(VECTOR_ENTRIES)]
    tree = MerkleTree(hash_leaf(leaf) for leaf in leaves)
    body = checkpoint_body(ORIGIN, 3, tree.root())
    return {
        "description": "dtix audit log: three entries, their leaves, the tree and a checkpoint",
        "entries": [
            {"index": i, **e, "leaf": leaf.decode(), "leaf_hash": hash_leaf(leaf).hex()}
            for i, (e, leaf) in enumerate(zip(VECTOR_ENTRIES, leaves, strict=True))
        ],
        "roots": {str(n): tree.root(n).hex() for n in range(4)},
        "inclusion": [
            {"index": i, "size": 3, "proof": [p.hex() for p in tree.inclusion_proof(i)]}
            for i in range(3)
        ],
        "consistency": [
            {"old_size": m, "new_size": 3, "proof": [p.hex() for p in tree.consistency_proof(m)]}
            for m in (1, 2)
        ],
        "checkpoint": {
            "origin": ORIGIN,
            "key_name": ORIGIN,
            "private_key_seed": VECTOR_SEED.hex(),
            "public_key": key.public_key().public_bytes_raw().hex(),
            "key_hash": key_hash(ORIGIN, key.public_key()).hex(),
            "verifier_key": verifier_key(ORIGIN, key.public_key()),
            "body": body,
            "note": sign_note(body, ORIGIN, key),
        },
    }


def test_vector_file_matches_the_code() -> None:
    vector = json.loads(VECTOR_FILE.read_text(encoding="utf-8"))
    assert vector == build_vector()
    roots = {int(n): bytes.fromhex(r) for n, r in vector["roots"].items()}
    hashes = [bytes.fromhex(e["leaf_hash"]) for e in vector["entries"]]
    for item in vector["inclusion"]:
        proof = [bytes.fromhex(p) for p in item["proof"]]
        assert verify_inclusion(hashes[item["index"]], item["index"], 3, proof, roots[3])
    for item in vector["consistency"]:
        proof = [bytes.fromhex(p) for p in item["proof"]]
        m = item["old_size"]
        assert verify_consistency(m, 3, roots[m], roots[3], proof)


def test_vector_is_what_the_log_stores(engine: Engine) -> None:
    vector = json.loads(VECTOR_FILE.read_text(encoding="utf-8"))
    key = Ed25519PrivateKey.from_private_bytes(VECTOR_SEED)
    with Session(engine) as session:
        for e in vector["entries"]:
            fields = {k: e[k] for k in ("actor", "action", "object_sha256", "recipients")}
            time = datetime.fromisoformat(e["time"])
            entry = append_entry(session, time=time, details=e["details"], **fields)
            assert (bytes(entry.leaf).decode(), entry.leaf_hash) == (e["leaf"], e["leaf_hash"])
        cp = write_checkpoint(session, origin=ORIGIN, key_name=ORIGIN, key=key, time=T0)
        assert cp.note == vector["checkpoint"]["note"]
        session.commit()
        report = verify_log(session, key_name=ORIGIN, public_keys=key.public_key(), origin=ORIGIN)
    assert report == AuditReport(size=3, root=vector["roots"]["3"], checkpoints=1)


if __name__ == "__main__":
    VECTOR_FILE.parent.mkdir(exist_ok=True)
    text_out = json.dumps(build_vector(), indent=2, ensure_ascii=False) + "\n"
    VECTOR_FILE.write_text(text_out, encoding="utf-8")
