"""The lab's side of a bulletin: verify, check order against saved state, decrypt, hand on.

Per stream the lab keeps the last seq and header hash (`StreamState`). A bulletin is
accepted only if it is the next one; the new state is saved atomically before any
indicator is handed on, so a replayed or reordered bulletin is always refused. Each
refusal names its reason: replay, gap, expired, another participant's bulletin,
header/body mismatch, revoked key, or tampering.
"""

from datetime import datetime
from typing import Any

from sharing.crypto import OpenedBulletin, check_inner, open_bulletin, read_header
from sharing.errors import BulletinRejected
from sharing.federation import load_federation
from sharing.home import Home
from sharing.hub_trust import check_sender, opening_keys, trusted_senders
from sharing.keyring import load_private_keys
from sharing.receipts import send_receipt
from sharing.received_store import ReceivedBulletin, keep_received
from sharing.stream_state import StreamState
from sharing.witness import witness_log

__all__ = ["ReceivedBulletin", "StreamState", "receive_bulletin"]


def receive_bulletin(
    home: Home, lab: str, data: bytes, *, now: datetime, accept_gap: bool = False
) -> ReceivedBulletin:
    """Open a bulletin as `lab`, enforce stream order, and save the new stream state."""
    federation = load_federation(home)
    participant = federation.lab(lab)
    keys = load_private_keys(home, lab)
    header = read_header(data)
    check_sender(federation.hub, header["sender"], now)
    opened = open_bulletin(
        data,
        recipient_keys=opening_keys(participant, keys, header["recipients"], now),
        trusted_senders=trusted_senders(federation.hub, now),
        now=now,
        check_body=False,
    )
    body = _checked_body(opened, lab)
    state = StreamState.load(home.receiver_state(lab))
    state.check_next(opened, accept_gap=accept_gap)
    seen = witness_log(home, lab, federation, body, gap=accept_gap)
    received = ReceivedBulletin(opened.header, body)
    keep_received(home, lab, received)
    state.advance(opened)
    state.save()
    send_receipt(home, federation, lab, keys.sign, opened, data, checkpoint=seen, now=now)
    return received


def _checked_body(opened: OpenedBulletin, lab: str) -> dict[str, Any]:
    body = check_inner(opened.body, opened.header, BulletinRejected)
    audience = body.get("audience")
    if opened.header["stream"] != lab or not isinstance(audience, list) or lab not in audience:
        raise BulletinRejected(
            f"another participant's bulletin: stream '{opened.header['stream']}', "
            f"audience {audience!r:.80}, not '{lab}'"
        )
    for name in ("prev", "issued", "expires"):
        if body.get(name) != opened.header[name]:
            raise BulletinRejected(f"header/body mismatch: inner and outer {name} differ")
    if not isinstance(body.get("indicators"), list):
        raise BulletinRejected("malformed: bulletin body has no indicator list")
    return body
