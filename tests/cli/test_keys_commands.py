"""`dtix keys`: rotate, revoke, list and export-private, each error one line."""

from cryptography.hazmat.primitives.serialization import load_pem_private_key
from typer.testing import CliRunner

from sharing.cli import app
from sharing.crypto import kid_for
from sharing.federation import load_federation

runner = CliRunner()


def _run(home, *args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, [*args, "--home", str(home.root)])


def test_list_shows_every_key_with_its_state(home) -> None:  # type: ignore[no-untyped-def]
    result = _run(home, "keys", "list")
    assert result.exit_code == 0, result.output
    for p in load_federation(home).participants.values():
        for key in p.keys:
            assert key.kid[:10] in result.output
    assert result.output.count("active") == 9 and "log" in result.output


def test_rotate_then_list_shows_retired_keys(home) -> None:  # type: ignore[no-untyped-def]
    old = load_federation(home).lab("openai").active_key("encrypt").kid
    result = _run(home, "keys", "rotate", "--as", "openai", "--use", "encrypt")
    assert result.exit_code == 0, result.output
    assert old in result.output
    assert load_federation(home).lab("openai").key(old).status == "retired"
    assert "retired" in _run(home, "keys", "list").output


def test_revoke_names_the_replacement(home) -> None:  # type: ignore[no-untyped-def]
    kid = load_federation(home).hub.active_key("sign").kid
    result = _run(home, "keys", "revoke", kid)
    assert result.exit_code == 0, result.output
    assert "key-revoked hub sign" in result.output
    assert load_federation(home).hub.key(kid).status == "revoked"


def test_export_private_is_encrypted_pkcs8_under_the_passphrase(home) -> None:  # type: ignore[no-untyped-def]
    result = _run(home, "keys", "export-private", "--as", "hub")
    assert result.exit_code == 0, result.output
    blocks = result.stdout.split("# ")[1:]
    assert len(blocks) == 3 and all("ENCRYPTED PRIVATE KEY" in b for b in blocks)
    hub = load_federation(home).hub
    for block in blocks:
        label, pem = block.split("\n", 1)
        key = load_pem_private_key(pem.encode(), b"correct horse battery staple")
        assert label.endswith(f"kid={kid_for(key.public_key())}")
        assert hub.key(kid_for(key.public_key())) is not None


def test_export_private_unencrypted_and_errors(home, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    result = _run(home, "keys", "export-private", "--as", "openai", "--unencrypted")
    assert result.exit_code == 0 and result.stdout.count("BEGIN PRIVATE KEY") == 2
    monkeypatch.setenv("DTIX_PASSPHRASE", "wrong")
    result = _run(home, "keys", "export-private", "--as", "openai")
    assert result.exit_code == 1
    assert "wrong passphrase for" in result.output and "Traceback" not in result.output
    assert _run(home, "keys", "export-private", "--as", "meta").exit_code == 1
    bad = _run(home, "keys", "revoke", "not-a-kid")
    assert bad.exit_code == 1 and "no participant has a key" in bad.output
    assert _run(home, "keys", "rotate", "--as", "openai", "--use", "log").exit_code == 1


def test_init_pq_founds_a_post_quantum_federation(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("DTIX_PASSPHRASE", "x")
    home = tmp_path / "pq"
    result = runner.invoke(app, ["init", "--home", str(home), "--labs", "lab-a", "--pq"])
    assert result.exit_code == 0, result.output
    text = (home / "federation.toml").read_text()
    assert "MLKEM768-X25519" in text and "ML-DSA-65" in text
