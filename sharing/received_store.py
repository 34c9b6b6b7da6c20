"""A lab's copy of every bulletin it accepted, so that it can export them again later.

`dtix open` refuses a replay, so the opened body is kept under the lab's home
(`received/<lab>/<stream>/<seq>.json`) before its indicators are handed on. Exports read
from here: a lab's standing view is the latest form of each indicator it received.
"""

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sharing.atomic_files import write_atomically
from sharing.encoding import canonical_json
from sharing.errors import DtixError
from sharing.home import Home
from sharing.timestamps import parse_seen


@dataclass(frozen=True)
class ReceivedBulletin:
    header: dict[str, Any]
    body: dict[str, Any]

    @property
    def indicators(self) -> list[dict[str, Any]]:
        return self.body["indicators"]


def keep_received(home: Home, lab: str, received: ReceivedBulletin) -> None:
    """Store an accepted bulletin's header and body; writing the same seq again replaces it."""
    stream, seq = received.header["stream"], received.header["seq"]
    path = home.received_dir(lab) / stream / f"{seq:08d}.json"
    write_atomically(path, canonical_json({"header": received.header, "body": received.body}))


def received_bulletins(home: Home, lab: str) -> list[ReceivedBulletin]:
    """Every bulletin `lab` accepted, by stream and seq."""
    found = [_read_kept(path) for path in home.received_dir(lab).glob("*/*.json")]
    return sorted(found, key=lambda b: (b.header["stream"], b.header["seq"]))


def current_indicators(bulletins: list[ReceivedBulletin], now: datetime) -> list[dict[str, Any]]:
    """The latest form of each indicator across `bulletins` (in order), unexpired at `now`."""
    return [record for record, _ in _latest(bulletins, now)]


def current_by_bulletin(
    bulletins: list[ReceivedBulletin], now: datetime
) -> list[tuple[ReceivedBulletin, list[dict[str, Any]]]]:
    """`current_indicators` grouped by the bulletin that carried each latest form, in the
    order of `bulletins`; a bulletin none of whose records is current is left out."""
    groups: dict[int, list[dict[str, Any]]] = {}
    for record, index in _latest(bulletins, now):
        groups.setdefault(index, []).append(record)
    return [(bulletins[index], groups[index]) for index in sorted(groups)]


def _latest(bulletins: list[ReceivedBulletin], now: datetime) -> list[tuple[dict[str, Any], int]]:
    """Each unexpired latest form by (type, value), with the index of its bulletin."""
    latest: dict[tuple[str, str], tuple[dict[str, Any], int]] = {}
    for index, bulletin in enumerate(bulletins):
        for record in bulletin.indicators:
            latest[(record["type"], record["value"])] = (record, index)
    return [
        (record, index)
        for _, (record, index) in sorted(latest.items())
        if "valid_until" not in record or parse_seen(record["valid_until"]) > now
    ]


def _read_kept(path: Path) -> ReceivedBulletin:
    """A kept bulletin, checked for the fields exports rely on; DtixError naming `path`."""
    try:
        kept = json.loads(path.read_bytes())
        header, body = kept["header"], kept["body"]
        indicators = body["indicators"]
        if not all(isinstance(header[name], str) for name in ("id", "stream")):
            raise ValueError("header id or stream is not a string")
        if type(header["seq"]) is not int:
            raise ValueError("header seq is not an integer")
        parse_seen(header["issued"])
        if not isinstance(indicators, list):
            raise ValueError("indicators is not a list")
        for record in indicators:
            if not (isinstance(record["type"], str) and isinstance(record["value"], str)):
                raise ValueError("an indicator's type or value is not a string")
            if "valid_until" in record:
                parse_seen(record["valid_until"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise DtixError(f"{path}: not a kept bulletin ({exc})") from None
    return ReceivedBulletin(header, body)
