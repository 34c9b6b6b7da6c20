"""Two exchange runs started at the same moment against one store.

Two processes live through every round: the labs drop new submissions in their inboxes, a
barrier releases both runs together, each runs one whole exchange pass, and the labs open
what was delivered (their receipts reach the hub in the next round). Afterwards: no
(stream, seq) twice and every stream chained, every file recorded once and none lost,
every sighting counted once, every bulletin delivered and acknowledged once, and an audit
log that verifies. On PostgreSQL the race runs 100 rounds; on SQLite, a few; and once more
with two real Prefect flow runs.
"""

import multiprocessing
import queue
import random
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from multiprocessing.connection import wait
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func
from sqlmodel import col, select

from sharing.acknowledging import acknowledge_receipts
from sharing.audit.log import latest_checkpoint
from sharing.audit.tables import AuditEntry
from sharing.checkpoints import verify_audit
from sharing.collect import COLLECTED
from sharing.crypto import GENESIS_PREV
from sharing.delivery import bulletin_filename
from sharing.exchange import Exchange, engine_for
from sharing.exchange_pass import exchange_pass
from sharing.federation import inbox_path, load_federation
from sharing.home import Home
from sharing.receipts import RECEIPTS
from sharing.receiver import receive_bulletin
from sharing.store.models import (
    Bulletin,
    BulletinItem,
    Contribution,
    Delivery,
    Indicator,
    Submission,
)
from sharing.submission_signature import file_sha256
from sharing.submitting import submit_file
from tests.concurrent_exchange import (
    BARRIER_SECONDS,
    RunOutcome,
    round_now,
    run_flow,
    run_passes,
)
from tests.conftest import NOW, write_feed

LABS = ("anthropic", "openai", "google")
SHARED = [f"198.51.100.{i}" for i in range(1, 31)]  # every lab reports some of these
SEEN = "2026-11-20T10:00:00Z"
EMAIL = "someone@mail.example"
Key = tuple[str, str, str]  # type, value, lab


@dataclass
class Labs:
    """The labs' side of the rounds: the files they dropped, with the sightings each one
    should add, and the bulletins they have opened."""

    home: Home
    rng: random.Random
    dropped: dict[str, list[str]] = field(default_factory=dict)  # lab -> names
    shas: Counter[str] = field(default_factory=Counter)
    signatures: dict[str, list[str]] = field(default_factory=dict)  # lab -> sidecar names
    sightings: Counter[Key] = field(default_factory=Counter)
    opened: Counter[str] = field(default_factory=Counter)  # lab -> bulletins opened

    def drop(self, round_: int, staging: Path) -> None:
        """Each lab's new files for this round: mostly signed through `dtix submit`, now and
        then a raw file with a broken line and an e-mail address the hub must redact."""
        for lab in LABS:
            for part in range(1 + (self.rng.random() < 0.3)):
                name = f"{lab}-{round_:03d}-{part}.jsonl"
                raw = self.rng.random() < 0.1
                records = self._records(lab, round_, part, raw)
                if raw:
                    path = write_feed(self._inbox(lab) / name, records)
                else:
                    submitted = submit_file(self.home, lab, write_feed(staging / name, records))
                    path = submitted.path
                    self.signatures.setdefault(lab, []).append(submitted.signature.name)
                self.dropped.setdefault(lab, []).append(name)
                self.shas[file_sha256(path)] += 1

    def _records(self, lab: str, round_: int, part: int, raw: bool) -> list[Any]:
        records: list[Any] = []
        values = [("ipv4", v) for v in self.rng.sample(SHARED, 3)]
        values.append(("account_hash", f"{LABS.index(lab)}{round_:03d}{part}".ljust(64, "a")))
        for type_, value in values:
            count = self.rng.randint(1, 3)
            self.sightings[(type_, value, lab)] += count
            records.append(
                {"type": type_, "value": value, "seen": SEEN, "count": count, "tlp": "green"}
            )
        if raw:
            records += ["not json", {"type": "email", "value": EMAIL, "seen": SEEN}]
        return records

    def open_delivered(self, now: datetime) -> None:
        """Each lab opens, in order, the bulletins delivered to it since it last looked
        (opening checks seq and prev, and writes a receipt for the hub)."""
        for lab in LABS:
            outbox = self.home.outbox(lab)
            while (outbox / bulletin_filename(lab, self.opened[lab] + 1)).is_file():
                path = outbox / bulletin_filename(lab, self.opened[lab] + 1)
                receive_bulletin(self.home, lab, path.read_bytes(), now=now)
                self.opened[lab] += 1

    def _inbox(self, lab: str) -> Path:
        return inbox_path(self.home, load_federation(self.home).participant(lab))


