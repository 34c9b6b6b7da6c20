"""Database engines: SQLite with WAL under the home by default, PostgreSQL when configured.

Nothing else in dtix knows which database it runs on; dialect differences stay here.
"""

import sqlite3
import time

from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError
from sqlmodel import create_engine

from sharing.store.schema import StoreError, upgrade_schema


def make_engine(url: str) -> Engine:
    """An engine for `url`. SQLite gets WAL, a busy timeout and write transactions that
    take the lock up front (BEGIN IMMEDIATE), so concurrent writers wait instead of failing."""
    try:
        if url.startswith("sqlite"):
            engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 60})
            _configure_sqlite(engine)
            return engine
        return create_engine(url, pool_pre_ping=True)
    except ArgumentError as exc:
        raise StoreError(f"cannot use the store database URL {_shown(url)}: {exc}") from None


def _shown(url: str) -> str:
    """`url` without its password, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return repr(url.split("@")[-1]) if "@" in url else repr(url)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        _use_wal(cursor)
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=60000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):  # type: ignore[no-untyped-def]
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def _use_wal(cursor: sqlite3.Cursor, attempts: int = 100) -> None:
    """Switch the file to WAL. When two processes open a new file at once, SQLite refuses one
    of them at once instead of waiting (both would wait for the other); that one tries again."""
    for attempt in range(attempts):
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or attempt == attempts - 1:
                raise
            time.sleep(0.02)


def create_schema(engine: Engine) -> None:
    """Bring the store's schema to the newest revision: create it in an empty database,
    upgrade an older one, and only check when it is current (sharing.store.schema)."""
    upgrade_schema(engine)
