"""`dtix audit ...`: verify the audit log, print its checkpoint and keys, export it, prove.

`dtix audit shared` and `dtix audit report` live in audit_report_commands.
"""

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from sharing.cli.console import HomeOption, err, home_of, out, reports_errors
from sharing.clock import utcnow

audit_app = typer.Typer(help="Inspect, prove and verify the audit log.", no_args_is_help=True)


def _exchange(home: Path | None):  # type: ignore[no-untyped-def]
    from sharing.exchange import Exchange

    return Exchange.open(home_of(home).root, now=utcnow())


def _print_json(value: Any) -> None:
    sys.stdout.write(json.dumps(value, indent=2) + "\n")


@audit_app.command("verify")
@reports_errors
def audit_verify(home: HomeOption = None) -> None:
    """Recompute the Merkle tree and check every signed checkpoint; name the first fault."""
    from sharing.checkpoints import verify_audit

    report = verify_audit(_exchange(home))
    out.print(
        f"audit log verified: {report.size} entries, root {report.root}, "
        f"{report.checkpoints} checkpoints"
    )


@audit_app.command("checkpoint")
@reports_errors
def audit_checkpoint(home: HomeOption = None) -> None:
    """Print the latest signed checkpoint (a C2SP signed note)."""
    from sharing.audit.log import latest_checkpoint
    from sharing.errors import AuditError

    with _exchange(home).session() as session:
        checkpoint = latest_checkpoint(session)
    if checkpoint is None:
        raise AuditError("no checkpoint yet: run the exchange first")
    sys.stdout.write(checkpoint.note)


@audit_app.command("log-key")
@reports_errors
def audit_log_key(home: HomeOption = None) -> None:
    """Print the C2SP verifier keys of the hub's log keys (current first, then retired)."""
    from sharing.audit.log_keys import verifier_keys

    exchange = _exchange(home)
    for line in verifier_keys(exchange.federation.origin, exchange.federation.hub):
        sys.stdout.write(line + "\n")


@audit_app.command("export")
@reports_errors
def audit_export(
    home: HomeOption = None,
    out_file: Annotated[
        Path | None, typer.Option("--out", help="Write here instead of standard output.")
    ] = None,
) -> None:
    """Write every leaf of the log, one canonical JSON object per line, in index order."""
    from sharing.audit.reading import export_leaves

    with _exchange(home).session() as session:
        if out_file is None:
            count = export_leaves(session, sys.stdout.buffer)
            sys.stdout.buffer.flush()
        else:
            with out_file.open("wb") as handle:
                count = export_leaves(session, handle)
    err.print(f"{count} entries exported" + (f" to {out_file}" if out_file else ""))


@audit_app.command("prove")
@reports_errors
def audit_prove(
    index: Annotated[int, typer.Option("--index", help="The entry to prove.")],
    size: Annotated[
        int | None, typer.Option("--size", help="Tree size (default: the latest checkpoint's).")
    ] = None,
    home: HomeOption = None,
) -> None:
    """An inclusion proof (JSON) of one entry against a signed tree size."""
    from sharing.audit.proving import inclusion

    with _exchange(home).session() as session:
        _print_json(inclusion(session, index, size))


@audit_app.command("consistency")
@reports_errors
def audit_consistency(
    old: Annotated[int, typer.Option("--from", help="The older tree size.")],
    new: Annotated[
        int | None, typer.Option("--to", help="The newer size (default: the latest checkpoint's).")
    ] = None,
    home: HomeOption = None,
) -> None:
    """A consistency proof (JSON) that the log of size --from is a prefix of size --to."""
    from sharing.audit.proving import consistency

    with _exchange(home).session() as session:
        _print_json(consistency(session, old, new))
