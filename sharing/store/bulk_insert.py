"""Many rows into one table at once, the way each database takes them fastest: COPY on
PostgreSQL (one stream instead of a statement per row), a multi-row executemany on SQLite.

The rows join the caller's transaction; nothing is returned, so callers that need the ids
of new rows read them back by a key of their own.
"""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Table, insert


def insert_rows(connection: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert `rows` (dicts with the same keys, columns of `table`) into `table`."""
    if not rows:
        return
    if connection.dialect.name != "postgresql":
        connection.execute(insert(table), list(rows))
        return
    columns = list(rows[0])
    names = ", ".join(table.c[name].name for name in columns)
    driver = connection.connection.driver_connection
    assert driver is not None  # a live connection in the caller's transaction
    with driver.cursor() as cursor, cursor.copy(f"COPY {table.name} ({names}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([row[name] for name in columns])
