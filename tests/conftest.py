"""Shared fixtures: a database engine on SQLite and, when configured, on PostgreSQL."""

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from sharing.store.engine import create_schema, make_engine

POSTGRES_URL = os.environ.get("DTIX_TEST_POSTGRES_URL")
DATABASES = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


def _postgres_engine(schema: str) -> Engine:
    assert POSTGRES_URL
    admin = make_engine(POSTGRES_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    admin.dispose()
    sep = "&" if "?" in POSTGRES_URL else "?"
    return make_engine(f"{POSTGRES_URL}{sep}options=-csearch_path%3D{schema}")


def _drop_postgres_schema(schema: str) -> None:
    assert POSTGRES_URL
    admin = make_engine(POSTGRES_URL)
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture(params=DATABASES)
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A fresh, empty store with dtix's schema, once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        eng = make_engine(f"sqlite:///{tmp_path / 'store.db'}")
        create_schema(eng)
        yield eng
        eng.dispose()
        return
    if not POSTGRES_URL:
        pytest.skip("DTIX_TEST_POSTGRES_URL is not set")
    schema = f"dtix_test_{uuid.uuid4().hex[:12]}"
    eng = _postgres_engine(schema)
    create_schema(eng)
    try:
        yield eng
    finally:
        eng.dispose()
        _drop_postgres_schema(schema)
