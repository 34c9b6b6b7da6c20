"""Signed receipts: a lab leaves one for each bulletin it opens; the hub checks each
against what it recorded and logs it once, acknowledged or refused with the reason."""

import base64
import hashlib
import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from sharing.acknowledging import acknowledge_receipts
from sharing.audit.reading import read_entries
from sharing.crypto import kid_for, pae, public_to_b64, sign_envelope
from sharing.encoding import canonical_json, sha256_hex
from sharing.errors import BulletinRejected
from sharing.exchange import Exchange
from sharing.federation import Federation, KeyRecord, Participant, load_federation
from sharing.inbox_claims import inbox_claims
from sharing.keyring import load_private_keys
from sharing.receipts import PAYLOAD_TYPE, read_receipt, receipt_statement, write_receipt
from sharing.receiver import receive_bulletin
from sharing.tlp import TLP
from tests.audit.runs import at, run_once


def _receipts(home) -> Path:  # type: ignore[no-untyped-def]
    return home.root / "inbox" / "openai" / "receipts"


def _logged(home, action: str) -> list[dict]:  # type: ignore[no-untyped-def, type-arg]
    exchange = Exchange.open(home.root, now=at(5))
    with exchange.session() as session:
        return list(read_entries(session, actions=[action]))


def _opened(home) -> tuple[Path, dict]:  # type: ignore[no-untyped-def, type-arg]
    [path] = run_once(home, 0)
    received = receive_bulletin(home, "openai", path.read_bytes(), now=at(1))
    return path, received.header


def test_opening_leaves_a_signed_receipt_that_the_hub_logs_once(hub_home) -> None:  # type: ignore[no-untyped-def]
    path, header = _opened(hub_home)
    [receipt_file] = _receipts(hub_home).glob("*.receipt.json")
    assert receipt_file.name == "openai-000001.receipt.json"
    receipt = read_receipt(receipt_file.read_bytes(), load_federation(hub_home), "openai")
    assert receipt.bulletin["sha256"] == sha256_hex(path.read_bytes())
    assert receipt.bulletin["id"] == header["id"]
    assert receipt.signer == load_federation(hub_home).lab("openai").active_key("sign").kid
    exchange = Exchange.open(hub_home.root, now=at(2))
    report = acknowledge_receipts(exchange, "openai", now=at(2))
    assert (report.acknowledged, report.rejected) == (1, 0)
    assert (_receipts(hub_home) / "acknowledged" / receipt_file.name).exists()
    [entry] = _logged(hub_home, "receipt-acknowledged")
    assert entry["actor"] == "openai"
    assert entry["object_sha256"] == sha256_hex(path.read_bytes())
    assert entry["details"]["receipt_sha256"] == sha256_hex(
        (_receipts(hub_home) / "acknowledged" / receipt_file.name).read_bytes()
    )
    # a crash before the file moved: the same receipt again is not logged twice
    kept = _receipts(hub_home) / "acknowledged" / receipt_file.name
    (_receipts(hub_home) / "again.receipt.json").write_bytes(kept.read_bytes())
    assert acknowledge_receipts(exchange, "openai", now=at(3)).acknowledged == 1
    assert len(_logged(hub_home, "receipt-acknowledged")) == 1


def _resign(home, statement: dict, as_: str, name: str) -> None:  # type: ignore[no-untyped-def, type-arg]
    """A receipt by `as_` saying `statement`, left in openai's folder under `name`."""
    federation = load_federation(home)
    written = write_receipt(
        home, federation, {**statement, "lab": as_}, load_private_keys(home, as_).sign
    )
    target = _receipts(home) / name
    target.parent.mkdir(parents=True, exist_ok=True)
    written.replace(target)


def _statement(home) -> dict:  # type: ignore[no-untyped-def, type-arg]
    envelope = json.loads(next(_receipts(home).glob("*.receipt.json")).read_text())
    return json.loads(base64.b64decode(envelope["payload"]))


@pytest.mark.parametrize(
    ("change", "signer", "reason"),
    [
        ({}, "anthropic", "no signature by a trusted key"),
        ({"bulletin": {"id": "nope"}}, "openai", "no bulletin nope was issued to openai"),
        ({"bulletin": {"sha256": "0" * 64}}, "openai", "the receipt's sha256 differ"),
        ({"lab": "google"}, "openai", "the receipt is by 'google'"),
    ],
)
def test_receipts_that_do_not_match_are_logged_as_refused(hub_home, change, signer, reason) -> None:  # type: ignore[no-untyped-def]
    _opened(hub_home)
    statement = _statement(hub_home)
    for file in _receipts(hub_home).glob("*.receipt.json"):
        file.unlink()
    statement = {**statement, **{k: v for k, v in change.items() if k != "bulletin"}}
    statement["bulletin"] = {**statement["bulletin"], **change.get("bulletin", {})}
    if change.get("lab"):
        key = load_private_keys(hub_home, "openai").sign
        signed = {**statement, "lab": "openai"}
        envelope = write_receipt(hub_home, load_federation(hub_home), signed, key)
        doc = json.loads(envelope.read_text())
        doc["payload"] = base64.b64encode(json.dumps(statement).encode()).decode()
        envelope.write_text(json.dumps(doc))  # the signature no longer covers it
        reason = "does not verify"
    else:
        _resign(hub_home, statement, signer, "bad.receipt.json")
    report = acknowledge_receipts(Exchange.open(hub_home.root, now=at(2)), "openai", now=at(2))
    assert (report.acknowledged, report.rejected) == (0, 1)
    [entry] = _logged(hub_home, "receipt-rejected")
    assert reason in entry["details"]["reason"]
    assert list((_receipts(hub_home) / "rejected").iterdir())
    assert not _logged(hub_home, "receipt-acknowledged")


