"""Schema revisions: any store, empty, made before revisions or current, ends at head with
exactly the schema the models describe, on SQLite and on PostgreSQL."""

import multiprocessing
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.operations import Operations
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine

from sharing.store.engine import create_schema, make_engine
from sharing.store.schema import (
    HEAD_REVISION,
    VERSION_TABLE,
    StoreError,
    alembic_config,
    migrating,
    revision_history,
    schema_state,
    store_metadata,
    upgrade_schema,
)
from tests.conftest import (
    DATABASES,
    fresh_store,
)
from tests.store.old_stores import TAXII_TABLES, make_store_the_old_way, put_rows, rows_survived


@pytest.fixture(params=DATABASES)
def empty_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A database with no tables at all, on SQLite and (when configured) PostgreSQL."""
    with fresh_store(request.param, tmp_path, with_schema=False) as engine:
        yield engine


def _differences(engine: Engine) -> list[object]:
    """What separates the store from the models, as alembic's autogenerate sees it."""
    with engine.connect() as conn:
        migration = MigrationContext.configure(conn, opts={"version_table": VERSION_TABLE})
        return list(compare_metadata(migration, store_metadata()))


def _triggers(engine: Engine) -> set[str]:
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            query = "SELECT name FROM sqlite_master WHERE type = 'trigger'"
        else:
            query = (
                "SELECT t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE NOT t.tgisinternal AND c.relnamespace = current_schema()::regnamespace"
            )
        return set(conn.execute(text(query)).scalars())


def _expected_triggers(engine: Engine) -> set[str]:
    tables = ("audit_entry", "audit_checkpoint", "audit_tile")
    names = ("no_update", "no_delete") if engine.dialect.name == "sqlite" else ("no_change",)
    names += () if engine.dialect.name == "sqlite" else ("no_truncate",)
    return {f"{table}_{name}" for table in tables for name in names}


def _recorded(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return list(conn.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalars())


def test_head_names_the_newest_revision_file() -> None:
    scripts = ScriptDirectory.from_config(alembic_config())
    assert scripts.get_heads() == [HEAD_REVISION]
    assert [r.id for r in revision_history()] == ["0001", "0002"]
    assert revision_history()[1].down == "0001"


def test_an_empty_store_gets_exactly_the_models_schema(empty_store: Engine) -> None:
    done = upgrade_schema(empty_store)
    assert done.before.revision is None and done.before.unversioned_match is None
    assert done.after == HEAD_REVISION and done.changed
    assert _differences(empty_store) == []
    assert _triggers(empty_store) == _expected_triggers(empty_store)
    assert _recorded(empty_store) == [HEAD_REVISION]


def test_the_version_table_lives_in_the_connections_schema(empty_store: Engine) -> None:
    upgrade_schema(empty_store)
    with empty_store.connect() as conn:
        if empty_store.dialect.name == "postgresql":
            schema = conn.execute(text("SELECT current_schema()")).scalar_one()
            assert schema.startswith("dtix_test_")
            holders = conn.execute(
                text(
                    "SELECT table_schema FROM information_schema.tables "
                    "WHERE table_name = :t AND table_schema IN (:here, 'public')"
                ),
                {"t": VERSION_TABLE, "here": schema},
            ).scalars()
            assert list(holders) == [schema]
        assert VERSION_TABLE in inspect(conn).get_table_names()


def test_another_applications_alembic_version_table_is_left_alone(empty_store: Engine) -> None:
    with empty_store.begin() as conn:
        conn.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)"))
        conn.execute(text("INSERT INTO alembic_version VALUES ('3c0ffee')"))
    assert upgrade_schema(empty_store).before.revision is None
    assert _recorded(empty_store) == [HEAD_REVISION]
    with empty_store.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).all() == [("3c0ffee",)]


def test_a_store_made_before_revisions_is_stamped_then_upgraded(empty_store: Engine) -> None:
    make_store_the_old_way(empty_store, with_taxii=False)
    put_rows(empty_store)
    assert schema_state(empty_store).unversioned_match == "0001"
    done = upgrade_schema(empty_store)
    assert done.before.revision is None and done.before.unversioned_match == "0001"
    assert _recorded(empty_store) == [HEAD_REVISION]
    assert set(TAXII_TABLES) <= set(inspect(empty_store).get_table_names())
    assert rows_survived(empty_store)
    assert _differences(empty_store) == []
    assert _triggers(empty_store) == _expected_triggers(empty_store)


