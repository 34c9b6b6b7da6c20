"""Bulletins for a founded test home, sealed the way the hub seals them (no store needed)."""

import json
from datetime import datetime, timedelta

from sharing.clock import rfc3339
from sharing.crypto import (
    GENESIS_PREV,
    ParticipantKeys,
    header_hash,
    public_from_b64,
    seal_bulletin,
)
from sharing.encoding import canonical_json
from sharing.federation import load_federation
from sharing.home import Home
from sharing.keyring import load_private_keys
from tests.conftest import NOW


def bulletin(
    home: Home,
    lab: str = "openai",
    seq: int = 1,
    prev: str = GENESIS_PREV,
    *,
    issued: datetime = NOW,
    days: int = 7,
    body: dict | None = None,
    to: str | None = None,
    sender: ParticipantKeys | None = None,
) -> bytes:
    """Bulletin `seq` of `lab`'s stream, sealed to the current key of `to` (default: `lab`)."""
    recipient = load_federation(home).lab(to or lab).active_key("encrypt")
    expires = issued + timedelta(days=days)
    fields = {"id": f"{lab}-{seq:06d}", "stream": lab, "seq": seq, "prev": prev}
    inner = {
        **fields,
        "audience": [lab],
        "issued": rfc3339(issued),
        "expires": rfc3339(expires),
        "federation": "dtix",
        "tlp": "amber",
        "indicators": [{"type": "ipv4", "value": f"45.155.205.{seq}", "tlp": "amber", "tags": []}],
        **(body or {}),
    }
    return seal_bulletin(
        **fields,
        issued=issued,
        expires=expires,
        body=canonical_json(inner),
        sender=sender or load_private_keys(home, "hub"),
        recipients={recipient.kid: public_from_b64(recipient.alg, recipient.public)},
    )


def stream(home: Home, count: int, lab: str = "openai", **kw: object) -> list[bytes]:
    """Bulletins 1..count of one stream, each chained to the one before."""
    found, prev = [], GENESIS_PREV
    for seq in range(1, count + 1):
        data = bulletin(home, lab, seq, prev, **kw)  # type: ignore[arg-type]
        prev = header_hash(json.loads(data)["header"])
        found.append(data)
    return found
