"""Seal a signed advisory for one lab: a `dtix-bulletin/1` file on the lab's advisory stream.

The container is the bulletin format unchanged (same suites, same checks); its body names
the stream `<lab>/advisories` and carries the advisory envelope, so `dtix open` refuses it
as a bulletin and the advisory keeps its own signature and content type inside.
"""

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sharing.clock import rfc3339
from sharing.crypto import ParticipantKeys, seal_bulletin
from sharing.encoding import canonical_json
from sharing.federation import Participant
from sharing.recipient_keys import sealing_keys

STREAM_SUFFIX = "/advisories"


def advisory_stream(lab: str) -> str:
    """The stream that carries `lab`'s sealed advisories, apart from its bulletins."""
    return lab + STREAM_SUFFIX


def seal_advisory(
    envelope: Mapping[str, Any],
    *,
    id: str,
    recipient: Participant,
    seq: int,
    prev: str,
    issued: datetime,
    expires: datetime,
    sender: ParticipantKeys,
) -> bytes:
    """The sealed file carrying `envelope` to `recipient`, next in its advisory stream."""
    stream = advisory_stream(recipient.id)
    body = canonical_json(
        {
            "id": id,
            "stream": stream,
            "seq": seq,
            "prev": prev,
            "issued": rfc3339(issued),
            "expires": rfc3339(expires),
            "audience": [recipient.id],
            "advisory": dict(envelope),
        }
    )
    return seal_bulletin(
        id=id,
        stream=stream,
        seq=seq,
        prev=prev,
        issued=issued,
        expires=expires,
        body=body,
        sender=sender,
        recipients=sealing_keys(recipient, issued),
    )
