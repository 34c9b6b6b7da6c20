"""Database engines: SQLite with WAL under the home by default, PostgreSQL when configured.

Nothing else in dtix knows which database it runs on; dialect differences stay here.
"""

from collections.abc import Callable

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel, create_engine

SchemaHook = Callable[[Engine], None]
_schema_hooks: list[SchemaHook] = []


def on_create_schema(hook: SchemaHook) -> SchemaHook:
    """Register DDL that must run after the tables exist (triggers, for instance)."""
    _schema_hooks.append(hook)
    return hook


def make_engine(url: str) -> Engine:
    """An engine for `url`. SQLite gets WAL, a busy timeout and write transactions that
    take the lock up front (BEGIN IMMEDIATE), so concurrent writers wait instead of failing."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 60})
        _configure_sqlite(engine)
        return engine
    return create_engine(url, pool_pre_ping=True)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=60000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):  # type: ignore[no-untyped-def]
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def create_schema(engine: Engine) -> None:
    """Create every table dtix knows (idempotent), then run the registered DDL hooks."""
    import sharing.audit.tables
    import sharing.store.models
    import sharing.store.taxii_tables  # noqa: F401

    SQLModel.metadata.create_all(engine)
    for hook in _schema_hooks:
        hook(engine)
