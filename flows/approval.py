"""The `review` flow: pause for an analyst's decisions on held items, apply them, and issue
again. Nothing held is sent when the pause times out: the items stay pending for the next
run or for `dtix review`."""

from datetime import datetime

from prefect import flow, get_run_logger
from prefect.exceptions import FlowPauseTimeout
from prefect.flow_runs import pause_flow_run
from prefect.input import RunInput
from pydantic import Field

from sharing.approval import apply_decisions, decisions_from, pending_items
from sharing.clock import utcnow
from sharing.delivery import deliver_bulletins
from sharing.exchange import Exchange
from sharing.issuing import issue_bulletin


class ReviewInput(RunInput):
    """An analyst's decisions: item ids to approve or reject, and 'ID field=value' edits
    (each an approval with that edit); who decides and why go into the audit log."""

    by: str
    why: str
    approve: list[int] = Field(default_factory=list)
    reject: list[int] = Field(default_factory=list)
    edit: list[str] = Field(default_factory=list)


@flow(name="review")
def review(home: str = ".dtix", timeout_seconds: int = 3600, now: datetime | None = None) -> int:
    """Wait for decisions on what is held; returns the number of decisions taken."""
    logger = get_run_logger()
    now = now or utcnow()
    exchange = Exchange.open(home, now=now)
    pending = pending_items(exchange)
    if not pending:
        return 0
    for row in pending:
        logger.info("held: item %s (%s): %s", row.id, row.subject, row.reason)
    try:
        answer = pause_flow_run(wait_for_input=ReviewInput, timeout=timeout_seconds)
    except FlowPauseTimeout:
        logger.warning("no decision before the timeout: %d item(s) stay held", len(pending))
        return 0
    decisions = decisions_from(
        answer.approve, answer.reject, answer.edit, by=answer.by, why=answer.why
    )
    apply_decisions(exchange, decisions, now=now)
    for lab in exchange.federation.labs:
        if issue_bulletin(exchange, lab.id, now=now) is not None:
            deliver_bulletins(exchange, lab.id, now=now)
    return len(decisions)
