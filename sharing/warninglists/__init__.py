"""Warninglist files: the TOML lists shipped in this folder and the rules for reading one.

One list per file (docs/warninglists.md): name, description, source, updated, optional
types, and entries as `networks`, `domains` (with subdomains), `exact_domains` and `asns`.
Entries are checked and made canonical with the indicator catalogue when a file is read.
"""

import re
import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sharing.errors import InputError
from sharing.indicators import CATALOGUE, InvalidIndicator, canonicalize

SHIPPED = Path(__file__).parent
_ENTRY_TYPES = {
    "networks": ("ipv4", "ipv6", "cidr", "url"),
    "domains": ("domain", "email_domain", "url"),
    "exact_domains": ("domain", "email_domain", "url"),
    "asns": ("asn",),
}
_KEYS = frozenset(("name", "description", "source", "updated", "types", *_ENTRY_TYPES))
_NAME = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")
_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")


@dataclass(frozen=True)
class Warninglist:
    """One list: canonical entries, and the indicator types it screens."""

    name: str
    description: str
    source: str
    updated: date | None
    types: frozenset[str]
    networks: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()
    exact_domains: tuple[str, ...] = ()
    asns: tuple[tuple[int, int], ...] = ()


def list_files(extra_dir: Path | None = None) -> list[Path]:
    """The shipped list files, then those of `extra_dir` (whose lists replace shipped ones of
    the same name when read in this order)."""
    files = sorted(SHIPPED.glob("*.toml"))
    if extra_dir is not None:
        if not extra_dir.is_dir():
            raise InputError(f"warninglist folder {extra_dir} does not exist")
        files += sorted(extra_dir.glob("*.toml"))
    return files


def read_list(path: Path) -> Warninglist:
    """One list file, checked; InputError naming the file and the entry at fault."""
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise InputError(f"warninglist {path}: cannot be read: {exc}") from None
    try:
        return _warninglist(data)
    except (InvalidIndicator, ValueError, TypeError) as exc:
        raise InputError(f"warninglist {path}: {exc}") from None


def _warninglist(data: dict) -> Warninglist:
    unknown = sorted(data.keys() - _KEYS)
    if unknown:
        raise ValueError(f"unknown key {unknown[0]!r}")
    name = _text(data, "name")
    if not _NAME.fullmatch(name):
        raise ValueError(f"name {name!r} must be lower-case letters, digits and '-'")
    updated = data.get("updated")
    if updated is not None and type(updated) is not date:
        raise ValueError("'updated' must be a date such as 2026-11-23")
    entries = {key: _strings(data, key) for key in _ENTRY_TYPES}
    if not any(entries.values()):
        raise ValueError("the list has no entries")
    possible = {t for key, found in entries.items() if found for t in _ENTRY_TYPES[key]}
    types = frozenset(_strings(data, "types")) or frozenset(possible)
    for type_name in types:
        if type_name not in CATALOGUE:
            raise ValueError(f"unknown indicator type {type_name!r} in 'types'")
    return Warninglist(
        name=name,
        description=_text(data, "description"),
        source=_text(data, "source"),
        updated=updated,
        types=types,
        networks=tuple(_network(entry) for entry in entries["networks"]),
        domains=tuple(_domain(entry) for entry in entries["domains"]),
        exact_domains=tuple(_domain(entry) for entry in entries["exact_domains"]),
        asns=tuple(_asn_range(entry) for entry in entries["asns"]),
    )


def _text(data: dict, key: str) -> str:
    value = data.get(key)
    if type(value) is not str or not value.strip():
        raise ValueError(f"{key!r} must be a non-empty string")
    return value.strip()


def _strings(data: dict, key: str) -> list[str]:
    value = data.get(key, [])
    if type(value) is not list or not all(type(item) is str for item in value):
        raise ValueError(f"{key!r} must be an array of strings")
    return value


def _network(entry: str) -> str:
    """A canonical network; a single address is its /32 or /128."""
    type_name, value = canonicalize(
        "cidr" if "/" in entry else "ipv6" if ":" in entry else "ipv4", entry
    )
    if type_name == "cidr":
        return value
    return value + ("/128" if ":" in value else "/32")


def _domain(entry: str) -> str:
    """A canonical domain; a single label (a top-level domain such as `test`) is allowed."""
    text = entry.strip().lower().removesuffix(".")
    if _LABEL.fullmatch(text):
        return text
    return canonicalize("domain", entry)[1]


def _asn_range(entry: str) -> tuple[int, int]:
    """`AS64512-AS65534` or `AS15169`, as first and last number."""
    first, _, last = entry.partition("-")
    low = int(canonicalize("asn", first)[1][2:])
    high = int(canonicalize("asn", last)[1][2:]) if last else low
    if high < low:
        raise ValueError(f"ASN range {entry!r} ends before it starts")
    return low, high
