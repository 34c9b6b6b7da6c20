"""The daily `advisories` flow: render the best-practice advisories for the last period."""

from datetime import datetime, timedelta

from prefect import flow, task

from sharing.checkpoints import seal_checkpoint
from sharing.clock import utcnow
from sharing.exchange import Exchange
from sharing.publishing import publish_advisories


@task(task_run_name="render-advisories")
def render(home: str, now: datetime, period_days: int) -> list[str]:
    exchange = Exchange.open(home, now=now)
    paths = publish_advisories(exchange, now=now, period=timedelta(days=period_days))
    seal_checkpoint(exchange, now=now)
    return [str(p) for p in paths]


@flow(name="advisories")
def advisories(home: str = ".dtix", now: datetime | None = None, period_days: int = 7) -> list[str]:
    """Render and publish advisories, then sign a checkpoint of the audit log."""
    return render(home, now or utcnow(), period_days)
