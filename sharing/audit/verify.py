"""Verify the whole audit log: every entry against its leaf, every stored tile, every
checkpoint's signature and root, and each checkpoint's consistency with the one before.

Any problem raises AuditError naming the first entry, tile or checkpoint at fault. The
entries are streamed as plain rows, so a million of them take seconds, not minutes.
"""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import orjson
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from rfc8785 import CanonicalizationError
from sqlmodel import Session, col, select

from sharing.audit.leaf import entry_leaf
from sharing.audit.merkle import MerkleTree, leaf_hash
from sharing.audit.note import parse_checkpoint, verify_note
from sharing.audit.proofs import verify_consistency
from sharing.audit.tables import AuditEntry, AuditTile, Checkpoint
from sharing.audit.tiles import TILE_LEVELS
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


_COLUMNS = ("idx", "time", "actor", "action", "object_sha256", "recipients", "details")


def _entries(session: Session) -> Iterator[tuple[Any, ...]]:
    """Every entry's columns, leaf and leaf hash, in index order, streamed as plain tuples."""
    table = AuditEntry.__table__
    stmt = select(*(table.c[name] for name in (*_COLUMNS, "leaf", "leaf_hash")))
    result = (
        session.connection().execution_options(yield_per=BATCH).execute(stmt.order_by(table.c.idx))
    )
    for rows in result.partitions():
        yield from rows


def _entry_hash(row: tuple[Any, ...]) -> bytes:
    """The leaf hash of a stored entry, after checking its leaf against its columns."""
    idx, time, actor, action, sha, recipients, details, leaf, stored_hash = row
    try:
        recipients, details = orjson.loads(recipients), orjson.loads(details)
        if not isinstance(recipients, list) or not isinstance(details, dict):
            raise ValueError("recipients must be an array and details an object")
        expected = entry_leaf(
            index=idx,
            time=time,
            actor=actor,
            action=action,
            object_sha256=sha,
            recipients=recipients,
            details=details,
        )
    except (ValueError, CanonicalizationError):  # orjson.JSONDecodeError is a ValueError
        raise AuditError(f"audit entry {idx}: recipients or details are not valid JSON") from None
    if bytes(leaf) != expected:
        raise AuditError(f"audit entry {idx}: leaf does not match its columns")
    digest = leaf_hash(expected)
    if stored_hash != digest.hex():
        raise AuditError(f"audit entry {idx}: leaf hash does not match its leaf")
    return digest


def _check_tiles(session: Session, tree: MerkleTree) -> None:
    """Every stored tile must be the subtree hash of its entries, and each level's tiles
    must run 0, 1, 2, ... without a gap."""
    stmt = select(AuditTile.level, AuditTile.idx, AuditTile.hash)
    expected: dict[int, int] = {}
    for level, idx, stored in session.exec(stmt.order_by(col(AuditTile.level), col(AuditTile.idx))):
        first, last = idx << level, ((idx + 1) << level) - 1
        where = f"audit tile {idx} of level {level} (entries {first}..{last})"
        if level not in TILE_LEVELS:
            raise AuditError(f"{where}: {level} is not a tile level")
        if idx != expected.get(level, 0):
            raise AuditError(f"audit tile {expected.get(level, 0)} of level {level}: missing")
        expected[level] = idx + 1
        if last >= len(tree):
            raise AuditError(f"{where}: the log has only {len(tree)} entries")
        if tree.complete(level, idx).hex() != stored:
            raise AuditError(f"{where}: hash differs from the log")


def _signed_root(
    cp: Checkpoint, key_name: str, keys: Sequence[Ed25519PublicKey], origin: str
) -> bytes:
    """The root a checkpoint's note signs, after checking signature, origin and row."""
    try:
        signed_origin, size, root = parse_checkpoint(verify_note(cp.note, key_name, keys))
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
    session: Session,
    *,
    key_name: str,
    public_keys: Ed25519PublicKey | Sequence[Ed25519PublicKey],
    origin: str,
    revoked: Sequence[tuple[Ed25519PublicKey, str]] = (),
) -> AuditReport:
    """Recheck every entry and tile, every checkpoint's signature (by any of the log's keys,
    current or retired, or by a `revoked` key on a checkpoint written before the audit time
    it was revoked) and root, and the consistency of each checkpoint with the one before;
    raise AuditError at the first problem."""
    keys = [public_keys] if isinstance(public_keys, Ed25519PublicKey) else list(public_keys)
    tree = MerkleTree()
    for row in _entries(session):
        check_index(row[0], len(tree))
        tree.append(_entry_hash(row))
    _check_tiles(session, tree)
    checkpoints = session.exec(select(Checkpoint).order_by(col(Checkpoint.id))).all()
    previous: tuple[Checkpoint, bytes] | None = None
    for cp in checkpoints:
        where = f"checkpoint {cp.id} (size {cp.size})"
        valid = keys + [key for key, revoked_at in revoked if cp.time < revoked_at]
        root = _signed_root(cp, key_name, valid, origin)
        if cp.size > len(tree):
            raise AuditError(f"{where}: the log has only {len(tree)} entries")
        if tree.root(cp.size) != root:
            raise AuditError(f"{where}: root differs from the log")
        if previous is not None:
            before, before_root = previous
            if cp.size < before.size:
                raise AuditError(f"{where}: smaller than checkpoint {before.id} before it")
            if cp.time < before.time:
                raise AuditError(f"{where}: dated before checkpoint {before.id} before it")
            proof = tree.consistency_proof(before.size, cp.size)
            if not verify_consistency(before.size, cp.size, before_root, root, proof):
                raise AuditError(f"{where}: not consistent with checkpoint {before.id}")
        previous = (cp, root)
    return AuditReport(size=len(tree), root=tree.root().hex(), checkpoints=len(checkpoints))
