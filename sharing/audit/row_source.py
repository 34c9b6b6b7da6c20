"""Rows straight from the database driver, for the reads that must be fast or lock-free.

A proof reads ~2,000 small rows, where the ORM's per-row work would triple its time; and
composing a bulletin reads the log while its issuing transaction holds SQLite's write
lock, which a second transaction would wait on forever. A `RowSource` runs SQL on a
driver cursor, either inside a session's transaction or on a connection outside any.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Executable
from sqlalchemy.engine import Dialect, Engine
from sqlmodel import Session


@dataclass(frozen=True)
class RowSource:
    cursor: Callable[[], Any]
    dialect: Dialect

    @classmethod
    def of(cls, source: "Session | RowSource") -> "RowSource":
        """`source` itself, or a source inside the session's transaction."""
        if isinstance(source, RowSource):
            return source
        conn = source.connection()
        return cls(conn.connection.driver_connection.cursor, conn.dialect)  # type: ignore[union-attr]

    def fetch(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        """All rows of `sql`, where `{p}` marks each positional parameter."""
        marker = "?" if self.dialect.paramstyle == "qmark" else "%s"
        cursor = self.cursor()
        try:
            cursor.execute(sql.format(p=marker), params)
            return cursor.fetchall()
        finally:
            cursor.close()

    def select(self, stmt: Executable) -> list[tuple[Any, ...]]:
        """All rows of a SQLAlchemy statement (compiled for this dialect on each call)."""
        compiled = stmt.compile(dialect=self.dialect)
        params = compiled.params
        if compiled.positional:
            args: Any = tuple(params[name] for name in compiled.positiontup or ())
        else:
            args = params
        cursor = self.cursor()
        try:
            cursor.execute(str(compiled), args)
            return cursor.fetchall()
        finally:
            cursor.close()


@contextmanager
def outside_transaction(engine: Engine) -> Iterator[RowSource]:
    """A source on a pooled connection in no transaction: on SQLite each statement reads
    the last committed state without taking a lock (the engine runs in autocommit)."""
    raw = engine.raw_connection()
    try:
        yield RowSource(raw.cursor, engine.dialect)
    finally:
        raw.rollback()
        raw.close()
