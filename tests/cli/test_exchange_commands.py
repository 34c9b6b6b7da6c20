"""The `dtix` command: each user error is one clear line and a non-zero exit, no traceback."""

import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from sharing.cli import app
from sharing.collect import collect_lab
from sharing.delivery import deliver_bulletins
from sharing.exchange import Exchange
from sharing.federation import inbox_path, load_federation
from sharing.issuing import issue_bulletin
from tests.conftest import NOW, write_feed

runner = CliRunner()


def _one_bulletin(home) -> Path:  # type: ignore[no-untyped-def]
    inbox = inbox_path(home, load_federation(home).participant("google"))
    write_feed(
        inbox / "g.jsonl",
        [{"type": "domain", "value": "Signup-Farm.Example.", "seen": "2026-11-20T10:00:00Z"}],
    )
    exchange = Exchange.open(home.root, now=NOW)
    collect_lab(exchange, "google", now=NOW)
    issue_bulletin(exchange, "openai", now=NOW)
    [path] = deliver_bulletins(exchange, "openai", now=NOW)
    return path


def test_init_creates_federation_and_owner_only_keys(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("DTIX_PASSPHRASE", raising=False)
    home = tmp_path / "h"
    result = runner.invoke(app, ["init", "--home", str(home), "--labs", "lab-a,lab-b"])
    assert result.exit_code == 0, result.output
    assert "lab-a" in (home / "federation.toml").read_text()
    for name in ("hub", "lab-a", "lab-b"):
        assert (home / "keys" / f"{name}.key.json").stat().st_mode & 0o077 == 0
    assert (home / "keys" / "passphrase").stat().st_mode & 0o777 == 0o600
    again = runner.invoke(app, ["init", "--home", str(home)])
    assert again.exit_code == 1 and "already exists" in again.output


def test_open_prints_indicators_then_refuses_a_replay(home) -> None:  # type: ignore[no-untyped-def]
    path = _one_bulletin(home)
    args = ["open", str(path), "--as", "openai", "--home", str(home.root), "--format", "csv"]
    first = runner.invoke(app, args)
    assert first.exit_code == 0, first.output
    assert "domain,signup-farm.example," in first.stdout
    second = runner.invoke(app, args)
    assert second.exit_code == 1 and "replay" in second.output
    assert "Traceback" not in second.output


def test_wrong_passphrase_is_one_line(home, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    path = _one_bulletin(home)
    monkeypatch.setenv("DTIX_PASSPHRASE", "wrong")
    result = runner.invoke(app, ["open", str(path), "--as", "openai", "--home", str(home.root)])
    assert result.exit_code == 1 and "wrong passphrase" in result.output


def test_missing_home_and_missing_file_are_clear_errors(tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(app, ["collect", "--home", str(tmp_path / "nowhere")])
    assert result.exit_code == 1 and "dtix init" in result.output
    result = runner.invoke(
        app, ["open", str(tmp_path / "missing.json"), "--as", "openai", "--home", str(tmp_path)]
    )
    assert result.exit_code == 1 and "missing.json" in result.output


def test_console_script_prints_no_traceback_on_a_tampered_bulletin(home, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = _one_bulletin(home)
    tampered = tmp_path / "tampered.json"
    tampered.write_bytes(path.read_bytes().replace(b'"seq":1', b'"seq":2'))
    dtix = Path(sys.executable).parent / "dtix"
    done = subprocess.run(
        [str(dtix), "open", str(tampered), "--as", "openai", "--home", str(home.root)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr and "dtix: error:" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_collect_and_audit_verify(home) -> None:  # type: ignore[no-untyped-def]
    _one_bulletin(home)
    result = runner.invoke(app, ["audit", "verify", "--home", str(home.root)])
    assert result.exit_code == 0 and "audit log verified" in result.output


def test_audit_verify_names_a_tampered_entry(home) -> None:  # type: ignore[no-untyped-def]
    import sqlite3

    _one_bulletin(home)
    assert runner.invoke(app, ["audit", "verify", "--home", str(home.root)]).exit_code == 0
    db = sqlite3.connect(home.root / "dtix.db")
    for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
        db.execute(f'DROP TRIGGER "{name}"')
    db.execute("UPDATE audit_entry SET actor = 'mallory' WHERE idx = 2")
    db.commit()
    db.close()
    result = runner.invoke(app, ["audit", "verify", "--home", str(home.root)])
    assert result.exit_code == 1
    assert "audit entry 2" in result.output and "Traceback" not in result.output