@dataclass
class Race:
    """What each run reported, round after round, and how long the rounds took."""

    rounds: int
    outcomes: list[RunOutcome]
    seconds: float


def _started(target: Callable[..., None], runs: list[tuple[Any, ...]], barrier: Any) -> list[Any]:
    """A process per argument tuple, started; should one die, the barrier breaks at once."""
    context = multiprocessing.get_context("spawn")
    processes = [context.Process(target=target, args=args) for args in runs]
    for process in processes:
        process.start()

    def break_on_exit() -> None:
        wait([p.sentinel for p in processes])
        barrier.abort()

    threading.Thread(target=break_on_exit, daemon=True).start()
    return processes


def _race(home: Home, tmp_path: Path, rounds: int) -> tuple[Labs, Race]:
    """Run `rounds` rounds of two passes released together; the labs' side in between."""
    engine_for(home.database_url)  # the schema, before two processes meet the store
    labs = Labs(home, random.Random(7))
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(3)
    results = context.Queue()
    args = [(str(home.root), runner, rounds, NOW, barrier, results) for runner in (0, 1)]
    runs = _started(run_passes, args, barrier)
    outcomes: list[RunOutcome] = []
    started = time.perf_counter()
    try:
        for round_ in range(rounds):
            labs.drop(round_, tmp_path / f"staging-{round_}")
            barrier.wait(BARRIER_SECONDS)  # go
            barrier.wait(BARRIER_SECONDS)  # both done
            outcomes += [results.get(timeout=BARRIER_SECONDS) for _ in runs]
            labs.open_delivered(NOW + timedelta(minutes=round_, seconds=30))
        seconds = time.perf_counter() - started
    except threading.BrokenBarrierError:
        pytest.fail(f"a run stopped:\n{_why_stopped(results)}")
    finally:
        _stopped(runs, barrier)
    _take_in_receipts(home, NOW + timedelta(minutes=rounds))
    return labs, Race(rounds, outcomes, seconds)


def _why_stopped(results: Any) -> str:
    """The tracebacks the runs sent before one of them stopped."""
    errors = []
    while True:
        try:
            outcome = results.get(timeout=5)
        except queue.Empty:
            return "\n".join(errors) or "(no traceback: the process died)"
        if outcome.error:
            errors.append(f"run {outcome.runner}, round {outcome.round}:\n{outcome.error}")


def _stopped(processes: list[Any], barrier: Any) -> None:
    barrier.abort()
    for process in processes:
        process.join(30)
        if process.is_alive():
            process.kill()


def _take_in_receipts(home: Home, now: datetime) -> None:
    """The receipts for the last bulletins are still waiting: a run after the race takes
    them in."""
    for lab in LABS:
        acknowledge_receipts(Exchange.open(home.root, now=now), lab, now=now)


def _audited(home: Home) -> Counter[tuple[str, str]]:
    """How many entries the log holds per (action, object SHA-256)."""
    with Exchange.open(home.root, now=NOW).session() as session:
        rows = session.exec(select(AuditEntry.action, AuditEntry.object_sha256)).all()
    return Counter((action, sha or "") for action, sha in rows)


