"""The lab's side of an advisory: check the signature and, when sealed, open it in order.

A sealed advisory is opened like a bulletin (same keys, same sender checks) and must be
the next one on the lab's advisory stream, whose state is kept with its bulletin streams;
a CLEAR one is the signed envelope itself. Either way the hub's signature over the
advisory must verify, under a hub key usable at `now`.
"""

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sharing.advisories.envelope import verify_advisory
from sharing.advisories.sealing import advisory_stream
from sharing.crypto import FORMAT as BULLETIN_FORMAT
from sharing.crypto import check_inner, open_bulletin, read_header
from sharing.errors import BulletinRejected
from sharing.federation import load_federation
from sharing.home import Home
from sharing.hub_trust import check_sender, opening_keys, trusted_senders
from sharing.keyring import load_private_keys
from sharing.stream_state import StreamState
from sharing.tlp import TLP


@dataclass(frozen=True)
class ReceivedAdvisory:
    """What a lab got: the marking, the documents by media type, and the indicators."""

    payload: dict[str, Any]
    sealed: bool

    @property
    def tlp(self) -> TLP:
        return TLP(self.payload["tlp"])

    @property
    def documents(self) -> dict[str, str]:
        return self.payload["documents"]

    @property
    def indicators(self) -> list[dict[str, Any]]:
        return self.payload["indicators"]


def open_advisory(home: Home, lab: str, data: bytes, *, now: datetime) -> ReceivedAdvisory:
    """Verify an advisory file as `lab`; a sealed one also advances the lab's stream state."""
    federation = load_federation(home)
    participant = federation.lab(lab)
    senders = trusted_senders(federation.hub, now)
    signing = {kid: keys.sign for kid, keys in senders.items()}
    try:
        outer = json.loads(data)
    except ValueError:
        raise BulletinRejected("the advisory file is not JSON") from None
    if not (isinstance(outer, dict) and outer.get("format") == BULLETIN_FORMAT):
        return ReceivedAdvisory(verify_advisory(outer, signing, reader=lab), sealed=False)
    header = read_header(data)
    check_sender(federation.hub, header["sender"], now)
    keys = load_private_keys(home, lab)
    opened = open_bulletin(
        data,
        recipient_keys=opening_keys(participant, keys, header["recipients"], now),
        trusted_senders=senders,
        now=now,
        check_body=False,
    )
    body = check_inner(opened.body, opened.header, BulletinRejected)
    if opened.header["stream"] != advisory_stream(lab) or body.get("audience") != [lab]:
        raise BulletinRejected(f"not an advisory for {lab}: stream {opened.header['stream']!r}")
    for name in ("prev", "issued", "expires"):
        if body.get(name) != opened.header[name]:
            raise BulletinRejected(f"header/body mismatch: inner and outer {name} differ")
    state = StreamState.load(home.receiver_state(lab))
    state.check_next(opened)
    payload = verify_advisory(body.get("advisory"), signing, reader=lab)
    state.advance(opened)
    state.save()
    return ReceivedAdvisory(payload, sealed=True)
