"""`dtix indicators ...`: apply the indicator catalogue to files, without a federation."""

import sys
from contextlib import ExitStack
from pathlib import Path
from typing import Annotated

import typer

from sharing.cli.console import err, reports_errors

indicators_app = typer.Typer(
    help="Check and normalize files of indicator records.", no_args_is_help=True
)


@indicators_app.command("normalize")
@reports_errors
def normalize(
    source: Annotated[
        Path, typer.Argument(help="Records: JSON Lines, CSV with a header, or a STIX 2.1 bundle.")
    ],
    out: Annotated[
        Path | None, typer.Option("--out", help="Write canonical records here (default: stdout).")
    ] = None,
    rejects: Annotated[
        Path | None, typer.Option("--rejects", help="Write rejects here as JSON Lines.")
    ] = None,
) -> None:
    """Rewrite every record in canonical form; rejects get their line number and reason."""
    from sharing.errors import InputError
    from sharing.normalizing import normalize_file, replaced_on_success

    if not source.exists():
        raise InputError(f"no such file: {source}")
    if not source.is_file():
        raise InputError(f"{source} is not a file")
    with ExitStack() as files:
        out_stream = files.enter_context(replaced_on_success(out)) if out else sys.stdout.buffer
        reject_stream = files.enter_context(replaced_on_success(rejects)) if rejects else None
        summary = normalize_file(source, out_stream, reject_stream)
        out_stream.flush()
    where = f", written to {rejects}" if rejects else " (write them with --rejects FILE)"
    err.print(
        f"{source}: {summary.records} records in, {summary.accepted} out, "
        f"{summary.rejected} rejected" + (where if summary.rejected else ""),
        highlight=False,
        markup=False,
    )
