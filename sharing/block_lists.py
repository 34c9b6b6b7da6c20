"""Block lists of a lab's received indicators, for firewalls and SIEMs (docs/exports.md).

Two shapes: one CSV with every field of every record (through `spreadsheet_safe_csv`, so
no cell can start a formula), and plain text, one list per type with one value a line.
A value that could span lines or hold a control character is left out of a plain list
and counted, never escaped: an escaped value would be blocked as a different one.
"""

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sharing.spreadsheet_safe_csv import safe_csv

COLUMNS = (
    "type",
    "value",
    "tlp",
    "confidence",
    "labs",
    "corroborated",
    "first_seen",
    "last_seen",
    "valid_until",
    "campaign",
    "tags",
)
TAG_SEPARATOR = ";"
_NOT_ON_ONE_LINE = frozenset(("Cc", "Cs", "Zl", "Zp"))  # controls, surrogates, line/para seps


@dataclass(frozen=True)
class PlainList:
    """The values of one type, one a line, and how many were left out."""

    type: str
    text: str
    skipped: int


def block_list_csv(indicators: Iterable[dict[str, Any]]) -> str:
    """One CSV row per record with the columns of `COLUMNS`; tags joined by `;`."""
    rows = (
        [
            TAG_SEPARATOR.join(record.get("tags") or []) if name == "tags" else record.get(name)
            for name in COLUMNS
        ]
        for record in indicators
    )
    return safe_csv(COLUMNS, rows)


def plain_lists(indicators: Iterable[dict[str, Any]]) -> dict[str, PlainList]:
    """A plain list per type present in `indicators`, values in the order given."""
    by_type: dict[str, list[str]] = {}
    for record in indicators:
        by_type.setdefault(record["type"], []).append(record["value"])
    return {name: _plain_list(name, values) for name, values in sorted(by_type.items())}


def plain_list(indicators: Iterable[dict[str, Any]], type_name: str) -> PlainList:
    """The plain list of one type (empty when `indicators` hold none of it)."""
    return _plain_list(type_name, [r["value"] for r in indicators if r["type"] == type_name])


def fits_one_line(value: str) -> bool:
    """True when `value` holds no control character, surrogate or line/paragraph separator."""
    return bool(value) and not any(unicodedata.category(c) in _NOT_ON_ONE_LINE for c in value)


def _plain_list(type_name: str, values: list[str]) -> PlainList:
    kept = [v for v in values if fits_one_line(v)]
    return PlainList(type_name, "".join(v + "\n" for v in kept), len(values) - len(kept))
