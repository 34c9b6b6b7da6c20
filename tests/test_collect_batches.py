"""Parallel collection: an inbox cut into batches of consecutive files, collected by several
processes at once, gives the counts that the records add up to: nothing twice, nothing lost."""

from collections import Counter, defaultdict
from pathlib import Path

from sqlmodel import select
from typer.testing import CliRunner

from sharing.cli import app
from sharing.collect_batches import (
    CollectBatch,
    by_lab,
    collect_batch,
    collect_in_parallel,
    plan_batches,
)
from sharing.exchange import Exchange
from sharing.federation import inbox_path, load_federation
from sharing.store.models import Contribution, Indicator, Submission
from tests.conftest import NOW, write_feed

LABS = ("anthropic", "openai", "google")


def _inbox(home, lab: str) -> Path:  # type: ignore[no-untyped-def]
    return inbox_path(home, load_federation(home).participant(lab))


def _feeds(home, files_per_lab: int = 4) -> dict[tuple[str, str], Counter[str]]:  # type: ignore[no-untyped-def]
    """Overlapping proxy addresses across files and labs; returns the sightings each lab
    reported of each address."""
    expected: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for n, lab in enumerate(LABS):
        for f in range(files_per_lab):
            records = []
            for i in range(12):
                value = f"198.51.100.{(i * 7 + f * 3 + n) % 40 + 1}"
                count = 1 + (i + f) % 3
                records.append(
                    {"type": "ipv4", "value": value, "seen": "2026-11-20T10:00:00Z", "count": count}
                )
                expected[("ipv4", value)][lab] += count
            write_feed(_inbox(home, lab) / f"{f:03}.jsonl", records)
    return expected


def test_batches_cover_every_pending_file_once_in_order(home) -> None:  # type: ignore[no-untyped-def]
    for lab, files in (("anthropic", 6), ("openai", 1), ("google", 0)):
        for n in range(files):
            (_inbox(home, lab) / f"{n:03}.jsonl").write_bytes(b"x" * (1000 + 10 * n) + b"\n")
    plan = plan_batches(Exchange.open(home.root, now=NOW), workers=2)
    batches = plan.batches
    assert plan.unreadable == {}
    assert sum(b.size for b in batches) == 6 * 1001 + 150 + 1001
    assert [b.size for b in batches] == sorted((b.size for b in batches), reverse=True)
    anthropic = [b for b in batches if b.lab == "anthropic"]
    names = [name for b in sorted(anthropic, key=lambda b: b.files) for name in b.files]
    assert names == [f"{n:03}.jsonl" for n in range(6)]
    assert len(anthropic) == 3  # about two batches a worker in all, by size
    assert [b.files for b in batches if b.lab == "openai"] == [("000.jsonl",)]
    assert all(b.lab != "google" for b in batches)


def test_an_empty_inbox_plans_nothing_and_collects_nothing(home) -> None:  # type: ignore[no-untyped-def]
    assert plan_batches(Exchange.open(home.root, now=NOW), workers=4).batches == []
    done = collect_in_parallel(home.root, workers=2, now=NOW)
    assert (done.reports, done.failed) == ([], {})


def test_parallel_collection_counts_every_record_once(hub_home) -> None:  # type: ignore[no-untyped-def]
    expected = _feeds(hub_home)
    done = collect_in_parallel(hub_home.root, workers=2, now=NOW)
    assert done.failed == {}
    reports = by_lab(done.reports)
    assert sorted(r.lab for r in reports) == sorted(LABS)
    assert sum(r.submissions for r in reports) == 12
    assert sum(r.records for r in reports) == sum(r.accepted for r in reports) == 12 * 12
    exchange = Exchange.open(hub_home.root, now=NOW)
    with exchange.session() as session:
        assert len(session.exec(select(Submission)).all()) == 12
        indicators = {i.id: i for i in session.exec(select(Indicator)).all()}
        contributions = session.exec(select(Contribution)).all()
    got: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for c in contributions:
        got[(indicators[c.indicator_id].type, indicators[c.indicator_id].value)][c.lab] += (
            c.sightings
        )
    assert got == expected
    for indicator in indicators.values():
        counted = expected[(indicator.type, indicator.value)]
        assert (indicator.labs, indicator.sightings) == (len(counted), sum(counted.values()))
    for lab in LABS:
        inbox = _inbox(hub_home, lab)
        assert sorted(p.name for p in (inbox / "collected").iterdir()) == [
            f"{f:03}.jsonl" for f in range(4)
        ]
        assert not list(inbox.glob("*.jsonl"))


def test_a_file_another_run_took_is_counted_as_already_collected(home) -> None:  # type: ignore[no-untyped-def]
    _feeds(home, files_per_lab=2)
    exchange = Exchange.open(home.root, now=NOW)
    batch = CollectBatch("openai", ("000.jsonl", "001.jsonl"), 0)
    (_inbox(home, "openai") / "000.jsonl").unlink()
    report = collect_batch(exchange, batch, now=NOW)
    assert (report.submissions, report.already_collected, report.records) == (1, 1, 12)
    again = collect_batch(exchange, batch, now=NOW)
    assert (again.submissions, again.already_collected) == (0, 2)


def test_collect_command_with_workers_prints_balanced_totals(home) -> None:  # type: ignore[no-untyped-def]
    _feeds(home, files_per_lab=3)
    result = CliRunner().invoke(app, ["collect", "--home", str(home.root), "--workers", "2"])
    assert result.exit_code == 0, result.output
    assert "all labs: 108 records submitted = 108 accepted + 0 quarantined + 0 screened" in (
        result.output
    )
    for lab in LABS:
        assert f"{lab}: 3 submissions (0 already collected), 36 records" in result.output


def test_collect_command_refuses_zero_workers(home) -> None:  # type: ignore[no-untyped-def]
    result = CliRunner().invoke(app, ["collect", "--home", str(home.root), "--workers", "0"])
    assert result.exit_code != 0 and "--workers" in result.output


def test_an_unreadable_inbox_fails_its_lab_and_the_others_are_collected(home) -> None:  # type: ignore[no-untyped-def]
    _feeds(home, files_per_lab=1)
    broken = _inbox(home, "openai")
    for path in broken.iterdir():
        path.unlink()
    broken.rmdir()
    broken.write_text("not a folder")
    done = collect_in_parallel(home.root, workers=2, now=NOW)
    assert list(done.failed) == ["openai"] and "not a folder" in done.failed["openai"]
    assert sorted(r.lab for r in by_lab(done.reports)) == ["anthropic", "google"]
