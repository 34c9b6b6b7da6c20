"""The store's schema version: bring any dtix database to the newest revision.

Revisions live in sharing/store/migrations (alembic). An up-to-date store costs one query;
a store that dtix made before revisions existed (by create_all) is recognised, stamped at the
revision its tables match, then upgraded.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import MetaData, inspect, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import OperationalError

from sharing.errors import DtixError

if TYPE_CHECKING:
    from alembic.config import Config

HEAD_REVISION = "0002"  # the newest file in migrations/versions (a test keeps them equal)
# Not alembic's default name: a Prefect server (or any other alembic user) may share the schema.
VERSION_TABLE = "dtix_schema_version"
MIGRATIONS_DIR = Path(__file__).with_name("migrations")
_SCHEMA_LOCK = int.from_bytes(b"dtixschm")  # PostgreSQL advisory lock: one upgrader at a time

# What create_all made before revisions existed: the tables of 0001, and those 0002 added.
_BASELINE_TABLES = frozenset(
    {
        "audit_checkpoint",
        "audit_entry",
        "audit_tile",
        "bulletin",
        "bulletin_item",
        "contribution",
        "delivery",
        "held_item",
        "indicator",
        "participant",
        "quarantined_record",
        "screened_indicator",
        "submission",
    }
)
_TAXII_TABLES = frozenset({"taxii_api_token", "taxii_cursor", "taxii_status"})


class StoreError(DtixError):
    """The store's database cannot be reached, or not brought to this dtix's schema."""


@dataclass(frozen=True)
class SchemaState:
    """Where a store stands: its recorded revision, or for a store made before revisions,
    the revision its tables match (None for both: an empty store)."""

    revision: str | None
    unversioned_match: str | None = None

    @property
    def at_head(self) -> bool:
        return self.revision == HEAD_REVISION


@dataclass(frozen=True)
class SchemaUpgrade:
    """What `upgrade_schema` did: the state it found and the revision it left."""

    before: SchemaState
    after: str

    @property
    def changed(self) -> bool:
        return self.before.revision != self.after


@dataclass(frozen=True)
class Revision:
    """One schema revision, as its file in migrations/versions describes it."""

    id: str
    down: str | None
    title: str


def upgrade_schema(engine: Engine) -> SchemaUpgrade:
    """Bring the store to HEAD_REVISION. At head this is one query; otherwise the upgrade
    runs in one transaction (see `migrating`)."""
    if _recorded_revisions(engine) == (HEAD_REVISION,):
        return SchemaUpgrade(SchemaState(HEAD_REVISION), HEAD_REVISION)
    from alembic import command

    with migrating(engine) as conn:
        before = _state(conn)
        config = alembic_config(conn)
        if before.revision is None and before.unversioned_match is not None:
            command.stamp(config, before.unversioned_match)
        if before.revision != HEAD_REVISION:
            command.upgrade(config, "head")
    return SchemaUpgrade(before, HEAD_REVISION)


@contextmanager
def migrating(engine: Engine) -> Iterator[Connection]:
    """A connection inside the one transaction that changes the schema. On PostgreSQL it
    holds an advisory lock and on SQLite the write lock (BEGIN IMMEDIATE), so processes that
    open a fresh store at once take turns. On SQLite, foreign keys are off meanwhile, as a
    batch operation rebuilds a table by copying it and dropping the old one, and are checked
    before the transaction commits."""
    with _connected(engine) as conn:
        sqlite = conn.dialect.name == "sqlite"
        if sqlite:
            _sqlite_foreign_keys(conn, "OFF")
        try:
            with conn.begin():
                if conn.dialect.name == "postgresql":
                    conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _SCHEMA_LOCK})
                yield conn
                if sqlite and (broken := conn.exec_driver_sql("PRAGMA foreign_key_check").all()):
                    raise StoreError(
                        f"a schema change of the store at {_where(conn)} left rows whose "
                        f"foreign keys point nowhere (table, rowid, parent): {broken[:5]}"
                    )
        finally:
            if sqlite and not conn.invalidated:
                _sqlite_foreign_keys(conn, "ON")


def schema_state(engine: Engine) -> SchemaState:
    """The store's revision without changing anything (`dtix db current`)."""
    with _connected(engine) as conn, conn.begin():
        return _state(conn)


