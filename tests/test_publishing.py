"""Publishing advisories: counts from the store, only shareable corroborated indicators
attached, the advisory marked with their strictest TLP, and every file in the audit log."""

import json
from datetime import timedelta

from sqlmodel import select

from sharing.audit.tables import AuditEntry
from sharing.collect import collect_lab
from sharing.encoding import sha256_hex
from sharing.exchange import Exchange
from sharing.federation import inbox_path, load_federation
from sharing.publishing import advisory_facts, publish_advisories
from tests.conftest import NOW, write_feed

SEEN = "2026-11-20T10:00:00Z"


def _record(value, tlp="green", tags=("proxy-hydra",)):  # type: ignore[no-untyped-def]
    return {"type": "ipv4", "value": value, "seen": SEEN, "tlp": tlp, "tags": list(tags)}


def _exchange(home):  # type: ignore[no-untyped-def]
    federation = load_federation(home)
    feeds = {
        "anthropic": [
            _record("198.51.100.1"),
            _record("198.51.100.2", tlp="red"),
            _record("198.51.100.3", tags=("account-farming",)),
        ],
        "google": [
            _record("198.51.100.1", tlp="amber"),
            _record("198.51.100.2", tlp="red"),
            "broken",
        ],
    }
    exchange = Exchange.open(home.root, now=NOW)
    for lab, records in feeds.items():
        write_feed(inbox_path(home, federation.participant(lab)) / "f.jsonl", records)
        collect_lab(exchange, lab, now=NOW)
    return exchange


def test_facts_count_the_period_and_attach_only_what_every_lab_may_receive(hub_home) -> None:  # type: ignore[no-untyped-def]
    exchange = _exchange(hub_home)
    with exchange.session() as session:
        facts = advisory_facts(exchange, session, start=NOW - timedelta(days=7), end=NOW)
    assert (facts.indicators_total, facts.corroborated, facts.quarantined) == (3, 2, 1)
    assert (facts.labs_reporting, facts.labs_participating) == (2, 3)
    assert dict(facts.by_technique) == {"account-farming": 1, "proxy-hydra": 2}
    assert [i.value for i in facts.indicators] == ["198.51.100.1"]  # the RED one is held back
    assert facts.tlp.value == "amber"


def test_published_files_are_recorded_in_the_audit_log(hub_home) -> None:  # type: ignore[no-untyped-def]
    exchange = _exchange(hub_home)
    paths = publish_advisories(exchange, now=NOW, period=timedelta(days=7))
    assert sorted(p.suffix for p in paths) == [".html", ".md"]
    assert "TLP:AMBER" in paths[0].read_text()
    with exchange.session() as session:
        entries = session.exec(
            select(AuditEntry).where(AuditEntry.action == "advisory-published")
        ).all()
    assert {e.object_sha256 for e in entries} == {sha256_hex(p.read_bytes()) for p in paths}
    assert json.loads(entries[0].recipients) == ["anthropic", "openai", "google"]
