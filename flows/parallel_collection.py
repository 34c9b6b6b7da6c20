"""The `collect-inbox` flow: a large inbox collected in batches by tasks in separate
processes (Prefect's process-pool task runner), merged in the store without double counting
(`sharing.collect_batches`)."""

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from prefect import Flow, flow, get_run_logger, task
from prefect.client.orchestration import get_client
from prefect.futures import wait
from prefect.task_runners import ProcessPoolTaskRunner

from sharing.collect import CollectReport
from sharing.collect_batches import CollectBatch, by_lab, collect_batch, plan_batches
from sharing.exchange import Exchange
from sharing.run_summary import RunSummary


@task(retries=2, retry_delay_seconds=1, task_run_name="collect-{batch.name}")
def collect_batch_task(home: str, batch: CollectBatch, now: datetime) -> CollectReport:
    return collect_batch(Exchange.open(home, now=now), batch, now=now)


@flow(name="collect-inbox")
def collect_inbox(home: str, now: datetime, workers: int) -> RunSummary:
    """Collect every lab's pending files as batches spread over `workers` processes. A batch
    that fails leaves the others recorded; its lab is reported failed and its files wait
    for the next run."""
    logger = get_run_logger()
    plan = plan_batches(Exchange.open(home, now=now), workers)
    logger.info("%d batches for %d processes", len(plan.batches), workers)
    with _children_use_this_api():
        futures = [(b, collect_batch_task.submit(home, b, now)) for b in plan.batches]
    wait([f for _, f in futures])
    summary = RunSummary(now=now, failed=dict(plan.unreadable))
    reports: list[CollectReport] = []
    for batch, future in futures:
        try:
            reports.append(future.result())
        except Exception as exc:
            reason = f"{batch.name}: {type(exc).__name__}: {exc}"
            earlier = summary.failed.get(batch.lab)
            summary.failed[batch.lab] = f"{earlier}; {reason}" if earlier else reason
    summary.collected.extend(by_lab(reports))
    return summary


def parallel_collection(workers: int) -> Flow[[str, datetime, int], RunSummary]:
    """`collect_inbox` with a pool of `workers` processes."""
    return collect_inbox.with_options(task_runner=ProcessPoolTaskRunner(max_workers=workers))


@contextmanager
def _children_use_this_api() -> Iterator[None]:
    """Point the task processes at this run's API. A one-shot run's temporary server is not in
    the environment, and without it each process would start a temporary server of its own."""
    if os.environ.get("PREFECT_API_URL"):
        yield
        return
    with get_client(sync_client=True) as client:
        os.environ["PREFECT_API_URL"] = str(client.api_url)
    try:
        yield
    finally:
        del os.environ["PREFECT_API_URL"]
