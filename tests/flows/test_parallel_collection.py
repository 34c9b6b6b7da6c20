"""The exchange flow collecting in batches on Prefect's process-pool task runner: the same
counts and bulletins as collecting a lab at a time, and a broken inbox fails only its lab."""

import pytest
from sqlmodel import select

from flows.exchange import exchange
from sharing.checkpoints import verify_audit
from sharing.exchange import Exchange
from sharing.federation import inbox_path, load_federation
from sharing.store.models import Indicator, Submission
from tests.conftest import NOW, write_feed

pytestmark = pytest.mark.flow


def _feeds(home) -> int:  # type: ignore[no-untyped-def]
    """Three files per lab, the same addresses seen by every lab; returns the records."""
    federation = load_federation(home)
    written = 0
    for n, lab in enumerate(("anthropic", "openai", "google")):
        for f in range(3):
            seen = f"2026-11-2{n}T10:00:00Z"  # each lab's files differ from the others'
            records = [
                {"type": "ipv4", "value": f"198.51.100.{i + f}", "seen": seen} for i in range(1, 9)
            ]
            write_feed(inbox_path(home, federation.participant(lab)) / f"{f}.jsonl", records)
            written += len(records)
    return written


def test_exchange_collects_in_batches_over_a_process_pool(home, prefect_harness) -> None:  # type: ignore[no-untyped-def]
    records = _feeds(home)
    summary = exchange(home=str(home.root), now=NOW, collect_workers=2)
    assert summary.failed == {}
    assert sorted(r.lab for r in summary.collected) == ["anthropic", "google", "openai"]
    assert summary.total("submissions") == 9 and summary.total("records") == records
    exchange_ = Exchange.open(home.root, now=NOW)
    with exchange_.session() as session:
        assert len(session.exec(select(Submission)).all()) == 9
        indicators = session.exec(select(Indicator)).all()
    assert len(indicators) == 10
    assert all(i.labs == 3 for i in indicators)
    assert sum(i.sightings for i in indicators) == records
    issued = {b.lab: b.issued for b in summary.bulletins}
    assert all(b is not None and b.indicators == 10 for b in issued.values())
    assert verify_audit(exchange_).checkpoints == 1


def test_a_broken_inbox_fails_only_its_lab_in_batches(home, prefect_harness) -> None:  # type: ignore[no-untyped-def]
    _feeds(home)
    broken = inbox_path(home, load_federation(home).participant("google"))
    for path in broken.iterdir():
        path.unlink()
    broken.rmdir()
    broken.write_text("not a folder")
    summary = exchange(home=str(home.root), now=NOW, collect_workers=2)
    assert list(summary.failed) == ["google"] and "not a folder" in summary.failed["google"]
    assert summary.total("submissions") == 6
