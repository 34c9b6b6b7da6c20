"""The real daily `advisories` flow under a Prefect test server: the hub's edition in every
format, each lab's own edition sealed to it, a checkpoint; a second run the same day hands
out nothing twice."""

from pathlib import Path

import pytest

from flows.advisories import advisories
from sharing.advisories.browser import find_browser
from sharing.advisories.opening import open_advisory
from sharing.checkpoints import verify_audit
from sharing.collect import collect_lab
from sharing.exchange import Exchange
from sharing.federation import inbox_path, load_federation
from tests.conftest import NOW, write_feed

pytestmark = pytest.mark.flow

FARM = "ab" * 32


def _feed(home, lab, confidence):  # type: ignore[no-untyped-def]
    record = {
        "type": "account_hash",
        "value": FARM,
        "seen": "2026-11-21T10:00:00Z",
        "tags": ["account-farming"],
        "tlp": "amber",
        "confidence": confidence,
    }
    write_feed(inbox_path(home, load_federation(home).participant(lab)) / "f.jsonl", [record])


def test_advisories_flow_renders_distributes_and_checkpoints(home, prefect_harness) -> None:  # type: ignore[no-untyped-def]
    _feed(home, "anthropic", 80)
    _feed(home, "google", 70)
    exchange = Exchange.open(home.root, now=NOW)
    for lab in ("anthropic", "google"):
        collect_lab(exchange, lab, now=NOW)
    paths = [Path(p) for p in advisories(home=str(home.root), now=NOW, period_days=7)]
    hub = {p.suffix for p in paths if p.parent == home.advisories_dir}
    assert {".md", ".html", ".txt"} <= hub and (".pdf" in hub) == (find_browser() is not None)
    editions = {p.parent.name: p for p in paths if p.parent.parent == home.root / "outbox"}
    assert set(editions) == {"anthropic", "openai", "google"}
    received = open_advisory(home, "openai", editions["openai"].read_bytes(), now=NOW)
    assert received.sealed and [i["value"] for i in received.indicators] == [FARM]
    assert "Account farming" in received.documents["text/markdown"]

    again = [Path(p) for p in advisories(home=str(home.root), now=NOW, period_days=7)]
    assert all(p.parent == home.advisories_dir for p in again)  # no lab edition twice
    report = verify_audit(Exchange.open(home.root, now=NOW))
    assert report.checkpoints == 2
