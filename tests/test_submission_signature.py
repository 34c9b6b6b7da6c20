"""Signed submissions: a lab signs, the hub checks name, size, digest and key, strict or not."""

import json
from pathlib import Path

import pytest

from sharing.cli import app
from sharing.federation import load_federation
from sharing.key_lifecycle import revoke_key, rotate_keys
from sharing.keyring import load_private_keys
from sharing.submission_signature import (
    SubmissionRefused,
    file_sha256,
    sidecar_path,
    sign_submission,
    verify_submission,
)
from sharing.submitting import submit_file
from tests.conftest import NOW, fast_argon2

LINES = b'{"type": "ipv4", "value": "45.155.205.1", "seen": "2026-11-20T10:00:00Z"}\n'


def _submitted(home, tmp_path: Path, lab: str = "anthropic") -> Path:  # type: ignore[no-untyped-def]
    source = tmp_path / "feed.jsonl"
    source.write_bytes(LINES)
    return submit_file(home, lab, source).path


def _verify(home, path: Path, lab: str = "anthropic", *, strict: bool = True) -> str | None:  # type: ignore[no-untyped-def]
    federation = load_federation(home)
    return verify_submission(federation, lab, path, file_sha256(path), strict=strict, now=NOW)


def test_a_submitted_file_is_signed_and_verifies(home, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = _submitted(home, tmp_path)
    assert path.parent.name == "anthropic" and path.read_bytes() == LINES
    assert sidecar_path(path).is_file() and not list(path.parent.glob(".*"))
    kid = load_federation(home).lab("anthropic").active_key("sign").kid
    assert _verify(home, path) == kid
    envelope = json.loads(sidecar_path(path).read_text())
    assert envelope["payloadType"] == "application/vnd.dtix.submission+json"
    assert len(envelope["payload"]) < 400  # the statement, never the file


def test_unsigned_is_refused_only_in_strict_mode(home, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = _submitted(home, tmp_path)
    sidecar_path(path).unlink()
    assert _verify(home, path, strict=False) is None
    with pytest.raises(SubmissionRefused, match="unsigned"):
        _verify(home, path)


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda p: p.write_bytes(LINES + LINES), "another file"),
        (lambda p: p.write_bytes(LINES.replace(b"1", b"2")), "another file"),
        (lambda p: p.rename(p.with_name("other.jsonl")), "another file"),
    ],
    ids=["longer", "same-size", "renamed"],
)
def test_a_changed_or_renamed_file_is_refused(home, tmp_path, change, reason) -> None:  # type: ignore[no-untyped-def]
    path = _submitted(home, tmp_path)
    change(path)
    if not path.exists():
        sidecar_path(path).rename(sidecar_path(path.with_name("other.jsonl")))
        path = path.with_name("other.jsonl")
    with pytest.raises(SubmissionRefused, match=reason):
        _verify(home, path)


def test_another_labs_signature_is_refused(home, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = _submitted(home, tmp_path)
    sign_submission(load_private_keys(home, "openai"), "anthropic", path)
    with pytest.raises(SubmissionRefused, match="bad signature"):
        _verify(home, path)


def test_a_tampered_or_broken_sidecar_is_refused(home, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = _submitted(home, tmp_path)
    sidecar = sidecar_path(path)
    envelope = json.loads(sidecar.read_text())
    sig = envelope["signatures"][0]["sig"]
    envelope["signatures"][0]["sig"] = ("B" if sig[0] == "A" else "A") + sig[1:]
    sidecar.write_text(json.dumps(envelope))
    with pytest.raises(SubmissionRefused, match="does not verify"):
        _verify(home, path)
    sidecar.write_text("{not json")
    with pytest.raises(SubmissionRefused, match="not JSON"):
        _verify(home, path)


def test_rotated_keys_still_verify_and_revoked_keys_do_not(home, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = _submitted(home, tmp_path)
    old = load_federation(home).lab("anthropic").active_key("sign").kid
    rotate_keys(home, "anthropic", now=NOW, argon2=fast_argon2())
    assert _verify(home, path) == old
    revoke_key(home, old, now=NOW, argon2=fast_argon2())
    with pytest.raises(SubmissionRefused, match="revoked key"):
        _verify(home, path)


def test_submit_refuses_what_would_not_be_collected(home, tmp_path) -> None:  # type: ignore[no-untyped-def]
    other = tmp_path / "feed.csv"
    other.write_text("x")
    from sharing.errors import InputError

    with pytest.raises(InputError, match=r"only \.jsonl"):
        submit_file(home, "anthropic", other)
    _submitted(home, tmp_path)
    with pytest.raises(InputError, match="already exists"):
        _submitted(home, tmp_path)


def test_the_submit_command(home, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from typer.testing import CliRunner

    source = tmp_path / "lab.jsonl"
    source.write_bytes(LINES)
    result = CliRunner().invoke(
        app, ["submit", str(source), "--as", "openai", "--home", str(home.root)]
    )
    assert result.exit_code == 0, result.output
    assert "signed by" in result.output
    path = load_federation(home).lab("openai")
    assert _verify(home, home.root / path.inbox / "lab.jsonl", "openai")
    result = CliRunner().invoke(
        app, ["submit", str(source), "--as", "hub", "--home", str(home.root)]
    )
    assert result.exit_code == 1 and "not a lab" in result.output