def test_a_store_made_by_todays_create_all_is_stamped_at_head(empty_store: Engine) -> None:
    make_store_the_old_way(empty_store, with_taxii=True)
    put_rows(empty_store)
    done = upgrade_schema(empty_store)
    assert done.before.unversioned_match == HEAD_REVISION and done.after == HEAD_REVISION
    assert _recorded(empty_store) == [HEAD_REVISION]
    assert rows_survived(empty_store)
    assert _differences(empty_store) == []


def test_upgrading_twice_changes_nothing(empty_store: Engine) -> None:
    upgrade_schema(empty_store)
    put_rows(empty_store)
    tables = set(inspect(empty_store).get_table_names())
    again = upgrade_schema(empty_store)
    assert again.before.revision == HEAD_REVISION and not again.changed
    create_schema(empty_store)
    assert set(inspect(empty_store).get_table_names()) == tables
    assert _recorded(empty_store) == [HEAD_REVISION]
    assert rows_survived(empty_store)


def test_an_older_revision_is_upgraded_and_keeps_its_rows(empty_store: Engine) -> None:
    from alembic import command

    upgrade_schema(empty_store)
    put_rows(empty_store)
    with migrating(empty_store) as conn:
        command.downgrade(alembic_config(conn), "0001")
    assert schema_state(empty_store).revision == "0001"
    assert not set(TAXII_TABLES) & set(inspect(empty_store).get_table_names())
    done = upgrade_schema(empty_store)
    assert done.before.revision == "0001" and done.after == HEAD_REVISION
    assert rows_survived(empty_store)
    assert _differences(empty_store) == []


def test_a_table_others_refer_to_can_be_rebuilt_in_batch_mode(empty_store: Engine) -> None:
    upgrade_schema(empty_store)
    put_rows(empty_store)
    with migrating(empty_store) as conn:
        ops = Operations(MigrationContext.configure(conn))
        with ops.batch_alter_table("participant") as batch:  # SQLite copies the table
            batch.alter_column("name", existing_type=sa.String(), nullable=True)
    assert rows_survived(empty_store)
    columns = {c["name"]: c for c in inspect(empty_store).get_columns("participant")}
    assert columns["name"]["nullable"]
    if empty_store.dialect.name == "sqlite":
        with empty_store.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar_one() == 1


def test_sqlite_refuses_a_change_that_leaves_foreign_keys_dangling(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'store.db'}")
    upgrade_schema(engine)
    put_rows(engine)
    with pytest.raises(StoreError, match="foreign keys point nowhere"), migrating(engine) as conn:
        conn.execute(text("DELETE FROM participant"))
    assert rows_survived(engine)
    engine.dispose()


def test_a_newer_store_is_refused_naming_both_revisions(empty_store: Engine) -> None:
    upgrade_schema(empty_store)
    with empty_store.begin() as conn:
        conn.execute(text(f"UPDATE {VERSION_TABLE} SET version_num = '0099'"))
    for opening in (upgrade_schema, create_schema, schema_state):
        with pytest.raises(StoreError, match=r"revision 0099.*newest is 0002"):
            opening(empty_store)
    assert _recorded(empty_store) == ["0099"]


def test_a_store_missing_tables_of_its_revision_is_refused(empty_store: Engine) -> None:
    make_store_the_old_way(empty_store, with_taxii=False)
    with empty_store.begin() as conn:
        conn.execute(text("DROP TABLE held_item"))
    with pytest.raises(StoreError, match="lacks the tables held_item"):
        upgrade_schema(empty_store)


def test_an_unreachable_database_is_named_without_its_password() -> None:
    engine = make_engine("postgresql+psycopg://dtix:secret@127.0.0.1:1/store")
    with pytest.raises(StoreError, match=r"cannot reach .*dtix:\*\*\*@127\.0\.0\.1:1/store") as e:
        upgrade_schema(engine)
    assert "secret" not in str(e.value)


def _upgrade_in_a_process(url: str, start: Any) -> str | None:
    engine = make_engine(url)
    start.wait()
    done = upgrade_schema(engine)
    engine.dispose()
    return done.before.revision


def test_two_processes_upgrading_a_fresh_store_at_once_both_succeed(
    empty_store: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.syspath_prepend(str(Path(__file__).parents[2]))  # spawned processes import this
    url = empty_store.url.render_as_string(hide_password=False)
    spawn = multiprocessing.get_context("spawn")
    with spawn.Manager() as manager, spawn.Pool(2) as pool:
        start = manager.Barrier(2, timeout=120)
        jobs = pool.starmap_async(_upgrade_in_a_process, [(url, start), (url, start)])
        found = jobs.get(timeout=300)  # a guard against a hang, not a measure
    assert sorted(found, key=str) == sorted([None, HEAD_REVISION], key=str)
    assert _recorded(empty_store) == [HEAD_REVISION]
    assert _differences(empty_store) == []
