"""Verify the whole audit log: every entry against its leaf, every checkpoint's signature
and root, and each checkpoint's consistency with the one before.

Any problem raises AuditError naming the first entry or checkpoint at fault.
"""

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from rfc8785 import CanonicalizationError
from sqlmodel import Session, col, select

from sharing.audit.merkle import MerkleTree, leaf_hash
from sharing.audit.note import parse_checkpoint, verify_note
from sharing.audit.proofs import verify_consistency
from sharing.audit.tables import AuditEntry, Checkpoint, stored_leaf
from sharing.errors import AuditError

BATCH = 4096  # rows fetched per round trip when the log is streamed in index order


@dataclass(frozen=True)
class AuditReport:
    """What `verify_log` checked: the log's size and root, and how many checkpoints."""

    size: int
    root: str
    checkpoints: int


def check_index(idx: int, expected: int) -> None:
    """Refuse an entry index that is not the next one: a missing entry or one out of order."""
    if idx > expected:
        raise AuditError(f"audit entry {expected}: missing (the next index is {idx})")
    if idx != expected:
        raise AuditError(f"audit entry {idx}: out of sequence (expected index {expected})")


def _entries(session: Session) -> Iterator[Mapping[str, Any]]:
    """Every entry's columns in index order, streamed (plain rows: no ORM objects)."""
    stmt = select(*AuditEntry.__table__.columns).order_by(col(AuditEntry.idx))
    for row in session.exec(stmt.execution_options(yield_per=BATCH)):
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
        check_index(entry["idx"], len(tree))
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
