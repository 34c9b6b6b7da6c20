"""A lab's per-stream receiving state: last accepted seq and header hash, saved atomically.

A bulletin is accepted only if it is the next one (seq + 1, prev = last header hash). A
gap is accepted only when the operator explains it (`--accept-gap`), and is then recorded.
"""

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sharing.crypto import GENESIS_PREV, OpenedBulletin
from sharing.errors import BulletinRejected, InputError


@dataclass
class StreamState:
    """Last accepted (seq, header hash) per stream, kept in one JSON file."""

    path: Path
    streams: dict[str, dict[str, Any]]

    @classmethod
    def load(cls, path: Path) -> "StreamState":
        if not path.exists():
            return cls(path, {})
        try:
            streams = json.loads(path.read_text("utf-8"))["streams"]
            for name, entry in streams.items():
                _check_entry(name, entry)
            return cls(path, dict(streams))
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise InputError(f"{path}: receiver state is unreadable ({exc})") from None

    def last(self, stream: str) -> dict[str, Any]:
        return self.streams.get(stream, {"seq": 0, "header_hash": GENESIS_PREV})

    def check_next(self, opened: OpenedBulletin, *, accept_gap: bool = False) -> None:
        """BulletinRejected unless `opened` follows the last accepted bulletin of its stream."""
        header = opened.header
        stream, seq = header["stream"], header["seq"]
        last = self.last(stream)
        if seq <= last["seq"]:
            raise BulletinRejected(
                f"replay: {stream} seq {seq} was already accepted (last is {last['seq']})"
            )
        if seq != last["seq"] + 1 and not accept_gap:
            missing = (
                f"{last['seq'] + 1}"
                if seq == last["seq"] + 2
                else (f"{last['seq'] + 1} to {seq - 1}")
            )
            raise BulletinRejected(
                f"gap: {stream} seq {seq} follows seq {last['seq']}; bulletin {missing} is "
                "missing (open it first, or accept the loss with --accept-gap)"
            )
        if seq == last["seq"] + 1 and header["prev"] != last["header_hash"]:
            raise BulletinRejected(
                f"broken chain: {stream} seq {seq} does not follow the last accepted bulletin "
                "(its prev is another header hash)"
            )

    def advance(self, opened: OpenedBulletin) -> None:
        stream, seq = opened.header["stream"], opened.header["seq"]
        entry = {"seq": seq, "header_hash": opened.header_hash, "id": opened.header["id"]}
        previous = self.last(stream)
        gaps = list(previous.get("gaps", []))
        if seq != previous["seq"] + 1:
            gaps.append([previous["seq"] + 1, seq - 1])
        if gaps:
            entry["gaps"] = gaps
        self.streams[stream] = entry

    def save(self) -> None:
        """Write the whole state to a temporary file, fsync it, then rename it into place."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(f".{self.path.name}.tmp")
        with tmp.open("w", encoding="utf-8") as handle:
            json.dump({"streams": self.streams}, handle, indent=2, sort_keys=True)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, self.path)


def _check_entry(stream: str, entry: Any) -> None:
    seq, last = entry["seq"], entry["header_hash"]
    if type(seq) is not int or seq < 0 or not isinstance(last, str) or len(last) != 64:
        raise ValueError(f"stream {stream!r} has no valid seq and header_hash")