def _check_bulletins(home: Home, labs: Labs) -> dict[str, int]:
    """No (stream, seq) twice; each stream numbered 1..n and chained by prev; each bulletin
    issued, delivered, opened and acknowledged exactly once."""
    exchange = Exchange.open(home.root, now=NOW)
    with exchange.session() as session:
        twice = session.exec(
            select(Bulletin.stream, Bulletin.seq)
            .group_by(col(Bulletin.stream), col(Bulletin.seq))
            .having(func.count() > 1)
        ).all()
        bulletins = session.exec(select(Bulletin).order_by(col(Bulletin.seq))).all()
        deliveries = Counter(session.exec(select(Delivery.bulletin_id)).all())
        carried = Counter(
            session.exec(
                select(Bulletin.stream, BulletinItem.indicator_id, BulletinItem.version).join(
                    Bulletin, col(Bulletin.id) == col(BulletinItem.bulletin_id)
                )
            ).all()
        )
    assert twice == []
    assert [item for item, n in carried.items() if n > 1] == []  # no change sent twice
    for lab in LABS:
        chain = [b for b in bulletins if b.stream == lab]
        assert [b.seq for b in chain] == list(range(1, len(chain) + 1))
        assert [b.prev for b in chain] == [GENESIS_PREV] + [b.header_hash for b in chain[:-1]]
        assert labs.opened[lab] == len(chain)
        outbox = sorted(p.name for p in home.outbox(lab).glob("*.dtix.json"))
        assert outbox == [bulletin_filename(lab, b.seq) for b in chain]
        receipts = inbox_path(home, exchange.federation.participant(lab)) / RECEIPTS
        assert list(receipts.glob("*.receipt.json")) == []
        acknowledged = sorted(p.name for p in (receipts / "acknowledged").iterdir())
        assert acknowledged == [f"{lab}-{b.seq:06d}.receipt.json" for b in chain]
    assert deliveries == Counter(b.id for b in bulletins)
    audited = _audited(home)
    for action in ("bulletin-issued", "bulletin-delivered", "receipt-acknowledged"):
        assert Counter({sha: n for (a, sha), n in audited.items() if a == action}) == Counter(
            b.sha256 for b in bulletins
        ), action
    assert not [key for key in audited if key[0] == "receipt-rejected"]
    return {"bulletins": len(bulletins), "duplicate (stream, seq)": len(twice)}


def _check_submissions(home: Home, labs: Labs) -> dict[str, int]:
    """Every dropped file recorded once, logged once, set aside once; the inboxes empty."""
    exchange = Exchange.open(home.root, now=NOW)
    with exchange.session() as session:
        recorded = Counter(session.exec(select(Submission.sha256)).all())
    double = sum(n - 1 for n in recorded.values()) + len(set(recorded) - set(labs.shas))
    lost = len(set(labs.shas) - set(recorded))
    received = Counter(
        {sha: n for (action, sha), n in _audited(home).items() if action == "submission-received"}
    )
    assert (double, lost) == (0, 0)
    assert recorded == labs.shas and received == labs.shas
    for lab in LABS:
        inbox = inbox_path(home, exchange.federation.participant(lab))
        assert [p.name for p in inbox.iterdir() if p.is_file()] == []
        collected = sorted(p.name for p in (inbox / COLLECTED).iterdir())
        assert collected == sorted(labs.dropped[lab] + labs.signatures.get(lab, []))
        assert EMAIL not in "".join(p.read_text() for p in (inbox / COLLECTED).iterdir())
    return {"files": sum(labs.shas.values()), "double-collected": double, "lost": lost}


def _check_sightings(home: Home, labs: Labs) -> None:
    """Each lab's contribution sums exactly what it submitted; each indicator sums those."""
    with Exchange.open(home.root, now=NOW).session() as session:
        rows = session.exec(
            select(Indicator.type, Indicator.value, Contribution.lab, Contribution.sightings).join(
                Indicator, col(Indicator.id) == col(Contribution.indicator_id)
            )
        ).all()
        indicators = session.exec(select(Indicator)).all()
    assert Counter({(t, v, lab): n for t, v, lab, n in rows}) == labs.sightings
    for indicator in indicators:
        mine = [n for t, v, _, n in rows if (t, v) == (indicator.type, indicator.value)]
        assert (indicator.sightings, indicator.labs) == (sum(mine), len(mine))


