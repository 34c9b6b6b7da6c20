"""Inclusion and consistency proofs served from the store, against signed tree sizes.

A proof is only offered within the latest checkpoint: the entries after it are not signed
yet, so nobody could check a proof about them. The answers are JSON-ready dicts with hex
hashes, the shapes docs/audit-log.md describes.
"""

from typing import Any

from sqlmodel import Session

from sharing.audit.log import latest_checkpoint
from sharing.audit.stored_tree import StoredTree
from sharing.audit.tiles import read_leaf_hashes
from sharing.errors import AuditError


def signed_size(session: Session) -> int:
    """The size of the latest checkpoint; AuditError before the first."""
    checkpoint = latest_checkpoint(session)
    if checkpoint is None:
        raise AuditError("no checkpoint yet: run the exchange first")
    return checkpoint.size


def _checked_size(session: Session, size: int | None, what: str) -> int:
    latest = signed_size(session)
    if size is None:
        return latest
    if not 0 <= size <= latest:
        raise AuditError(f"{what} {size} is outside the signed log (0..{latest})")
    return size


def inclusion(session: Session, index: int, size: int | None = None) -> dict[str, Any]:
    """The audit path of entry `index` in the tree of `size` entries (latest signed size by
    default), with the leaf hash and the root it leads to."""
    n = _checked_size(session, size, "size")
    if not 0 <= index < n:
        raise AuditError(f"entry {index} is not in the signed tree of size {n}")
    tree = StoredTree(session, n)
    return {
        "index": index,
        "size": n,
        "leaf_hash": read_leaf_hashes(session, index, index + 1)[0].hex(),
        "path": [h.hex() for h in tree.inclusion_proof(index)],
        "root": tree.root().hex(),
    }


def consistency(session: Session, old_size: int, new_size: int | None = None) -> dict[str, Any]:
    """The proof that the tree of `old_size` entries is a prefix of the one of `new_size`
    (latest signed size by default), with both roots."""
    n = _checked_size(session, new_size, "size")
    if not 0 <= old_size <= n:
        raise AuditError(f"old size {old_size} is outside 0..{n}")
    tree = StoredTree(session, n)
    return {
        "old_size": old_size,
        "new_size": n,
        "old_root": tree.root(old_size).hex(),
        "new_root": tree.root().hex(),
        "proof": [h.hex() for h in tree.consistency_proof(old_size)],
    }
