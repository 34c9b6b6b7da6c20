"""`dtix submit` minimizes on the lab's side: raw types become keyed hashes under the
federation secret, a file still holding personal data is refused, and nothing is left over."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sharing.cli import app
from sharing.errors import DtixError
from sharing.federation_secret import SECRET_FILE_ENV, load_federation_secret
from sharing.personal_data import keyed_hash
from sharing.submitting import submit_file
from tests.conftest import write_feed

SEEN = "2026-11-20T10:00:00Z"


def _records() -> list[dict]:
    return [
        {
            "type": "email",
            "value": "Victim@Corp.Example",
            "seen": SEEN,
            "tags": ["account-farming"],
        },
        {"type": "phone", "value": "+1 415 555 0199", "seen": SEEN},
        {"type": "card_number", "value": "4111-1111-1111-1111", "seen": SEEN},
        {"type": "api_key", "value": "sk-live-0123456789abcdefghij", "seen": SEEN},
        {"type": "ipv4", "value": "198.51.100.7", "seen": SEEN},
    ]


def test_raw_types_become_keyed_hashes_and_the_rest_is_untouched(home, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    source = write_feed(tmp_path / "feed.jsonl", _records())
    done = submit_file(home, "openai", source)
    assert done.minimized == {"api_key": 1, "card_number": 1, "email": 1, "phone": 1}
    sent = [json.loads(line) for line in done.path.read_text().splitlines()]
    secret = load_federation_secret(home)
    assert sent[0] == {
        "type": "email_hash",
        "value": keyed_hash(secret, "email", "victim@corp.example"),
        "seen": SEEN,
        "tags": ["account-farming"],
    }
    assert sent[1]["value"] == keyed_hash(secret, "phone", "+14155550199")
    assert [r["type"] for r in sent] == [
        "email_hash",
        "phone_hash",
        "payment_fingerprint",
        "api_key_fingerprint",
        "ipv4",
    ]
    text = done.path.read_text()
    for raw in ("victim@corp", "4111-1111", "4111111111111111", "sk-live", "4155550199"):
        assert raw not in text.lower()


@pytest.mark.parametrize(
    "record",
    [
        {"type": "email_hash", "value": "signup.1@mailbox.example", "seen": SEEN},
        {"type": "ipv4", "value": "198.51.100.7", "seen": SEEN, "description": "bob@x.example"},
        {"type": "email", "value": "not an address", "seen": SEEN},
    ],
)
def test_a_file_still_holding_personal_data_is_refused(home, tmp_path: Path, record: dict) -> None:  # type: ignore[no-untyped-def]
    source = write_feed(tmp_path / "feed.jsonl", [_records()[4], record])
    with pytest.raises(DtixError) as refused:
        submit_file(home, "openai", source)
    assert "feed.jsonl:2" in str(refused.value)
    assert "bob@" not in str(refused.value) and "signup.1" not in str(refused.value)
    assert list((home.root / "inbox" / "openai").iterdir()) == []  # nothing left behind


def test_without_a_secret_raw_types_cannot_be_submitted(home, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv(SECRET_FILE_ENV, str(tmp_path / "missing"))
    source = write_feed(tmp_path / "feed.jsonl", _records())
    with pytest.raises(DtixError, match="no federation secret"):
        submit_file(home, "openai", source)
    plain = write_feed(tmp_path / "plain.jsonl", _records()[4:])
    assert submit_file(home, "openai", plain).minimized == {}


def test_the_command_reports_what_it_changed(home, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    source = write_feed(tmp_path / "feed.jsonl", _records())
    result = CliRunner().invoke(
        app, ["submit", str(source), "--as", "openai", "--home", str(home.root)]
    )
    assert result.exit_code == 0, result.output
    assert "hashed 1 email record(s)" in result.output
