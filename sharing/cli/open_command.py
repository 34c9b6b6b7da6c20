"""`dtix open`: a lab verifies, replay-checks and decrypts a bulletin and prints its indicators."""

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from sharing.cli.app import app
from sharing.cli.console import HomeOption, err, home_of, reports_errors
from sharing.clock import utcnow


@app.command("open")
@reports_errors
def open_(
    bulletin: Annotated[Path, typer.Argument(help="A dtix-bulletin/1 file.")],
    as_: Annotated[str, typer.Option("--as", help="The lab opening it.")],
    home: HomeOption = None,
    format: Annotated[str, typer.Option(help="jsonl, csv or stix (a STIX 2.1 bundle)")] = "jsonl",
    accept_gap: Annotated[
        bool, typer.Option(help="Accept that earlier bulletins of the stream are lost.")
    ] = False,
) -> None:
    """Verify, replay-check and decrypt a bulletin, then print its indicators."""
    from sharing.receiver import receive_bulletin

    if format not in ("jsonl", "csv", "stix"):
        raise typer.BadParameter("--format must be jsonl, csv or stix")
    data = bulletin.read_bytes()
    received = receive_bulletin(home_of(home), as_, data, now=utcnow(), accept_gap=accept_gap)
    h = received.header
    err.print(
        f"bulletin {h['id']}: stream {h['stream']} seq {h['seq']}, "
        f"{len(received.indicators)} indicators, TLP:{received.body['tlp'].upper()}"
    )
    federation = received.body.get("federation", "dtix")
    sys.stdout.write(
        format_indicators(received.indicators, format, received.header, federation=federation)
    )


def format_indicators(
    indicators: list[dict[str, Any]],
    fmt: str,
    header: dict[str, Any] | None = None,
    *,
    federation: str = "dtix",
) -> str:
    """The indicators as JSON Lines, a CSV block list (cells safe to open in a spreadsheet),
    or a STIX 2.1 bundle (which needs the header)."""
    if fmt == "stix" and header is not None:
        from sharing.stix_export import to_bundle

        return to_bundle(header, indicators, federation=federation)
    if fmt == "jsonl":
        return "".join(json.dumps(i, sort_keys=True) + "\n" for i in indicators)
    from sharing.block_lists import block_list_csv

    return block_list_csv(indicators)
