"""The `exchange` flow: collect every lab, issue and deliver bulletins, publish advisories,
sign a checkpoint. One task per lab or per recipient, never per indicator."""

from datetime import datetime, timedelta
from typing import TypeVar

from prefect import flow, get_run_logger, task
from prefect.futures import PrefectFuture, wait

from flows.approval import review
from flows.parallel_collection import parallel_collection
from sharing.acknowledging import AcknowledgeReport, acknowledge_receipts
from sharing.checkpoints import seal_checkpoint
from sharing.clock import utcnow
from sharing.collect import CollectReport, collect_lab
from sharing.exchange import Exchange
from sharing.exchange_pass import bulletin_for
from sharing.publishing import publish_advisories
from sharing.run_summary import LabOutcome, RunSummary
from sharing.taxii.pull import pull_lab
from sharing.taxii.sources import taxii_sources

T = TypeVar("T")


@task(retries=2, retry_delay_seconds=1, task_run_name="collect-{lab}")
def collect(home: str, lab: str, now: datetime) -> CollectReport:
    return collect_lab(Exchange.open(home, now=now), lab, now=now)


@task(retries=2, retry_delay_seconds=1, task_run_name="taxii-pull-{lab}")
def pull(home: str, lab: str, now: datetime) -> int:
    """Pull what the lab published on its own TAXII server into its inbox, to be collected."""
    report = pull_lab(Exchange.open(home, now=now), lab, now=now)
    return 0 if report is None else report.objects


@task(retries=2, retry_delay_seconds=1, task_run_name="receipts-{lab}")
def receipts(home: str, lab: str, now: datetime) -> AcknowledgeReport:
    """Check and log the signed receipts of the bulletins the lab has opened."""
    return acknowledge_receipts(Exchange.open(home, now=now), lab, now=now)


@task(retries=1, retry_delay_seconds=1, task_run_name="bulletin-{lab}")
def bulletin(home: str, lab: str, now: datetime) -> LabOutcome:
    """Issue the lab's next bulletin (if anything changed) and deliver all it has not got."""
    return bulletin_for(Exchange.open(home, now=now), lab, now=now)


@task(task_run_name="advisories")
def advisories(home: str, now: datetime, period_days: int) -> list[str]:
    exchange = Exchange.open(home, now=now)
    paths = publish_advisories(exchange, now=now, period=timedelta(days=period_days))
    return [str(p) for p in paths]


@task(task_run_name="checkpoint")
def checkpoint(home: str, now: datetime) -> str:
    note, _ = seal_checkpoint(Exchange.open(home, now=now), now=now)
    return note.note


@flow(name="exchange")
def exchange(
    home: str = ".dtix",
    now: datetime | None = None,
    advisory_period_days: int = 7,
    review_timeout_seconds: int = 0,
    collect_workers: int = 0,
) -> RunSummary:
    """Run the whole exchange once. A lab whose collection or bulletin fails does not stop
    the others; what failed is logged, returned, and retried by the next run.
    `collect_workers` > 0 collects the inboxes in batches over that many processes."""
    logger = get_run_logger()
    now = now or utcnow()
    opened = Exchange.open(home, now=now)
    labs = [lab.id for lab in opened.federation.labs]
    summary = RunSummary(now=now)
    sources = taxii_sources(opened.home, opened.federation)
    _, unpulled = _settle({lab: pull.submit(home, lab, now) for lab in labs if lab in sources})
    for lab, reason in unpulled.items():
        logger.error("TAXII pull for %s failed: %s", lab, reason)
    if collect_workers > 0:
        batched = parallel_collection(collect_workers)(home, now, collect_workers)
        summary.collected, summary.failed = batched.collected, batched.failed
    else:
        collected, summary.failed = _settle({lab: collect.submit(home, lab, now) for lab in labs})
        summary.collected.extend(collected)
    _, unacknowledged = _settle({lab: receipts.submit(home, lab, now) for lab in labs})
    for lab, reason in unacknowledged.items():
        logger.error("receipts of %s failed: %s", lab, reason)
    issued, summary.failed_bulletins = _settle(
        {lab: bulletin.submit(home, lab, now) for lab in labs}
    )
    summary.bulletins.extend(issued)
    if review_timeout_seconds > 0:  # pause for decisions on held items (flows/approval.py)
        review(home, timeout_seconds=review_timeout_seconds, now=now)
    for stage, failures in (("collection", summary.failed), ("bulletin", summary.failed_bulletins)):
        for lab, reason in failures.items():
            logger.error("%s for %s failed: %s", stage, lab, reason)
    summary.advisories.extend(advisories(home, now, advisory_period_days))
    summary.checkpoint = checkpoint(home, now)
    logger.info(summary.describe())
    return summary


def _settle(futures: dict[str, PrefectFuture[T]]) -> tuple[list[T], dict[str, str]]:
    """Wait for every lab's task; split what completed from why the others failed."""
    wait(list(futures.values()))
    done: list[T] = []
    failed: dict[str, str] = {}
    for lab, future in futures.items():
        try:
            done.append(future.result())
        except Exception as exc:
            failed[lab] = f"{type(exc).__name__}: {exc}"
    return done, failed
