"""`dtix db upgrade | current | history`: what a person sees, and each error as one line."""

from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from sharing.cli import app
from sharing.home import Home
from sharing.store.engine import make_engine
from sharing.store.schema import VERSION_TABLE, upgrade_schema
from tests.store.old_stores import make_store_the_old_way, put_rows, rows_survived

runner = CliRunner()


def _run(home: Home, *args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["db", *args, "--home", str(home.root)])


def _one_line_error(result) -> str:  # type: ignore[no-untyped-def]
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    return " ".join(result.output.split())


def test_upgrade_creates_the_schema_then_has_nothing_to_do(hub_home: Home) -> None:
    assert "none: the store is empty" in _run(hub_home, "current").output
    result = _run(hub_home, "upgrade")
    assert result.exit_code == 0, result.output
    assert "created the store's schema at 0002" in result.output
    assert "0002, the newest revision: nothing to do" in _run(hub_home, "upgrade").output
    assert _run(hub_home, "current").output.strip() == "0002 (head)"
    lines = _run(hub_home, "history").output.splitlines()
    assert lines[0].startswith("0001  The hub's store") and lines[0].endswith(
        "before schema revisions"
    )
    assert lines[1] == "0002  The TAXII 2.1 server's and collector's tables (head, current)"


def test_a_store_made_before_revisions_is_shown_then_upgraded(hub_home: Home) -> None:
    engine = make_engine(hub_home.database_url)
    make_store_the_old_way(engine, with_taxii=False)
    put_rows(engine)
    result = _run(hub_home, "current")
    assert "none: the store predates schema revisions and matches 0001" in result.output
    result = _run(hub_home, "upgrade")
    assert result.exit_code == 0, result.output
    assert "matches 0001: stamped it, and upgraded it to 0002" in result.output
    assert _run(hub_home, "current").output.strip() == "0002 (head)"
    assert rows_survived(engine)
    engine.dispose()


def test_a_store_made_by_todays_create_all_is_only_stamped(hub_home: Home) -> None:
    engine = make_engine(hub_home.database_url)
    make_store_the_old_way(engine, with_taxii=True)
    engine.dispose()
    assert "matches 0002 (run dtix db upgrade)" in _run(hub_home, "current").output
    result = _run(hub_home, "upgrade")
    assert (
        result.output.strip() == "the store predates schema revisions and matches 0002: stamped it"
    )


def test_an_older_revision_is_named_by_current(hub_home: Home) -> None:
    from alembic import command

    from sharing.store.schema import alembic_config, migrating

    engine = make_engine(hub_home.database_url)
    upgrade_schema(engine)
    with migrating(engine) as conn:
        command.downgrade(alembic_config(conn), "0001")
    engine.dispose()
    assert "0001 (the newest is 0002: run dtix db upgrade)" in _run(hub_home, "current").output
    assert "upgraded the store from 0001 to 0002" in _run(hub_home, "upgrade").output


def test_a_newer_store_names_both_revisions(hub_home: Home) -> None:
    engine = make_engine(hub_home.database_url)
    upgrade_schema(engine)
    with engine.begin() as conn:
        conn.execute(text(f"UPDATE {VERSION_TABLE} SET version_num = '0107'"))
    engine.dispose()
    for command in ("upgrade", "current", "history"):
        message = _one_line_error(_run(hub_home, command))
        assert "dtix: error: the store at" in message
        assert "schema revision 0107" in message and "its newest is 0002" in message


def test_an_unreachable_database_is_named_without_a_password(
    home: Home, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DTIX_DATABASE_URL", "postgresql+psycopg://dtix:s3cret@127.0.0.1:1/store")
    for command in ("upgrade", "current"):
        message = _one_line_error(_run(home, command))
        assert (
            "cannot reach the store database postgresql+psycopg://dtix:***@127.0.0.1:1/store"
            in (message)
        )
        assert "s3cret" not in message


def test_a_url_dtix_cannot_use_is_named(home: Home, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DTIX_DATABASE_URL", "mystery://127.0.0.1/store")
    message = _one_line_error(_run(home, "upgrade"))
    assert "cannot use the store database URL mystery://127.0.0.1/store" in message


def test_a_folder_without_a_federation_is_refused(tmp_path: Path) -> None:
    message = _one_line_error(_run(Home(tmp_path / "nowhere"), "upgrade"))
    assert "no federation at" in message and "dtix init" in message
    assert not (tmp_path / "nowhere").exists()
