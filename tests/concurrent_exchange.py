"""The two runs of tests/test_concurrent_runs.py: processes that a barrier releases together,
each then running one exchange (a pass in process, or the real Prefect flow) on one store.

A run never raises into its process: what it did, or the traceback that stopped it, goes
back to the test through a queue, so the barrier keeps both runs and the test in step.
"""

import os
import random
import traceback
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Barrier
from typing import Any

BARRIER_SECONDS = 300  # a run that takes longer than this has hung


@dataclass
class RunOutcome:
    """What one run did in one round, from its own point of view."""

    runner: int
    round: int
    recorded: dict[str, int] = field(default_factory=dict)  # lab -> submissions it recorded
    found_collected: dict[str, int] = field(default_factory=dict)  # lab -> taken by the other
    issued: dict[str, int] = field(default_factory=dict)  # lab -> seq it issued
    delivered: dict[str, list[str]] = field(default_factory=dict)  # lab -> file names
    error: str | None = None


def round_now(start: datetime, round_: int, runner: int) -> datetime:
    """When a run of a round starts: the runs of one round are a few milliseconds apart,
    in either order, as two runs started together are."""
    jitter = random.Random(f"{round_}-{runner}").randrange(5)
    return start + timedelta(minutes=round_, milliseconds=jitter)


def run_passes(
    home: str, runner: int, rounds: int, start: datetime, barrier: Barrier, results: Queue
) -> None:
    """Run one exchange pass per round, each as soon as the barrier lets both runs go."""
    from sharing.exchange import Exchange
    from sharing.exchange_pass import exchange_pass

    for round_ in range(rounds):
        barrier.wait(BARRIER_SECONDS)
        outcome = RunOutcome(runner, round_)
        try:
            now = round_now(start, round_, runner)
            exchange = Exchange.open(home, now=now)
            labs = [lab.id for lab in exchange.federation.labs]
            random.Random(f"order-{round_}-{runner}").shuffle(labs)
            summary = exchange_pass(exchange, now=now, labs=labs, advisory_period=None)
            _note(outcome, summary)
        except Exception:
            outcome.error = traceback.format_exc()
        results.put(outcome)
        barrier.wait(BARRIER_SECONDS)


def run_flow(
    home: str, runner: int, prefect_home: str, now: datetime, barrier: Barrier, results: Queue
) -> None:
    """Run the real `exchange` flow once, on a temporary Prefect server of this process's
    own, started before the barrier so that both flows start at the same moment."""
    os.environ.update(
        PREFECT_HOME=prefect_home,
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        PREFECT_SERVER_ALLOW_EPHEMERAL_MODE="true",
        PREFECT_LOGGING_TO_API_ENABLED="false",
    )
    os.environ.pop("PREFECT_API_URL", None)
    outcome = RunOutcome(runner, 0)
    try:
        from prefect.client.orchestration import get_client

        from flows.exchange import exchange

        with get_client(sync_client=True) as client:
            client.api_healthcheck()  # starts this process's temporary server
        barrier.wait(BARRIER_SECONDS)
        summary = exchange(home=home, now=now)
        _note(outcome, summary)
        failures = {**summary.failed, **summary.failed_bulletins}
        if failures:
            outcome.error = f"failed stages: {failures}"
    except Exception:
        outcome.error = traceback.format_exc()
        barrier.abort()
    results.put(outcome)


def _note(outcome: RunOutcome, summary: Any) -> None:
    for report in summary.collected:
        outcome.recorded[report.lab] = report.submissions
        outcome.found_collected[report.lab] = report.already_collected
    for bulletin in summary.bulletins:
        if bulletin.issued is not None:
            outcome.issued[bulletin.lab] = bulletin.issued.seq
        outcome.delivered[bulletin.lab] = [os.path.basename(p) for p in bulletin.delivered]
