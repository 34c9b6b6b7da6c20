"""`dtix audit ...` end to end on a real federation: what each command prints, and one
clear line and exit 1 for every error a user can cause."""

import base64
import csv
import io
import json

from typer.testing import CliRunner

from sharing.audit.merkle import leaf_hash
from sharing.audit.proofs import verify_consistency, verify_inclusion
from sharing.cli import app
from tests.audit.runs import run_once, run_times
from tests.audit.test_log import _tamper

runner = CliRunner()


def _run(home, *args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["audit", *args, "--home", str(home.root)])


def test_verify_checkpoint_and_log_key(home) -> None:  # type: ignore[no-untyped-def]
    run_times(home, 2)
    verified = _run(home, "verify")
    assert verified.exit_code == 0, verified.output
    assert "2 checkpoints" in verified.stdout
    note = _run(home, "checkpoint").stdout
    assert note.startswith("dtix.local/dtix/audit\n") and "\n\n\u2014 " in note
    key = _run(home, "log-key").stdout.strip().splitlines()[0]
    name, key_hash, encoded = key.split("+", 2)  # standard base64 may itself hold a '+'
    assert name == "dtix.local/dtix/audit" and len(bytes.fromhex(key_hash)) == 4
    assert len(base64.b64decode(encoded, validate=True)) == 33  # 0x01 (Ed25519) + the key


def test_export_prove_and_consistency_agree(home, tmp_path) -> None:  # type: ignore[no-untyped-def]
    run_once(home, 0)
    first = json.loads(_run(home, "consistency", "--from", "0").stdout)
    run_times(home, 3)
    out = tmp_path / "log.jsonl"
    exported = _run(home, "export", "--out", str(out))
    assert exported.exit_code == 0 and "entries exported" in exported.stderr
    leaves = out.read_bytes().splitlines()
    assert _run(home, "export").stdout_bytes.splitlines() == leaves
    proof = json.loads(_run(home, "prove", "--index", "3").stdout)
    path, root = [bytes.fromhex(h) for h in proof["path"]], bytes.fromhex(proof["root"])
    assert proof["size"] == len(leaves)
    assert verify_inclusion(leaf_hash(leaves[3]), 3, proof["size"], path, root)
    old = first["new_size"]
    answer = json.loads(_run(home, "consistency", "--from", str(old)).stdout)
    hashes = [bytes.fromhex(h) for h in answer["proof"]]
    assert verify_consistency(old, len(leaves), bytes.fromhex(first["new_root"]), root, hashes)


def test_shared_in_each_format(home) -> None:  # type: ignore[no-untyped-def]
    run_times(home, 2)
    rows = json.loads(_run(home, "shared", "--with", "openai", "--format", "json").stdout)
    assert [(r["recipient"], r["seq"], r["indicators"]) for r in rows] == [
        ("openai", 1, 1),
        ("openai", 2, 1),
    ]
    picked = _run(home, "shared", "--indicator", "domain:FARM1.proxyhydra.net", "--format", "csv")
    [row] = list(csv.DictReader(io.StringIO(picked.stdout)))
    assert row["seq"] == "2" and row["kind"] == "bulletin"
    table = _run(home, "shared", "--since", "2026-11-23T10:30:00Z")
    assert table.exit_code == 0 and "openai" in table.stdout and "(1 items)" in table.stdout


def test_report_is_written(home, tmp_path) -> None:  # type: ignore[no-untyped-def]
    run_times(home, 1)
    result = _run(home, "report", "--out", str(tmp_path / "r.html"))
    assert result.exit_code == 0, result.output
    assert "<svg" in (tmp_path / "r.html").read_text("utf-8")


def _one_line_error(result, text: str) -> None:  # type: ignore[no-untyped-def]
    assert result.exit_code == 1
    assert text in result.output and "Traceback" not in result.output


def test_errors_are_one_line(home, tmp_path) -> None:  # type: ignore[no-untyped-def]
    _one_line_error(_run(home, "prove", "--index", "0"), "no checkpoint yet")
    _one_line_error(_run(home, "checkpoint"), "no checkpoint yet")
    _one_line_error(_run(home, "report", "--out", str(tmp_path / "r.html")), "no checkpoint yet")
    run_times(home, 1)
    _one_line_error(_run(home, "prove", "--index", "999"), "entry 999 is not in the signed tree")
    _one_line_error(_run(home, "consistency", "--from", "999"), "old size 999")
    _one_line_error(_run(home, "shared", "--with", "nobody"), "unknown participant 'nobody'")
    _one_line_error(_run(home, "shared", "--since", "yesterday"), "--since 'yesterday'")
    _one_line_error(_run(home, "shared", "--indicator", "nonsense"), "not TYPE:VALUE")
    bad_format = _run(home, "shared", "--format", "xml")
    assert bad_format.exit_code != 0 and "--format" in bad_format.output


def test_verify_names_the_tampered_entry(home) -> None:  # type: ignore[no-untyped-def]
    from sharing.exchange import Exchange
    from tests.audit.runs import at

    run_times(home, 1)
    engine = Exchange.open(home.root, now=at(0)).engine
    _tamper(engine, "UPDATE audit_entry SET actor = 'mallory' WHERE idx = 2")
    _one_line_error(_run(home, "verify"), "audit entry 2: leaf does not match its columns")
