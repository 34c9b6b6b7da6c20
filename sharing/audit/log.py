"""Append entries to the audit log and sign checkpoints of it.

Entries and checkpoints land in the caller's transaction: the caller commits, so an entry
is stored together with the change it records, or not at all. Verifying the log is
sharing.audit.verify; its verify_log and AuditReport are importable from here as well.
"""

import re
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import func, text
from sqlmodel import Session, col, select

from sharing.audit.merkle import MerkleTree, leaf_hash
from sharing.audit.note import checkpoint_body, sign_note
from sharing.audit.tables import APPEND_LOCK, AuditEntry, Checkpoint, entry_leaf
from sharing.audit.verify import BATCH, check_index
from sharing.audit.verify import AuditReport as AuditReport
from sharing.audit.verify import verify_log as verify_log
from sharing.encoding import canonical_json
from sharing.errors import AuditError

_SHA256_HEX = re.compile(r"[0-9a-f]{64}")


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
    for idx, hex_hash in session.exec(stmt.execution_options(yield_per=BATCH)):
        check_index(idx, len(tree))
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