def test_a_statement_is_checked_field_by_field(home) -> None:  # type: ignore[no-untyped-def]
    header = {"id": "b", "stream": "openai", "seq": 1}
    statement = receipt_statement(
        "openai", header, "h" * 64, b"file", opened=at(0), checkpoint=None
    )
    assert statement["bulletin"]["sha256"] == sha256_hex(b"file")
    assert statement["opened"] == "2026-11-23T10:00:00Z"
    federation, key = load_federation(home), load_private_keys(home, "openai").sign
    with pytest.raises(BulletinRejected, match="not JSON"):
        read_receipt(b"{", federation, "openai")
    for broken in (
        {**statement, "bulletin": {**statement["bulletin"], "seq": "1"}},
        {**statement, "opened": 5},
        {**statement, "checkpoint": {"size": -1, "root": "0" * 64}},
        {**statement, "format": "dtix-receipt/0"},
    ):
        kid = federation.lab("openai").active_key("sign").kid
        data = json.dumps(sign_envelope(PAYLOAD_TYPE, canonical_json(broken), key, kid)).encode()
        with pytest.raises(BulletinRejected, match="malformed"):
            read_receipt(data, federation, "openai")


# The published test vector -------------------------------------------------------------

VECTOR_FILE = Path(__file__).parent / "vectors" / "audit-receipt.json"
VECTOR_SEED = hashlib.sha256(b"dtix receipt test vector").digest()
VECTOR_STATEMENT = {
    "format": "dtix-receipt/1",
    "lab": "openai",
    "bulletin": {
        "id": "6f1c2a8e-5b0d-4c5e-9a61-0d2b9f3e7a10",
        "stream": "openai",
        "seq": 42,
        "header_hash": hashlib.sha256(b"example header").hexdigest(),
        "sha256": hashlib.sha256(b"example bulletin file").hexdigest(),
    },
    "opened": "2026-11-23T10:05:00Z",
    "checkpoint": {"size": 1200, "root": hashlib.sha256(b"example root").hexdigest()},
}


def build_vector() -> dict:  # type: ignore[type-arg]
    """Every value of tests/vectors/audit-receipt.json, recomputed from its inputs."""
    key = Ed25519PrivateKey.from_private_bytes(VECTOR_SEED)
    kid = kid_for(key.public_key())
    payload = canonical_json(VECTOR_STATEMENT)
    return {
        "description": "dtix-receipt/1: a lab's signed receipt of one bulletin",
        "private_key_seed": VECTOR_SEED.hex(),
        "public_key": key.public_key().public_bytes_raw().hex(),
        "kid": kid,
        "statement": VECTOR_STATEMENT,
        "payload": payload.decode(),
        "pae": pae(PAYLOAD_TYPE, payload).decode(),
        "envelope": sign_envelope(PAYLOAD_TYPE, payload, key, kid),
    }


def test_vector_file_matches_the_code_and_verifies() -> None:
    vector = json.loads(VECTOR_FILE.read_text("utf-8"))
    assert vector == build_vector()
    public = Ed25519PrivateKey.from_private_bytes(VECTOR_SEED).public_key()
    record = KeyRecord(
        "sign", vector["kid"], "Ed25519", public_to_b64(public), "2026-01-01T00:00:00Z"
    )
    lab = Participant("openai", "OpenAI", "lab", TLP.AMBER, False, "inbox/openai", (record,))
    federation = Federation("f", "f/audit", 7, {"openai": lab})
    receipt = read_receipt(json.dumps(vector["envelope"]).encode(), federation, "openai")
    assert receipt.statement == VECTOR_STATEMENT and receipt.signer == vector["kid"]


def test_a_receipt_another_run_holds_is_left_to_it(hub_home) -> None:  # type: ignore[no-untyped-def]
    _opened(hub_home)
    [receipt_file] = _receipts(hub_home).glob("*.receipt.json")
    exchange = Exchange.open(hub_home.root, now=at(2))
    with inbox_claims(exchange) as other_run:
        assert other_run.claim("openai", receipt_file)
        report = acknowledge_receipts(exchange, "openai", now=at(2))
        assert (report.acknowledged, report.rejected) == (0, 0)
        assert receipt_file.is_file()
    assert acknowledge_receipts(exchange, "openai", now=at(2)).acknowledged == 1
    assert len(_logged(hub_home, "receipt-acknowledged")) == 1


if __name__ == "__main__":
    VECTOR_FILE.write_text(json.dumps(build_vector(), indent=2) + "\n", encoding="utf-8")