def revision_history() -> list[Revision]:
    """Every revision this dtix knows, oldest first."""
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(alembic_config())
    found = [
        Revision(s.revision, s.down_revision, " ".join(s.doc.split()))  # type: ignore[arg-type]
        for s in scripts.walk_revisions()
    ]
    return found[::-1]


def alembic_config(connection: Connection | None = None) -> "Config":
    """Alembic's configuration for the store, built in code (dtix ships no alembic.ini).
    Commands given this config run on `connection`, inside its transaction."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR).replace("%", "%%"))
    config.set_main_option("file_template", "%%(rev)s_%%(slug)s")
    config.attributes["connection"] = connection
    return config


def store_metadata() -> MetaData:
    """The metadata of every table dtix's models describe: what head must match."""
    from sqlmodel import SQLModel

    import sharing.audit.tables
    import sharing.store.models
    import sharing.store.taxii_tables  # noqa: F401

    return SQLModel.metadata


def _recorded_revisions(engine: Engine) -> tuple[str, ...] | None:
    """The version table's rows in one query, or None when the store has no version table.
    It reads through the driver's own connection so that on SQLite it takes no write lock
    (the engine begins every transaction with BEGIN IMMEDIATE)."""
    raw = _connect(engine, engine.raw_connection)
    try:
        cursor = raw.cursor()
        try:
            cursor.execute(f"SELECT version_num FROM {VERSION_TABLE}")
            return tuple(sorted(row[0] for row in cursor.fetchall()))
        except engine.dialect.loaded_dbapi.Error:
            return None
        finally:
            cursor.close()
    finally:
        raw.close()  # back to the pool, which rolls back what PostgreSQL began


def _sqlite_foreign_keys(conn: Connection, setting: str) -> None:
    """Set PRAGMA foreign_keys, which SQLite ignores inside a transaction, through the driver's
    connection: the engine's own statements would begin one first."""
    driver: Any = conn.connection.dbapi_connection
    driver.execute(f"PRAGMA foreign_keys={setting}")


def _state(conn: Connection) -> SchemaState:
    tables = set(inspect(conn).get_table_names())
    if VERSION_TABLE in tables:
        rows = conn.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalars().all()
        revision = _known_revision(conn, rows)
        return SchemaState(revision)
    return SchemaState(None, _unversioned_match(conn, tables))


def _known_revision(conn: Connection, rows: Any) -> str | None:
    """The single recorded revision, which must be one this dtix knows."""
    if not rows:
        return None
    known = {r.id for r in revision_history()}
    if len(rows) > 1 or rows[0] not in known:
        raise StoreError(
            f"the store at {_where(conn)} is at schema revision {', '.join(sorted(rows))}, "
            f"which this dtix does not know (its newest is {HEAD_REVISION}): the store was "
            "upgraded by a newer dtix; run that version"
        )
    return str(rows[0])


def _unversioned_match(conn: Connection, tables: set[str]) -> str | None:
    """The revision whose tables a store made before revisions has, or None when it has
    none of dtix's tables (an empty store)."""
    if not tables & (_BASELINE_TABLES | _TAXII_TABLES):
        return None
    expected = _BASELINE_TABLES | (_TAXII_TABLES if tables & _TAXII_TABLES else frozenset())
    if missing := sorted(expected - tables):
        raise StoreError(
            f"the store at {_where(conn)} has no schema revision and lacks the tables "
            f"{', '.join(missing)}: it matches no revision this dtix knows"
        )
    return "0002" if tables & _TAXII_TABLES else "0001"


@contextmanager
def _connected(engine: Engine) -> Iterator[Connection]:
    with _connect(engine, engine.connect) as conn:
        yield conn


def _connect(engine: Engine, connect: Any) -> Any:
    """`connect()`, with an unreachable database reported as a dtix error naming it."""
    try:
        return connect()
    except (OperationalError, engine.dialect.loaded_dbapi.OperationalError) as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        raise StoreError(f"cannot reach the store database {_where(engine)}: {reason}") from None


def _where(bind: Engine | Connection) -> str:
    return bind.engine.url.render_as_string(hide_password=True)