def _race_figures(race: Race) -> dict[str, Any]:
    """Who did what: bulletins and deliveries per run, and how often a run found that the
    other had done the work (a file already taken, a lab's bulletin already issued)."""
    by_round: dict[int, list[RunOutcome]] = {}
    for outcome in race.outcomes:
        by_round.setdefault(outcome.round, []).append(outcome)
    left_to_other = sum(
        1
        for pair in by_round.values()
        for lab in LABS
        for mine, other in (pair, pair[::-1])
        if lab not in mine.issued and lab in other.issued
    )
    figures: dict[str, Any] = {"rounds": race.rounds, "seconds": round(race.seconds, 1)}
    for runner in (0, 1):
        of_run = [o for o in race.outcomes if o.runner == runner]
        figures[f"run {runner} recorded"] = sum(sum(o.recorded.values()) for o in of_run)
        figures[f"run {runner} found collected"] = sum(
            sum(o.found_collected.values()) for o in of_run
        )
        figures[f"run {runner} issued"] = sum(len(o.issued) for o in of_run)
        figures[f"run {runner} delivered"] = sum(
            len(files) for o in of_run for files in o.delivered.values()
        )
    figures["bulletins found issued by the other run"] = left_to_other
    return figures


def _check_race(home: Home, labs: Labs, race: Race) -> dict[str, Any]:
    """Every invariant, after the race; the figures to print."""
    crashed = [o for o in race.outcomes if o.error]
    assert not crashed, "\n".join(f"run {o.runner}, round {o.round}:\n{o.error}" for o in crashed)
    assert len(race.outcomes) == 2 * race.rounds
    figures = _race_figures(race)
    figures |= _check_submissions(home, labs)
    figures |= _check_bulletins(home, labs)
    _check_sightings(home, labs)
    exchange = Exchange.open(home.root, now=NOW)
    report = verify_audit(exchange)
    with exchange.session() as session:
        latest = latest_checkpoint(session)
    assert latest is not None
    assert (home.audit_dir / "checkpoint.txt").read_text("utf-8") == latest.note
    figures["audit entries"] = report.size
    figures["checkpoints"] = report.checkpoints
    return figures


@pytest.fixture(autouse=True)
def _importable_by_the_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    """The runs' processes import tests.concurrent_exchange from the project's root."""
    monkeypatch.syspath_prepend(str(Path(__file__).resolve().parents[1]))


def test_two_runs_released_together_round_after_round(hub_home, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    rounds = 100 if hub_home.database_url.startswith("postgresql") else 10
    labs, race = _race(hub_home, tmp_path, rounds)
    figures = _check_race(hub_home, labs, race)
    assert figures["checkpoints"] == 2 * rounds
    print("\nconcurrent runs:", ", ".join(f"{k}: {v}" for k, v in figures.items()))


@pytest.mark.flow
@pytest.mark.postgres
@pytest.mark.parametrize("hub_home", ["postgres"], indirect=True)
def test_two_prefect_flow_runs_started_together(hub_home, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The real thing, once: two `exchange` flow runs, each in its own process with its own
    temporary Prefect server, released together after a first exchange left receipts."""
    engine_for(hub_home.database_url)
    labs = Labs(hub_home, random.Random(11))
    labs.drop(0, tmp_path / "staging-0")
    exchange_pass(Exchange.open(hub_home.root, now=NOW), now=NOW)
    labs.open_delivered(NOW + timedelta(seconds=30))
    labs.drop(1, tmp_path / "staging-1")
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(3)
    results = context.Queue()
    args = [
        (str(hub_home.root), runner, str(tmp_path / f"prefect-{runner}"), now, barrier, results)
        for runner, now in ((0, round_now(NOW, 1, 0)), (1, round_now(NOW, 1, 1)))
    ]
    runs = _started(run_flow, args, barrier)
    started = time.perf_counter()
    try:
        barrier.wait(BARRIER_SECONDS)  # both servers are up: go
        outcomes = [results.get(timeout=BARRIER_SECONDS) for _ in runs]
        seconds = time.perf_counter() - started
    except threading.BrokenBarrierError:
        pytest.fail(f"a run stopped:\n{_why_stopped(results)}")
    finally:
        _stopped(runs, barrier)
    labs.open_delivered(NOW + timedelta(minutes=1, seconds=30))
    _take_in_receipts(hub_home, NOW + timedelta(minutes=2))
    figures = _check_race(hub_home, labs, Race(1, outcomes, seconds))
    assert figures["checkpoints"] == 3
    print("\nconcurrent flow runs:", ", ".join(f"{k}: {v}" for k, v in figures.items()))
