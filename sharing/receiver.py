"""The lab's side of a bulletin: verify, check order against saved state, decrypt, hand on.

Per stream the lab keeps the last seq and header hash. A bulletin is accepted only if it
is the next one (seq + 1, prev = last header hash); the new state is saved atomically
before any indicator is handed on, so a replayed or reordered bulletin is always refused.
"""

import json
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sharing.crypto import GENESIS_PREV, OpenedBulletin, ed25519_public_from_b64, open_bulletin
from sharing.errors import BulletinRejected, InputError
from sharing.federation import Federation, load_federation
from sharing.home import Home
from sharing.keyring import load_private_keys


@dataclass(frozen=True)
class ReceivedBulletin:
    header: dict[str, Any]
    body: dict[str, Any]

    @property
    def indicators(self) -> list[dict[str, Any]]:
        return self.body["indicators"]


def receive_bulletin(home: Home, lab: str, data: bytes, *, now: datetime) -> ReceivedBulletin:
    """Open a bulletin as `lab`, enforce stream order, and save the new stream state."""
    federation = load_federation(home)
    participant = federation.lab(lab)
    keys = load_private_keys(home, lab)
    opened = open_bulletin(
        data,
        recipient_kid=participant.active_key("encrypt").kid,
        recipient_key=keys.encrypt,
        trusted_senders=_hub_signing_keys(federation),
        now=now,
    )
    body = _checked_body(opened, lab)
    state = StreamState.load(home.receiver_state(lab))
    state.check_next(opened)
    state.advance(opened)
    state.save()
    return ReceivedBulletin(opened.header, body)


def _hub_signing_keys(federation: Federation) -> dict:
    return {
        key.kid: ed25519_public_from_b64(key.public)
        for key in federation.hub.keys
        if key.use == "sign" and key.status == "active"
    }


def _checked_body(opened: OpenedBulletin, lab: str) -> dict[str, Any]:
    body = json.loads(opened.body)
    if opened.header["stream"] != lab or lab not in body.get("audience", []):
        raise BulletinRejected(f"bulletin is for stream '{opened.header['stream']}', not '{lab}'")
    for name in ("prev", "issued", "expires"):
        if body.get(name) != opened.header[name]:
            raise BulletinRejected(f"inner and outer {name} differ")
    if not isinstance(body.get("indicators"), list):
        raise BulletinRejected("bulletin body has no indicator list")
    return body


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

    def check_next(self, opened: OpenedBulletin) -> None:
        header = opened.header
        last = self.streams.get(header["stream"], {"seq": 0, "header_hash": GENESIS_PREV})
        seq = header["seq"]
        if seq <= last["seq"]:
            raise BulletinRejected(
                f"replay: {header['stream']} seq {seq} was already accepted (last is {last['seq']})"
            )
        if seq != last["seq"] + 1:
            raise BulletinRejected(
                f"out of order: {header['stream']} seq {seq}, expected {last['seq'] + 1}"
            )
        if header["prev"] != last["header_hash"]:
            raise BulletinRejected(
                f"chain broken: {header['stream']} seq {seq} does not follow the last accepted one"
            )

    def advance(self, opened: OpenedBulletin) -> None:
        self.streams[opened.header["stream"]] = {
            "seq": opened.header["seq"],
            "header_hash": opened.header_hash,
            "id": opened.header["id"],
        }

    def save(self) -> None:
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
