"""The audit log's tables; the triggers that make them append-only on SQLite and on
PostgreSQL come with the store's schema (revision 0001 in sharing/store/migrations).
The leaf an entry's columns describe is sharing.audit.leaf."""

from sqlalchemy import Column, Integer, LargeBinary, Text
from sqlmodel import Field, SQLModel

from sharing.audit.leaf import stored_leaf

TABLES = ("audit_entry", "audit_checkpoint", "audit_tile")
APPEND_LOCK = int.from_bytes(b"dtixaudt")  # PostgreSQL advisory lock: one appender at a time


class AuditEntry(SQLModel, table=True):
    """One leaf of the log. `idx` is assigned by dtix (0, 1, 2, ...), never by the database."""

    __tablename__ = "audit_entry"

    idx: int = Field(sa_column=Column(Integer, primary_key=True, autoincrement=False))
    time: str
    actor: str
    action: str = Field(index=True)
    object_sha256: str | None = None  # not indexed: random keys would halve append speed
    recipients: str = Field(default="[]", sa_type=Text)
    details: str = Field(default="{}", sa_type=Text)
    leaf: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    leaf_hash: str

    def recomputed_leaf(self) -> bytes:
        """The leaf these columns describe (see `stored_leaf`)."""
        return stored_leaf(self.model_dump())


class Checkpoint(SQLModel, table=True):
    """A signed checkpoint (C2SP signed note) of the first `size` entries."""

    __tablename__ = "audit_checkpoint"

    id: int | None = Field(default=None, primary_key=True)
    size: int
    root: str
    time: str
    note: str = Field(sa_type=Text)


class AuditTile(SQLModel, table=True):
    """The hash of the complete subtree over entries [idx * 2^level, (idx + 1) * 2^level),
    for levels 5, 10, 15, ...: derived from the entries, kept so that a proof reads a few
    hundred small rows instead of the whole log (sharing.audit.tiles)."""

    __tablename__ = "audit_tile"

    level: int = Field(sa_column=Column(Integer, primary_key=True, autoincrement=False))
    idx: int = Field(sa_column=Column(Integer, primary_key=True, autoincrement=False))
    hash: str
