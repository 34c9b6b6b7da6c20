"""`dtix review`: list the items the hub holds for approval, and decide them."""

from typing import Annotated

import typer
from rich.table import Table

from sharing.cli.app import app
from sharing.cli.console import HomeOption, home_of, out, reports_errors
from sharing.clock import utcnow


@app.command("review")
@reports_errors
def review(
    home: HomeOption = None,
    approve: Annotated[list[int] | None, typer.Option(help="Approve item ID.")] = None,
    reject: Annotated[list[int] | None, typer.Option(help="Reject item ID.")] = None,
    edit: Annotated[
        list[str] | None,
        typer.Option(
            help="Approve with an edit: 'ID field=value' (tlp, confidence, campaign, tags)."
        ),
    ] = None,
    by: Annotated[str, typer.Option(help="Who decides (recorded in the audit log).")] = "",
    why: Annotated[str, typer.Option(help="Why (recorded in the audit log).")] = "",
) -> None:
    """Without a decision: list pending items. Every decision is logged with --by and --why."""
    from sharing.approval import apply_decisions, decisions_from, pending_items
    from sharing.exchange import Exchange

    now = utcnow()
    exchange = Exchange.open(home_of(home).root, now=now)
    decisions = decisions_from(approve or [], reject or [], edit or [], by=by, why=why)
    if decisions:
        for row in apply_decisions(exchange, decisions, now=now):
            out.print(f"item {row.id} ({row.subject}): {row.status} by {row.decided_by}")
        return
    pending = pending_items(exchange)
    if not pending:
        out.print("nothing is held for review")
        return
    table = Table("id", "subject", "rule", "reason", "held since")
    for row in pending:
        table.add_row(str(row.id), row.subject, row.rule, row.reason, row.held.isoformat())
    out.print(table)
