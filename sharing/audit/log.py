"""Append entries to the audit log, sign checkpoints of it, and verify all of it.

Entries and checkpoints land in the caller's transaction: the caller commits, so an entry
is stored together with the change it records, or not at all.
"""

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from rfc8785 import CanonicalizationError
from sqlalchemy import func, text
from sqlmodel import Session, col, select

from sharing.audit.merkle import MerkleTree, leaf_hash
from sharing.audit.note import checkpoint_body, parse_checkpoint, sign_note, verify_note
from sharing.audit.proofs import verify_consistency
from sharing.audit.tables import APPEND_LOCK, AuditEntry, Checkpoint, entry_leaf, stored_leaf
from sharing.encoding import canonical_json
from sharing.errors import AuditError

_BATCH = 4096
_SHA256_HEX = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class AuditReport:
    """What `verify_log` checked: the log's size and root, and how many checkpoints."""

    size: int
    root: str
    checkpoints: int


def audit_time(moment: datetime) -> str:
    """RFC 3339 in UTC with microseconds and 'Z': the one time format of the log."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("audit times must be timezone-aware")
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


def _lock(session: Session) -> None:
    """Serialize appenders on PostgreSQL; SQLite already holds its write lock (BEGIN IMMEDIATE)."""
    if session.get_bind().dialect.name == "postgresql":
        session.exec(text("SELECT pg_advisory_xact_lock(:key)"), params={"key": APPEND_LOCK})


def append_entry(
    session: Session,
    *,
    actor: str,
    action: str,
    time: datetime,
    object_sha256: str | None = None,
    recipients: Sequence[str] = (),
    details: Mapping[str, Any] | None = None,
) -> AuditEntry:
    """Add the next entry (index max+1) to the log inside the caller's transaction."""
    if isinstance(recipients, str):
        raise TypeError("recipients is a sequence of participant ids, not one string")
    if object_sha256 is not None and not _SHA256_HEX.fullmatch(object_sha256):
        raise ValueError(f"object_sha256 {object_sha256!r} is not a lower-case hex SHA-256")
    _lock(session)
    last = session.exec(select(func.max(AuditEntry.idx))).one()
    index = 0 if last is None else last + 1
    fields: dict[str, Any] = {
        "time": audit_time(time),
        "actor": actor,
        "action": action,
        "object_sha256": object_sha256,
    }
    recipient_list, detail_map = list(recipients), dict(details or {})
    leaf = entry_leaf(index=index, recipients=recipient_list, details=detail_map, **fields)
    entry = AuditEntry(
        idx=index,
        recipients=canonical_json(recipient_list).decode("utf-8"),
        details=canonical_json(detail_map).decode("utf-8"),
        leaf=leaf,
        leaf_hash=leaf_hash(leaf).hex(),
        **fields,
    )
    session.add(entry)
    session.flush()
    return entry


def latest_checkpoint(session: Session) -> Checkpoint | None:
    """The checkpoint written last, or None before the first."""
    return session.exec(select(Checkpoint).order_by(col(Checkpoint.id).desc()).limit(1)).first()


def _stored_tree(session: Session) -> MerkleTree:
    """The tree of the stored leaf hashes, read once in index order."""
    tree = MerkleTree()
    stmt = select(AuditEntry.idx, AuditEntry.leaf_hash).order_by(col(AuditEntry.idx))
    for idx, hex_hash in session.exec(stmt.execution_options(yield_per=_BATCH)):
        _check_index(idx, len(tree))
        try:
            tree.append(bytes.fromhex(hex_hash))
        except ValueError:
            raise AuditError(f"audit entry {idx}: leaf hash is not 32 bytes of hex") from None
    return tree


