"""Raw personal data at the hub: recognized in any field, quarantined with neither the value
nor a quote of it in the reason, the raw column, the audit log, the blob or the inbox."""

import json

import pytest
from sqlmodel import select

from sharing.audit.reading import read_entries
from sharing.collect import collect_lab
from sharing.exchange import Exchange
from sharing.federation import inbox_path, load_federation
from sharing.personal_data import keyed_hash, kind_in, normalized, personal_data_in
from sharing.store.models import QuarantinedRecord, Submission
from tests.conftest import NOW, write_feed

SEEN = "2026-11-20T10:00:00Z"
EMAIL = "signup.3@mailbox.example"


@pytest.mark.parametrize(
    ("record", "found"),
    [
        ({"type": "email", "value": EMAIL}, "a email record"),
        ({"type": "email_hash", "value": EMAIL}, "'value' of a email_hash record"),
        ({"type": "phone_hash", "value": "not a digest"}, "is not a digest"),
        ({"type": "ipv4", "value": "45.83.12.9", "campaign": EMAIL}, "an email address in"),
        ({"type": "ipv4", "value": "45.83.12.9", "description": "+44 20 7946 0958"}, "phone"),
        ({"type": "ipv4", "value": "45.83.12.9", "x_card": "4111 1111 1111 1111"}, "card"),
        ({"type": "domain", "value": "x.top", "x_key": "sk-" + "a1B2" * 8}, "an API key"),
    ],
)
def test_personal_data_is_found_in_any_field(record: dict, found: str) -> None:
    where = personal_data_in(record)
    assert where is not None and found in where
    assert EMAIL not in where and "4111" not in where


def test_digests_and_ordinary_values_are_not_personal_data() -> None:
    assert personal_data_in({"type": "email_hash", "value": "ab" * 32}) is None
    assert (
        personal_data_in({"type": "ipv4", "value": "45.83.12.9", "tags": ["proxy-hydra"]}) is None
    )
    assert kind_in("4111 1111 1111 1112") is None  # fails the Luhn check
    assert kind_in("9" * 64) is None  # a digest made of digits only


@pytest.mark.parametrize(
    ("type_name", "raw", "digest"),
    [  # the vectors of docs/policy.md, checked with `openssl dgst -sha256 -mac HMAC`
        (
            "email",
            "  Alice@Example.COM ",
            "d2f50c440d4fde50e73eaf12d5bc7e67022c85e3fad2a755f90b08f79a3fe03d",
        ),
        (
            "phone",
            "+1 (415) 555-0199",
            "d71924cdafc64a9250d29c4d5271311c51ddfe1bf78b842e1d643131ec3b4c2d",
        ),
        (
            "card_number",
            "4111 1111 1111 1111",
            "a31be7a7c834aec324f718bbb40437bc0d1d3aed1786cb74d043eb393be90106",
        ),
    ],
)
def test_keyed_hash_vectors(type_name: str, raw: str, digest: str) -> None:
    secret = bytes(range(32))
    assert keyed_hash(secret, type_name, normalized(type_name, raw)) == digest


def test_the_hub_quarantines_personal_data_without_keeping_it(hub_home) -> None:  # type: ignore[no-untyped-def]
    inbox = inbox_path(hub_home, load_federation(hub_home).participant("openai"))
    records = [
        {"type": "ipv4", "value": "198.51.100.7", "seen": SEEN},
        {"type": "email_hash", "value": EMAIL, "seen": SEEN},
        {"type": "email", "value": EMAIL, "seen": SEEN},
        f'{{"type":"ipv4","value":"{EMAIL}","seen":',  # broken JSON holding an address
    ]
    write_feed(inbox / "o.jsonl", records)
    exchange = Exchange.open(hub_home.root, now=NOW)
    report = collect_lab(exchange, "openai", now=NOW)
    assert (report.accepted, report.quarantined) == (1, 3)
    with exchange.session() as session:
        rows = session.exec(select(QuarantinedRecord)).all()
        entries = list(read_entries(session))
        submission = session.exec(select(Submission)).one()
    assert len(rows) == 3
    for row in rows:
        assert EMAIL not in row.reason and EMAIL not in row.raw
    assert any(r.reason.startswith("raw personal data") for r in rows)
    assert EMAIL not in json.dumps(entries)
    redacted = [e for e in entries if e["action"] == "submission-redacted"]
    assert len(redacted) == 1 and redacted[0]["object_sha256"] == submission.sha256
    kept = redacted[0]["details"]["kept_sha256"]
    assert kept != submission.sha256
    blob = hub_home.blobs_dir / kept[:2] / kept
    assert blob.is_file() and b"198.51.100.7" in blob.read_bytes()
    for path in [*hub_home.blobs_dir.rglob("*"), *inbox.rglob("*")]:
        assert not path.is_file() or EMAIL.encode() not in path.read_bytes(), path


def _feed_with_an_address(hub_home) -> tuple:  # type: ignore[no-untyped-def]
    inbox = inbox_path(hub_home, load_federation(hub_home).participant("openai"))
    records = [
        {"type": "ipv4", "value": "198.51.100.7", "seen": SEEN},
        {"type": "email", "value": EMAIL, "seen": SEEN},
    ]
    return inbox, write_feed(inbox / "o.jsonl", records)


def test_a_crash_before_the_inbox_file_is_removed_counts_once_and_keeps_no_address(
    hub_home, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    inbox, feed = _feed_with_an_address(hub_home)
    original = feed.read_bytes()
    exchange = Exchange.open(hub_home.root, now=NOW)

    unlink = type(feed).unlink

    def crash(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        if self == feed:
            raise OSError("power cut")
        return unlink(self, *args, **kwargs)

    with monkeypatch.context() as patched:
        patched.setattr(type(feed), "unlink", crash)
        with pytest.raises(OSError, match="power cut"):
            collect_lab(exchange, "openai", now=NOW)
    assert feed.read_bytes() == original  # the inbox file is untouched until its copy is kept
    again = collect_lab(exchange, "openai", now=NOW)
    assert (again.submissions, again.already_collected) == (0, 1)
    with exchange.session() as session:
        assert len(session.exec(select(Submission)).all()) == 1
    assert not feed.exists()
    kept = sorted(p.name for p in (inbox / "collected").iterdir())
    assert kept == ["o.1.jsonl", "o.jsonl"]
    for path in (inbox / "collected").iterdir():
        assert EMAIL.encode() not in path.read_bytes() and b"198.51.100.7" in path.read_bytes()
