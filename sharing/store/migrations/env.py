"""How alembic runs dtix's revisions: always on the connection sharing.store.schema passes,
inside the transaction (and lock) that `sharing.store.schema.migrating` holds."""

from typing import Any

from alembic import context
from sqlmodel.sql.sqltypes import AutoString, UTCDateTime

from sharing.store.schema import VERSION_TABLE, store_metadata


def render_item(kind: str, item: Any, _autogen: Any) -> str | bool:
    """Write SQLModel's column types as the plain SQLAlchemy types they stand for, so that a
    generated revision does not depend on dtix's models."""
    if kind == "type" and isinstance(item, AutoString):
        return "sa.String()"
    if kind == "type" and isinstance(item, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


context.configure(
    connection=context.config.attributes["connection"],
    target_metadata=store_metadata(),
    render_as_batch=True,
    render_item=render_item,
    version_table=VERSION_TABLE,
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
