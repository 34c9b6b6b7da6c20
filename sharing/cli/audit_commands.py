"""`dtix audit ...`: inspect and verify the audit log."""

import sys

import typer

from sharing.cli.console import HomeOption, home_of, out, reports_errors
from sharing.clock import utcnow

audit_app = typer.Typer(help="Inspect and verify the audit log.", no_args_is_help=True)


@audit_app.command("verify")
@reports_errors
def audit_verify(home: HomeOption = None) -> None:
    """Recompute the Merkle tree and check every signed checkpoint."""
    from sharing.checkpoints import verify_audit
    from sharing.exchange import Exchange

    report = verify_audit(Exchange.open(home_of(home).root, now=utcnow()))
    out.print(
        f"audit log verified: {report.size} entries, root {report.root}, "
        f"{report.checkpoints} checkpoints"
    )


@audit_app.command("checkpoint")
@reports_errors
def audit_checkpoint(home: HomeOption = None) -> None:
    """Print the latest signed checkpoint."""
    from sharing.audit.log import latest_checkpoint
    from sharing.errors import AuditError
    from sharing.exchange import Exchange

    exchange = Exchange.open(home_of(home).root, now=utcnow())
    with exchange.session() as session:
        checkpoint = latest_checkpoint(session)
    if checkpoint is None:
        raise AuditError("no checkpoint yet: run the exchange first")
    sys.stdout.write(checkpoint.note)
