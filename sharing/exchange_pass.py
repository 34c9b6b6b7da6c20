"""One exchange pass in process, without Prefect: the `exchange` flow's stages in its order.

Collect every lab, take in their receipts, issue and deliver each lab's bulletin, publish
the advisories, seal a checkpoint. Two passes (or flow runs) may run at the same moment
against one store: the store keeps them apart (docs/collection.md, "Concurrent runs").
Unlike the flow, a pass stops at the first error; a later pass picks up whatever is left.
"""

from collections.abc import Sequence
from datetime import datetime, timedelta

from sharing.acknowledging import acknowledge_receipts
from sharing.checkpoints import seal_checkpoint
from sharing.collect import collect_lab
from sharing.delivery import deliver_bulletins
from sharing.exchange import Exchange
from sharing.issuing import issue_bulletin
from sharing.publishing import publish_advisories
from sharing.run_summary import LabOutcome, RunSummary


def bulletin_for(exchange: Exchange, lab: str, *, now: datetime) -> LabOutcome:
    """Issue the lab's next bulletin (if anything changed) and deliver all it has not got."""
    issued = issue_bulletin(exchange, lab, now=now)
    paths = deliver_bulletins(exchange, lab, now=now)
    return LabOutcome(lab=lab, issued=issued, delivered=[str(p) for p in paths])


def exchange_pass(
    exchange: Exchange,
    *,
    now: datetime,
    labs: Sequence[str] | None = None,
    advisory_period: timedelta | None = timedelta(days=7),
) -> RunSummary:
    """Run every stage once for `labs` (default: every lab, in federation order); no
    advisories when `advisory_period` is None."""
    order = list(labs) if labs is not None else [lab.id for lab in exchange.federation.labs]
    summary = RunSummary(now=now)
    summary.collected.extend(collect_lab(exchange, lab, now=now) for lab in order)
    for lab in order:
        acknowledge_receipts(exchange, lab, now=now)
    summary.bulletins.extend(bulletin_for(exchange, lab, now=now) for lab in order)
    if advisory_period is not None:
        published = publish_advisories(exchange, now=now, period=advisory_period)
        summary.advisories.extend(str(p) for p in published)
    checkpoint, _ = seal_checkpoint(exchange, now=now)
    summary.checkpoint = checkpoint.note
    return summary
