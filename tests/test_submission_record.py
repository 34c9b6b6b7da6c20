"""Recording a submission: screened indicators kept apart, every record accounted for."""

import json
import shutil

from sqlmodel import select

from sharing.audit.tables import AuditEntry
from sharing.collect import collect_lab
from sharing.exchange import Exchange
from sharing.federation import inbox_path, load_federation
from sharing.store.models import Indicator, ScreenedIndicator, Submission
from tests.conftest import NOW, write_feed

SEEN = "2026-11-20T10:00:00Z"


def test_warninglisted_values_are_kept_reported_and_never_merged(hub_home) -> None:  # type: ignore[no-untyped-def]
    shutil.rmtree(hub_home.warninglists_dir)  # the shipped lists only
    inbox = inbox_path(hub_home, load_federation(hub_home).participant("openai"))
    write_feed(
        inbox / "a.jsonl",
        [
            {"type": "ipv4", "value": "8.8.8.8", "seen": SEEN, "count": 5},
            {"type": "ipv4", "value": "8.8.8.8", "seen": SEEN},
            {"type": "ipv4", "value": "10.1.2.3", "seen": SEEN},
            {"type": "domain", "value": "api.example.com", "seen": SEEN},
            {"type": "ipv4", "value": "45.83.12.9", "seen": SEEN},
            {"type": "ipv4", "value": "45.83.12.09", "seen": SEEN},
        ],
    )
    exchange = Exchange.open(hub_home.root, now=NOW)
    report = collect_lab(exchange, "openai", now=NOW)
    assert (report.records, report.accepted, report.quarantined, report.screened) == (6, 1, 1, 4)
    with exchange.session() as session:
        assert [i.value for i in session.exec(select(Indicator))] == ["45.83.12.9"]
        screened = {
            (s.value, s.warninglist, s.records, s.sightings)
            for s in session.exec(select(ScreenedIndicator))
        }
        submission = session.exec(select(Submission)).one()
        entries = {e.action: json.loads(e.details) for e in session.exec(select(AuditEntry))}
    assert ("8.8.8.8", "public-dns-resolvers", 2, 6) in screened
    assert {v for v, *_ in screened} == {"8.8.8.8", "10.1.2.3", "api.example.com"}
    assert (submission.accepted, submission.quarantined, submission.screened) == (1, 1, 4)
    logged = entries["records-screened"]
    assert logged["count"] == 4
    assert sum(logged["lists"].values()) == 4
    received = entries["submission-received"]
    assert received["records"] == received["accepted"] + received["quarantined"] + 4
