"""The audit log's tables, and the triggers that make them append-only on SQLite and on
PostgreSQL. The leaf an entry's columns describe is sharing.audit.leaf."""

from sqlalchemy import Column, Integer, LargeBinary, Text, text
from sqlalchemy.engine import Engine
from sqlmodel import Field, SQLModel

from sharing.audit.leaf import stored_leaf
from sharing.store.engine import on_create_schema

TABLES = ("audit_entry", "audit_checkpoint", "audit_tile")
APPEND_LOCK = int.from_bytes(b"dtixaudt")  # PostgreSQL advisory lock: one appender at a time
_SCHEMA_LOCK = int.from_bytes(b"dtixschm")


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


_SQLITE_TRIGGER = """CREATE TRIGGER IF NOT EXISTS {table}_no_{name} BEFORE {verb} ON {table}
BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"""

_PG_FUNCTION = """CREATE OR REPLACE FUNCTION dtix_audit_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END
$$"""

_PG_TRIGGERS = (
    ("no_change", "BEFORE UPDATE OR DELETE", "FOR EACH ROW"),
    ("no_truncate", "BEFORE TRUNCATE", "FOR EACH STATEMENT"),
)


@on_create_schema
def install_append_only_triggers(engine: Engine) -> None:
    """Refuse UPDATE and DELETE (and TRUNCATE on PostgreSQL) on the audit tables, so that
    rewriting history takes dropping a trigger first. Idempotent."""
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _SCHEMA_LOCK})
            conn.execute(text(_PG_FUNCTION))
            for table in TABLES:
                for name, when, each in _PG_TRIGGERS:
                    trigger = f"{table}_{name}"
                    conn.execute(text(f"DROP TRIGGER IF EXISTS {trigger} ON {table}"))
                    conn.execute(
                        text(
                            f"CREATE TRIGGER {trigger} {when} ON {table} {each} "
                            "EXECUTE FUNCTION dtix_audit_append_only()"
                        )
                    )
        elif engine.dialect.name == "sqlite":
            for table in TABLES:
                for verb in ("UPDATE", "DELETE"):
                    sql = _SQLITE_TRIGGER.format(table=table, verb=verb, name=verb.lower())
                    conn.execute(text(sql))
        else:
            raise NotImplementedError(f"no append-only triggers for {engine.dialect.name}")
