"""Append entries to the audit log and sign checkpoints of it.

Entries and checkpoints land in the caller's transaction: the caller commits, so an entry
is stored together with the change it records, or not at all. Verifying the log is
sharing.audit.verify; its verify_log and AuditReport are importable from here as well.
"""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import func, insert, text
from sqlmodel import Session, col, select

from sharing.audit.leaf import entry_json
from sharing.audit.merkle import leaf_hash
from sharing.audit.note import checkpoint_body, sign_note
from sharing.audit.stored_tree import StoredTree
from sharing.audit.tables import APPEND_LOCK, AuditEntry, Checkpoint
from sharing.audit.tiles import extend_tiles
from sharing.audit.verify import AuditReport as AuditReport
from sharing.audit.verify import verify_log as verify_log
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


def hold_append_lock(session: Session) -> None:
    """Take the log's append lock now, for the rest of the caller's transaction: a writer
    that reads before it appends (a merge, a participant update) runs alone from here on."""
    _lock(session)


@dataclass(frozen=True)
class EntryDraft:
    """An entry before the log gives it its index (see docs/audit-log.md for each action)."""

    actor: str
    action: str
    time: datetime
    object_sha256: str | None = None
    recipients: Sequence[str] = ()
    details: Mapping[str, Any] = field(default_factory=dict)


def _columns(index: int, draft: EntryDraft) -> dict[str, Any]:
    """The stored columns of an entry, its leaf and leaf hash included."""
    if isinstance(draft.recipients, str):
        raise TypeError("recipients is a sequence of participant ids, not one string")
    sha = draft.object_sha256
    if sha is not None and not _SHA256_HEX.fullmatch(sha):
        raise ValueError(f"object_sha256 {sha!r} is not a lower-case hex SHA-256")
    fields = {"time": audit_time(draft.time), "actor": draft.actor, "action": draft.action}
    leaf, recipients, details = entry_json(
        index=index,
        object_sha256=sha,
        recipients=draft.recipients,
        details=draft.details,
        **fields,
    )
    return {
        "idx": index,
        "object_sha256": sha,
        "recipients": recipients.decode("utf-8"),
        "details": details.decode("utf-8"),
        "leaf": leaf,
        "leaf_hash": leaf_hash(leaf).hex(),
        **fields,
    }


def log_size(session: Session) -> int:
    """How many entries the log holds (its next index)."""
    last = session.exec(select(func.max(AuditEntry.idx))).one()
    return 0 if last is None else last + 1


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
    draft = EntryDraft(actor, action, time, object_sha256, recipients, details or {})
    _lock(session)
    entry = AuditEntry(**_columns(log_size(session), draft))
    session.add(entry)
    session.flush()
    return entry


def append_entries(session: Session, drafts: Sequence[EntryDraft]) -> range:
    """Add several entries at once, in order, inside the caller's transaction; their
    indices. One lock, one query and one bulk insert however many there are."""
    if not drafts:
        return range(0)
    _lock(session)
    first = log_size(session)
    rows = [_columns(first + i, draft) for i, draft in enumerate(drafts)]
    _insert_many(session, rows)
    return range(first, first + len(rows))


def _insert_many(session: Session, rows: list[dict[str, Any]]) -> None:
    """One executemany straight to the driver: the rows are already plain values."""
    conn = session.connection()
    compiled = insert(AuditEntry.__table__).compile(dialect=conn.dialect, column_keys=list(rows[0]))
    if compiled.positional:
        names = compiled.positiontup or []
        conn.exec_driver_sql(str(compiled), [tuple(row[n] for n in names) for row in rows])
    else:
        conn.exec_driver_sql(str(compiled), rows)  # type: ignore[arg-type]


def latest_checkpoint(session: Session) -> Checkpoint | None:
    """The checkpoint written last, or None before the first."""
    return session.exec(select(Checkpoint).order_by(col(Checkpoint.id).desc()).limit(1)).first()


def write_checkpoint(
    session: Session, *, origin: str, key_name: str, key: Ed25519PrivateKey, time: datetime
) -> Checkpoint:
    """Sign a checkpoint of the whole log as it stands (the caller commits). Refuses to sign
    if the log no longer matches the previous checkpoint."""
    _lock(session)
    size = log_size(session)
    extend_tiles(session, size)
    tree = StoredTree(session, size)
    previous = latest_checkpoint(session)
    if previous is not None and (
        not 0 <= previous.size <= size or tree.root(previous.size).hex() != previous.root
    ):
        raise AuditError(
            f"checkpoint {previous.id} (size {previous.size}): the log no longer matches it"
        )
    root = tree.root()
    note = sign_note(checkpoint_body(origin, size, root), key_name, key)
    stamp = audit_time(time)
    if previous is not None and previous.time > stamp:
        stamp = previous.time  # a run that started earlier may seal after one that started later
    checkpoint = Checkpoint(size=size, root=root.hex(), time=stamp, note=note)
    session.add(checkpoint)
    session.flush()
    return checkpoint
