"""CSV that a spreadsheet opens as text: no cell can start a formula (OWASP CSV injection).

A cell whose first character a spreadsheet may read as the start of a formula (`=`, `+`,
`-`, `@`, tab, carriage return, their full-width forms, or any of these after leading
spaces) gets one `'` in front; so does a cell that already starts with `'`, so that a
reader gets the original back by removing exactly one leading `'` (docs/exports.md).
"""

import csv
import io
from collections.abc import Iterable, Sequence

FORMULA_STARTS = frozenset("=+-@\t\r\uff1d\uff0b\uff0d\uff20")
ESCAPE = "'"


def neutralized(cell: str) -> str:
    """`cell` as written: with a leading `'` when it could start a formula or starts with `'`."""
    if cell.startswith(ESCAPE) or cell.lstrip(" ")[:1] in FORMULA_STARTS:
        return ESCAPE + cell
    return cell


def original(cell: str) -> str:
    """The value a cell written by `safe_csv` stood for: one leading `'` removed."""
    return cell[1:] if cell.startswith(ESCAPE) else cell


def safe_csv(columns: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """CSV text of a header and rows, every cell neutralized: RFC 4180 (CRLF line ends, a
    cell in double quotes when it holds a comma, a quote, CR or LF, `""` for a quote inside).
    `None` is an empty cell, booleans are `true`/`false`, anything else is its `str`.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralized(c) for c in columns])
    for row in rows:
        writer.writerow([neutralized(_text(cell)) for cell in row])
    return buffer.getvalue()


def _text(cell: object) -> str:
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "true" if cell else "false"
    return str(cell)
