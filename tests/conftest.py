"""Shared fixtures: a database engine on SQLite and, when configured, on PostgreSQL."""

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
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


@contextmanager
def fresh_store(database: str, tmp_path: Path, *, with_schema: bool = True) -> Iterator[Engine]:
    """An empty store on `database` ("sqlite" or "postgres"), with dtix's schema unless
    told otherwise; a PostgreSQL one lives in a schema of its own, dropped at the end."""
    if database == "sqlite":
        eng = make_engine(f"sqlite:///{tmp_path / 'store.db'}")
    elif not POSTGRES_URL:
        pytest.skip("DTIX_TEST_POSTGRES_URL is not set")
    else:
        schema = f"dtix_test_{uuid.uuid4().hex[:12]}"
        eng = _postgres_engine(schema)
    try:
        if with_schema:
            create_schema(eng)
        yield eng
    finally:
        eng.dispose()
        if database != "sqlite":
            _drop_postgres_schema(schema)


@pytest.fixture(params=DATABASES)
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A fresh, empty store with dtix's schema, once on SQLite and once on PostgreSQL."""
    with fresh_store(request.param, tmp_path) as eng:
        yield eng


@contextmanager
def postgres_store(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """DTIX_DATABASE_URL set to a PostgreSQL schema of its own, dropped at the end."""
    assert POSTGRES_URL
    schema = f"dtix_test_{uuid.uuid4().hex[:12]}"
    _postgres_engine(schema).dispose()
    sep = "&" if "?" in POSTGRES_URL else "?"
    monkeypatch.setenv("DTIX_DATABASE_URL", f"{POSTGRES_URL}{sep}options=-csearch_path%3D{schema}")
    try:
        yield schema
    finally:
        from sharing.exchange import forget_engines

        forget_engines()
        _drop_postgres_schema(schema)


def fast_argon2():  # type: ignore[no-untyped-def]
    """Cheap key-derivation parameters: the tests check behaviour, not brute-force cost."""
    from sharing.crypto.keystore import Argon2Params

    return Argon2Params(memory_cost=1024, iterations=1, lanes=1)


NOW = datetime(2026, 11, 23, 10, 0, 0, tzinfo=UTC)


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """A founded federation (hub + anthropic, openai, google) on SQLite in a temporary folder."""
    from sharing.founding import found_federation
    from sharing.home import Home

    monkeypatch.setenv("DTIX_PASSPHRASE", "correct horse battery staple")
    monkeypatch.delenv("DTIX_DATABASE_URL", raising=False)
    monkeypatch.delenv("DTIX_HOME", raising=False)
    where = Home(tmp_path / "fed")
    found_federation(where, now=NOW, argon2=fast_argon2())
    _allow_documentation_values(where)
    return where


def _allow_documentation_values(home) -> None:  # type: ignore[no-untyped-def]
    """Tests use documentation addresses and names (RFC 5737, RFC 2606), which the shipped
    `documentation` warninglist screens out; this federation replaces that one list, as any
    federation may (see docs/warninglists.md). Screening itself is tested with the shipped lists."""
    home.warninglists_dir.mkdir(exist_ok=True)
    (home.warninglists_dir / "documentation.toml").write_text(
        'name = "documentation"\n'
        'description = "Replaced in tests: documentation values pass."\n'
        'source = "tests/conftest.py"\n'
        'networks = ["255.255.255.255/32"]\n',
        "utf-8",
    )


@pytest.fixture(params=DATABASES)
def hub_home(request: pytest.FixtureRequest, home, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """`home`, with its store on SQLite and, when configured, on PostgreSQL."""
    if request.param == "sqlite":
        yield home
        return
    if not POSTGRES_URL:
        pytest.skip("DTIX_TEST_POSTGRES_URL is not set")
    with postgres_store(monkeypatch):
        yield home


def write_feed(path: Path, records: list[dict]) -> Path:  # type: ignore[type-arg]
    """A JSON Lines submission made of `records` (dicts are dumped; strings written raw)."""
    import json

    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [r if isinstance(r, str) else json.dumps(r) for r in records]
    path.write_text("".join(line + "\n" for line in lines), "utf-8")
    return path
