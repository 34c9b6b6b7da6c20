"""`dtix audit shared` and `dtix audit report`: what was shared with whom, from the log."""

import csv
import dataclasses
import io
import json
import sys
from datetime import UTC, datetime, time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from sharing.cli.audit_commands import audit_app
from sharing.cli.console import HomeOption, err, home_of, out, reports_errors
from sharing.clock import utcnow
from sharing.errors import InputError

FORMATS = ("table", "csv", "json")
TABLE_COLUMNS = ("time", "recipient", "kind", "seq", "tlp", "clearance", "indicators")
TABLE_COLUMNS += ("delivered", "acknowledged", "id")
COLUMNS = (
    "time",
    "kind",
    "recipient",
    "id",
    "seq",
    "tlp",
    "clearance",
    "indicators",
    "delivered",
    "acknowledged",
    "entry",
    "sha256",
)


def parse_moment(text: str | None, option: str, *, end_of_day: bool = False) -> datetime | None:
    """An RFC 3339 time or a date (UTC when no offset is given); a date alone means the
    start of that day, or its end for --until."""
    if text is None:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise InputError(f"{option} {text!r} is not a date or an RFC 3339 time") from None
    if len(text) == 10 and end_of_day:
        moment = datetime.combine(moment.date(), time.max)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _rows(items: list) -> list[dict]:  # type: ignore[type-arg]
    return [{c: dataclasses.asdict(item)[c] for c in COLUMNS} for item in items]


@audit_app.command("shared")
@reports_errors
def audit_shared(
    home: HomeOption = None,
    with_: Annotated[str | None, typer.Option("--with", help="Only what went to this lab.")] = None,
    indicator: Annotated[
        str | None, typer.Option(help="Only what carried this indicator, as TYPE:VALUE.")
    ] = None,
    since: Annotated[str | None, typer.Option(help="From this date or time (UTC).")] = None,
    until: Annotated[str | None, typer.Option(help="Up to this date or time (UTC).")] = None,
    format: Annotated[str, typer.Option(help="table, csv or json")] = "table",
) -> None:
    """What was shared with whom, when and at which TLP, from the audit log alone."""
    from sharing.audit.reading import read_entries
    from sharing.audit.shared import ACTIONS, SharedQuery, shared_items
    from sharing.exchange import Exchange

    if format not in FORMATS:
        raise typer.BadParameter(f"--format must be one of {', '.join(FORMATS)}")
    query = SharedQuery.parse(
        recipient=with_,
        indicator=indicator,
        since=parse_moment(since, "--since"),
        until=parse_moment(until, "--until", end_of_day=True),
    )
    exchange = Exchange.open(home_of(home).root, now=utcnow())
    if with_ is not None:
        exchange.federation.participant(with_)
    with exchange.session() as session:
        rows = _rows(shared_items(read_entries(session, actions=ACTIONS), query))
    if format == "json":
        sys.stdout.write(json.dumps(rows, indent=2) + "\n")
    elif format == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        sys.stdout.write(buffer.getvalue())
    elif out.is_terminal:
        out.print(_table(rows))
    else:  # piped: do not squeeze the table to 80 columns
        Console(width=160, soft_wrap=True).print(_table(rows))


def _short(value: object) -> str:
    """A cell: audit times to the minute, long ids cut, None blank."""
    if value is None:
        return ""
    text = str(value)
    if len(text) == 27 and text.endswith("Z") and text[10] == "T":
        return f"{text[:10]} {text[11:16]}"
    return text if len(text) <= 12 else text[:8] + "…"


def _table(rows: list[dict]) -> Table:  # type: ignore[type-arg]
    table = Table(title=f"Shared, from the audit log ({len(rows)} items)")
    shown = TABLE_COLUMNS
    for column in shown:
        numeric = column in ("seq", "indicators")
        table.add_column(column, justify="right" if numeric else "left", no_wrap=True)
    for row in rows:
        table.add_row(*(_short(row[c]) for c in shown))
    return table


@audit_app.command("report")
@reports_errors
def audit_report(
    out_file: Annotated[Path, typer.Option("--out", help="The HTML file to write.")],
    home: HomeOption = None,
) -> None:
    """A self-contained HTML report for oversight, built from the latest checkpoint."""
    from sharing.audit.report_render import write_report
    from sharing.exchange import Exchange

    now = utcnow()
    facts = write_report(Exchange.open(home_of(home).root, now=now), out_file, now=now)
    err.print(f"report of {facts.size} entries (root {facts.root[:16]}...) written to {out_file}")