def write_checkpoint(
    session: Session, *, origin: str, key_name: str, key: Ed25519PrivateKey, time: datetime
) -> Checkpoint:
    """Sign a checkpoint of the whole log as it stands (the caller commits). Refuses to sign
    if the log no longer matches the previous checkpoint."""
    _lock(session)
    tree = _stored_tree(session)
    previous = latest_checkpoint(session)
    if previous is not None and (
        not 0 <= previous.size <= len(tree) or tree.root(previous.size).hex() != previous.root
    ):
        raise AuditError(
            f"checkpoint {previous.id} (size {previous.size}): the log no longer matches it"
        )
    root = tree.root()
    note = sign_note(checkpoint_body(origin, len(tree), root), key_name, key)
    checkpoint = Checkpoint(size=len(tree), root=root.hex(), time=audit_time(time), note=note)
    session.add(checkpoint)
    session.flush()
    return checkpoint


def _check_index(idx: int, expected: int) -> None:
    if idx > expected:
        raise AuditError(f"audit entry {expected}: missing (the next index is {idx})")
    if idx != expected:
        raise AuditError(f"audit entry {idx}: out of sequence (expected index {expected})")


def _entries(session: Session) -> Iterator[Mapping[str, Any]]:
    """Every entry's columns in index order, streamed (plain rows: no ORM objects)."""
    stmt = select(*AuditEntry.__table__.columns).order_by(col(AuditEntry.idx))
    for row in session.exec(stmt.execution_options(yield_per=_BATCH)):
        yield row._mapping


def _entry_hash(entry: Mapping[str, Any]) -> bytes:
    """The leaf hash of a stored entry, after checking its leaf against its columns."""
    where = f"audit entry {entry['idx']}"
    try:
        expected = stored_leaf(entry)
    except (ValueError, CanonicalizationError):
        raise AuditError(f"{where}: recipients or details are not valid JSON") from None
    if bytes(entry["leaf"]) != expected:
        raise AuditError(f"{where}: leaf does not match its columns")
    digest = leaf_hash(expected)
    if entry["leaf_hash"] != digest.hex():
        raise AuditError(f"{where}: leaf hash does not match its leaf")
    return digest


def _signed_root(cp: Checkpoint, key_name: str, key: Ed25519PublicKey, origin: str) -> bytes:
    """The root a checkpoint's note signs, after checking signature, origin and row."""
    try:
        signed_origin, size, root = parse_checkpoint(verify_note(cp.note, key_name, key))
    except AuditError as e:
        raise AuditError(f"checkpoint {cp.id} (size {cp.size}): {e}") from None
    if signed_origin != origin:
        raise AuditError(
            f"checkpoint {cp.id} (size {cp.size}): origin is {signed_origin!r}, not {origin!r}"
        )
    if size != cp.size or root.hex() != cp.root:
        raise AuditError(f"checkpoint {cp.id} (size {cp.size}): signed note differs from its row")
    return root


def verify_log(
    session: Session, *, key_name: str, public_key: Ed25519PublicKey, origin: str
) -> AuditReport:
    """Recheck every entry, every checkpoint's signature and root, and the consistency of
    each checkpoint with the one before; raise AuditError at the first problem."""
    tree = MerkleTree()
    for entry in _entries(session):
        _check_index(entry["idx"], len(tree))
        tree.append(_entry_hash(entry))
    checkpoints = session.exec(select(Checkpoint).order_by(col(Checkpoint.id))).all()
    previous: tuple[Checkpoint, bytes] | None = None
    for cp in checkpoints:
        where = f"checkpoint {cp.id} (size {cp.size})"
        root = _signed_root(cp, key_name, public_key, origin)
        if cp.size > len(tree):
            raise AuditError(f"{where}: the log has only {len(tree)} entries")
        if tree.root(cp.size) != root:
            raise AuditError(f"{where}: root differs from the log")
        if previous is not None:
            before, before_root = previous
            if cp.size < before.size:
                raise AuditError(f"{where}: smaller than checkpoint {before.id} before it")
            proof = tree.consistency_proof(before.size, cp.size)
            if not verify_consistency(before.size, cp.size, before_root, root, proof):
                raise AuditError(f"{where}: not consistent with checkpoint {before.id}")
        previous = (cp, root)
    return AuditReport(size=len(tree), root=tree.root().hex(), checkpoints=len(checkpoints))
