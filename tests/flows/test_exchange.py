"""The real `exchange` flow under a Prefect test server: collect, issue, deliver, advise,
checkpoint; then a lab opens its bulletin and the audit log verifies."""

from pathlib import Path

import pytest

from flows.exchange import exchange
from sharing.checkpoints import verify_audit
from sharing.exchange import Exchange
from sharing.federation import inbox_path, load_federation
from sharing.receiver import receive_bulletin
from tests.conftest import NOW, write_feed

pytestmark = pytest.mark.flow

SHARED = [
    {
        "type": "cidr",
        "value": "198.51.100.0/24",
        "seen": "2026-11-20T10:00:00Z",
        "tags": ["proxy-hydra"],
        "tlp": "green",
    },
    {
        "type": "account_hash",
        "value": "AB" * 32,
        "seen": "2026-11-21T10:00:00Z",
        "tags": ["account-farming"],
    },
]


def _feed(home, lab, name, records):  # type: ignore[no-untyped-def]
    write_feed(inbox_path(home, load_federation(home).participant(lab)) / name, records)


def test_exchange_flow_end_to_end(home, prefect_harness) -> None:  # type: ignore[no-untyped-def]
    _feed(home, "anthropic", "a.jsonl", SHARED)
    _feed(home, "google", "g.jsonl", [*SHARED, "not json"])
    summary = exchange(home=str(home.root), now=NOW)
    assert summary.failed == {}
    assert summary.total("records") == 5 and summary.total("quarantined") == 1
    issued = {b.lab: b.issued for b in summary.bulletins}
    assert issued["openai"] is not None and issued["openai"].indicators == 2
    assert len(summary.advisories) == 2 and summary.checkpoint.startswith("dtix.local/")
    [delivered] = next(b.delivered for b in summary.bulletins if b.lab == "openai")
    received = receive_bulletin(home, "openai", Path(delivered).read_bytes(), now=NOW)
    assert {i["type"] for i in received.indicators} == {"cidr", "account_hash"}
    assert all(i["labs"] == 2 and i["corroborated"] for i in received.indicators)
    report = verify_audit(Exchange.open(home.root, now=NOW))
    assert report.checkpoints == 1 and report.size > 5

    again = exchange(home=str(home.root), now=NOW)  # nothing new: no empty bulletins
    assert all(b.issued is None and b.delivered == [] for b in again.bulletins)
    assert verify_audit(Exchange.open(home.root, now=NOW)).checkpoints == 2


def test_a_failing_lab_does_not_stop_the_others(home, prefect_harness) -> None:  # type: ignore[no-untyped-def]
    broken = inbox_path(home, load_federation(home).participant("openai"))
    broken.rmdir()
    broken.write_text("not a folder")
    _feed(home, "anthropic", "a.jsonl", SHARED)
    summary = exchange(home=str(home.root), now=NOW)
    assert list(summary.failed) == ["openai"] and "not a folder" in summary.failed["openai"]
    issued = {b.lab: b.issued for b in summary.bulletins}
    assert issued["google"] is not None and issued["google"].indicators == 2


def test_a_crash_between_sealing_and_recording_then_a_rerun(
    home, prefect_harness, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    import sharing.issuing as issuing

    record = issuing.record_bulletin

    def crash_for_openai(session, exchange, sealed, *args, **kwargs):  # type: ignore[no-untyped-def]
        if b'"stream":"openai"' in sealed:
            raise RuntimeError("worker killed after sealing")
        return record(session, exchange, sealed, *args, **kwargs)

    _feed(home, "anthropic", "a.jsonl", SHARED)
    monkeypatch.setattr(issuing, "record_bulletin", crash_for_openai)
    first = exchange(home=str(home.root), now=NOW)
    assert list(first.failed_bulletins) == ["openai"]
    assert not list((home.root / "outbox" / "openai").glob("*.dtix.json"))
    assert {b.lab for b in first.bulletins if b.issued} == {"google"}
    monkeypatch.setattr(issuing, "record_bulletin", record)

    second = exchange(home=str(home.root), now=NOW)
    assert second.failed_bulletins == {}
    issued = {b.lab: b.issued for b in second.bulletins}
    assert issued["openai"] is not None and issued["openai"].seq == 1
    assert issued["google"] is None  # it already has everything: no empty bulletin
    [path] = (home.root / "outbox" / "openai").glob("*.dtix.json")
    received = receive_bulletin(home, "openai", path.read_bytes(), now=NOW)
    assert len(received.indicators) == 2
