"""`dtix advise`: render an advisory on demand, to standard output unless --out is given."""

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from sharing.cli.app import app
from sharing.cli.console import HomeOption, err, home_of, reports_errors
from sharing.clock import utcnow


@app.command()
@reports_errors
def advise(
    home: HomeOption = None,
    period: Annotated[
        str, typer.Option(help="The window ending now: hours, days or weeks (24h, 7d, 2w).")
    ] = "7d",
    technique: Annotated[
        str | None,
        typer.Option(help="Only this technique, e.g. proxy-hydra (default: all of them)."),
    ] = None,
    format: Annotated[str, typer.Option(help="md, html, txt, or pdf (needs --out).")] = "md",
    out: Annotated[
        Path | None, typer.Option(help="Write to this file instead of standard output.")
    ] = None,
    for_: Annotated[
        str | None,
        typer.Option("--for", help="Render the edition this lab would receive."),
    ] = None,
) -> None:
    """Render the best-practice advisory for the last period from the store."""
    from sharing.advisories.on_demand import render_on_demand
    from sharing.errors import InputError
    from sharing.exchange import Exchange

    if format == "pdf" and out is None:
        raise InputError("--format pdf needs --out FILE")
    now = utcnow()
    exchange = Exchange.open(home_of(home).root, now=now)
    data = render_on_demand(
        exchange, now=now, period=period, technique=technique, fmt=format, recipient=for_
    )
    if out is None:
        sys.stdout.write(data.decode("utf-8"))
        return
    tmp = out.with_name(f".{out.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, out)
    err.print(f"advisory written to {out}", highlight=False, markup=False)
