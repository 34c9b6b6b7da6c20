"""The `exchange` flow: collect every lab, issue and deliver bulletins, publish advisories,
sign a checkpoint. One task per lab or per recipient, never per indicator."""

from datetime import datetime, timedelta

from prefect import flow, get_run_logger, task
from prefect.futures import wait

from sharing.checkpoints import seal_checkpoint
from sharing.clock import utcnow
from sharing.collect import CollectReport, collect_lab
from sharing.delivery import deliver_bulletins
from sharing.exchange import Exchange
from sharing.issuing import issue_bulletin
from sharing.publishing import publish_advisories
from sharing.run_summary import LabOutcome, RunSummary


@task(retries=2, retry_delay_seconds=1, task_run_name="collect-{lab}")
def collect(home: str, lab: str, now: datetime) -> CollectReport:
    return collect_lab(Exchange.open(home, now=now), lab, now=now)


@task(retries=1, retry_delay_seconds=1, task_run_name="bulletin-{lab}")
def bulletin(home: str, lab: str, now: datetime) -> LabOutcome:
    """Issue the lab's next bulletin (if anything changed) and deliver all it has not got."""
    exchange = Exchange.open(home, now=now)
    issued = issue_bulletin(exchange, lab, now=now)
    paths = deliver_bulletins(exchange, lab, now=now)
    return LabOutcome(lab=lab, issued=issued, delivered=[str(p) for p in paths])


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
    home: str = ".dtix", now: datetime | None = None, advisory_period_days: int = 7
) -> RunSummary:
    """Run the whole exchange once. A lab whose collection fails does not stop the others."""
    logger = get_run_logger()
    now = now or utcnow()
    labs = [lab.id for lab in Exchange.open(home, now=now).federation.labs]
    collecting = {lab: collect.submit(home, lab, now) for lab in labs}
    wait(list(collecting.values()))
    summary = RunSummary(now=now)
    for lab, future in collecting.items():
        state = future.state
        if state.is_completed():
            summary.collected.append(future.result())
        else:
            summary.failed[lab] = _reason(state)
            logger.error("collection for %s failed: %s", lab, summary.failed[lab])
    issuing = [bulletin.submit(home, lab, now) for lab in labs]
    summary.bulletins.extend(f.result() for f in issuing)
    summary.advisories.extend(advisories(home, now, advisory_period_days))
    summary.checkpoint = checkpoint(home, now)
    logger.info(summary.describe())
    return summary


def _reason(state: object) -> str:
    try:
        state.result()  # type: ignore[attr-defined]
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"
    return str(getattr(state, "message", "failed"))
