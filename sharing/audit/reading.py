"""Read the log back: its leaves exactly as hashed, or its entries as JSON objects.

Everything here reads the stored leaves, not the convenience columns beside them, so that
what a report says is what the tree commits to.
"""

from collections.abc import Collection, Iterator
from typing import Any, BinaryIO

import orjson
from sqlalchemy import select
from sqlmodel import Session

from sharing.audit.tables import AuditEntry
from sharing.audit.verify import BATCH


def read_leaves(
    session: Session, *, below: int | None = None, actions: Collection[str] | None = None
) -> Iterator[bytes]:
    """The stored leaves in index order (of the first `below` entries; of these actions)."""
    table = AuditEntry.__table__
    stmt = select(table.c.leaf).order_by(table.c.idx)
    if below is not None:
        stmt = stmt.where(table.c.idx < below)
    if actions is not None:
        stmt = stmt.where(table.c.action.in_(sorted(actions)))
    result = session.connection().execution_options(yield_per=BATCH).execute(stmt)
    for rows in result.partitions():
        for (leaf,) in rows:
            yield bytes(leaf)


def export_leaves(session: Session, out: BinaryIO, *, below: int | None = None) -> int:
    """Write every leaf (of the first `below` entries), one per line, in index order; how
    many. A leaf never holds a raw line feed: JSON escapes it inside strings."""
    count = 0
    for leaf in read_leaves(session, below=below):
        out.write(leaf + b"\n")
        count += 1
    return count


def read_entries(
    session: Session, *, below: int | None = None, actions: Collection[str] | None = None
) -> Iterator[dict[str, Any]]:
    """The entries (as their leaves say) in index order, of these actions if given."""
    for leaf in read_leaves(session, below=below, actions=actions):
        yield orjson.loads(leaf)
