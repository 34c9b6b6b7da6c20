"""The audit-log section of a bulletin's body: how a lab witnesses the hub's log.

Each bulletin carries the hub's latest signed checkpoint and a consistency proof from the
checkpoint that the previous bulletin of its stream carried (none in a stream's first
bulletin, or before the first checkpoint). A lab that opens its bulletins in order thus
always holds the old end of the proof, and can tell a log that only grew from one that
was rewritten. docs/audit-log.md describes the section and the lab's checks.
"""

from typing import Any

import orjson
from sqlmodel import col, select

from sharing.audit.row_source import RowSource, outside_transaction
from sharing.audit.stored_tree import StoredTree
from sharing.audit.tables import AuditEntry, Checkpoint
from sharing.exchange import Exchange
from sharing.store.models import Bulletin


def carried_before(source: RowSource, stream: str) -> dict[str, Any] | None:
    """The checkpoint (size, hex root) the stream's latest recorded bulletin carried."""
    last = source.select(
        select(Bulletin.sha256).where(Bulletin.stream == stream).order_by(col(Bulletin.seq).desc())
    )
    if not last:
        return None
    details = source.select(
        select(AuditEntry.details)
        .where(AuditEntry.action == "bulletin-issued", AuditEntry.object_sha256 == last[0][0])
        .order_by(col(AuditEntry.idx).desc())
    )
    carried = orjson.loads(details[0][0]).get("checkpoint") if details else None
    return carried if isinstance(carried, dict) else None


def log_section(exchange: Exchange, stream: str, bulletin_id: str) -> dict[str, Any] | None:
    """The `log` member of the body of bulletin `bulletin_id` in `stream`, or None before
    the first checkpoint. Remembers what it shows, for the bulletin-issued entry.

    It reads outside any transaction: it runs while the issuing one holds the write lock."""
    with outside_transaction(exchange.engine) as source:
        latest = source.select(
            select(Checkpoint.size, Checkpoint.root, Checkpoint.note)
            .order_by(col(Checkpoint.id).desc())
            .limit(1)
        )
        if not latest:
            return None
        size, root, note = latest[0]
        before = carried_before(source, stream)
        consistency = None
        if before is not None and 0 <= before["size"] <= size:
            proof = StoredTree(source, size).consistency_proof(before["size"])
            consistency = {"old_size": before["size"], "proof": [h.hex() for h in proof]}
    exchange.carried_checkpoints[bulletin_id] = {"size": size, "root": root}
    return {"checkpoint": note, "consistency": consistency}
