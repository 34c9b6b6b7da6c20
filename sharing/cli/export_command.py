"""`dtix export`: a lab writes what its accepted bulletins carried as STIX, MISP, block lists
or JSON Lines (docs/exports.md)."""

import json
import re
import sys
from pathlib import Path
from typing import Annotated

import typer

from sharing.atomic_files import write_atomically
from sharing.cli.app import app
from sharing.cli.console import HomeOption, err, home_of, reports_errors, split_list
from sharing.clock import utcnow
from sharing.errors import DtixError
from sharing.export_selection import ExportSelection, select_for_export

FORMATS = ("stix", "misp", "csv", "txt", "jsonl")
_SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}")


@app.command("export")
@reports_errors
def export(
    as_: Annotated[str, typer.Option("--as", help="The lab whose accepted bulletins to export.")],
    format: Annotated[str, typer.Option(help="stix, misp, csv, txt or jsonl.")],
    home: HomeOption = None,
    out: Annotated[
        Path | None,
        typer.Option(help="File (stix, csv, jsonl) or folder (misp, txt); default: stdout."),
    ] = None,
    type_: Annotated[
        list[str] | None,
        typer.Option(
            "--type", metavar="TYPE", help="Only these indicator types (repeat, or a comma list)."
        ),
    ] = None,
    bulletin: Annotated[
        str | None, typer.Option(help="Only this accepted bulletin (its id), not the whole view.")
    ] = None,
) -> None:
    """Export the lab's current view (the latest form of each unexpired indicator its
    accepted bulletins carried), or one accepted bulletin."""
    if format not in FORMATS:
        raise DtixError(f"--format must be one of {', '.join(FORMATS)}, not '{format}'")
    types = tuple(name for item in type_ or () for name in split_list(item))
    if format == "txt" and out is None and len(set(types)) != 1:
        raise DtixError("--format txt to standard output needs exactly one --type (or --out DIR)")
    selection = select_for_export(
        home_of(home), as_, now=utcnow(), bulletin_id=bulletin, types=types
    )
    if format == "misp":
        _write_misp(selection, out)
    elif format == "txt":
        _write_txt(selection, types, out)
    else:
        _write_one(_render(selection, format), out)
    err.print(
        f"exported {len(selection.indicators)} indicators from {len(selection.groups)} "
        f"bulletin(s) of {as_} as {format}" + (f" to {out}" if out else ""),
        highlight=False,
        markup=False,
    )


def _render(selection: ExportSelection, fmt: str) -> str:
    if fmt == "stix":
        from sharing.stix_export import to_bundle

        header = selection.stix_header()
        return to_bundle(header, selection.indicators, federation=selection.federation)
    if fmt == "csv":
        from sharing.block_lists import block_list_csv

        return block_list_csv(selection.indicators)
    from sharing.cli.open_command import format_indicators

    return format_indicators(selection.indicators, "jsonl")


def _write_one(text: str, out: Path | None) -> None:
    if out is None:
        sys.stdout.write(text)
    else:
        write_atomically(out, text.encode("utf-8"))


def _write_misp(selection: ExportSelection, out: Path | None) -> None:
    """One `<bulletin-id>.json` per bulletin into `out`; else a JSON list of the events on
    stdout, or the one event when a single bulletin was asked for."""
    from sharing.misp_export import misp_event

    events = [(b.header["id"], misp_event(b, records)) for b, records in selection.groups]
    if out is None:
        shown = events[0][1] if selection.bulletin is not None else [e for _, e in events]
        sys.stdout.write(json.dumps(shown, indent=2) + "\n")
        return
    named = [(out / f"{_file_name(bulletin_id)}.json", event) for bulletin_id, event in events]
    for path, event in named:
        write_atomically(path, (json.dumps(event, indent=2) + "\n").encode("utf-8"))


def _write_txt(selection: ExportSelection, types: tuple[str, ...], out: Path | None) -> None:
    """One `<type>.txt` per type present into `out` (an existing list of a selected type that
    has no value left is emptied, so a firewall stops blocking it); else the one type."""
    from sharing.block_lists import PlainList, plain_list, plain_lists
    from sharing.indicators import CATALOGUE

    if out is None:
        lists = {types[0]: plain_list(selection.indicators, types[0])}
    else:
        lists = plain_lists(selection.indicators)
        for name in set(types) or set(CATALOGUE):
            if name not in lists and (out / f"{name}.txt").exists():
                lists[name] = PlainList(name, "", 0)
    for name, plain in sorted(lists.items()):
        if plain.skipped:
            err.print(
                f"dtix: warning: {plain.skipped} {name} value(s) left out of the plain list: "
                "they hold a line break or control character",
                highlight=False,
                markup=False,
            )
        if out is None:
            sys.stdout.write(plain.text)
        else:
            write_atomically(out / f"{name}.txt", plain.text.encode("utf-8"))


def _file_name(bulletin_id: str) -> str:
    if not _SAFE_NAME.fullmatch(bulletin_id):
        raise DtixError(f"bulletin id {bulletin_id[:80]!r} cannot name a file")
    return bulletin_id
