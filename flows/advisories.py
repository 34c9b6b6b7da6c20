"""The daily `advisories` flow: render the hub's advisory for the last period, hand each lab
its own edition (sealed above TLP:CLEAR), then sign a checkpoint. One task per lab."""

from datetime import datetime, timedelta

from prefect import flow, get_run_logger, task
from prefect.futures import wait

from sharing.checkpoints import seal_checkpoint
from sharing.clock import utcnow
from sharing.exchange import Exchange
from sharing.publishing import DAILY_FORMATS, distribute_advisory, publish_advisories


@task(retries=1, retry_delay_seconds=1, task_run_name="render-advisories")
def render(home: str, now: datetime, period_days: int) -> list[str]:
    """The hub's edition in every format (PDF when a browser is installed)."""
    exchange = Exchange.open(home, now=now)
    period = timedelta(days=period_days)
    return [
        str(p) for p in publish_advisories(exchange, now=now, period=period, formats=DAILY_FORMATS)
    ]


@task(retries=1, retry_delay_seconds=1, task_run_name="advisory-{lab}")
def distribute(home: str, lab: str, now: datetime, period_days: int) -> str | None:
    """`lab`'s edition in its outbox; None when today's was already written."""
    exchange = Exchange.open(home, now=now)
    path = distribute_advisory(exchange, lab, now=now, period=timedelta(days=period_days))
    return str(path) if path else None


@task(task_run_name="checkpoint")
def checkpoint(home: str, now: datetime) -> str:
    note, _ = seal_checkpoint(Exchange.open(home, now=now), now=now)
    return note.note


@flow(name="advisories")
def advisories(home: str = ".dtix", now: datetime | None = None, period_days: int = 7) -> list[str]:
    """Render and distribute the advisories, then sign a checkpoint of the audit log.

    A lab whose edition fails does not stop the others; the next run retries it.
    """
    logger = get_run_logger()
    now = now or utcnow()
    labs = [lab.id for lab in Exchange.open(home, now=now).federation.labs]
    paths = render(home, now, period_days)
    futures = {lab: distribute.submit(home, lab, now, period_days) for lab in labs}
    wait(list(futures.values()))
    for lab, future in futures.items():
        try:
            written = future.result()
        except Exception as exc:
            logger.error("advisory for %s failed: %s", lab, exc)
            continue
        if written:
            paths.append(written)
    checkpoint(home, now)
    return paths
