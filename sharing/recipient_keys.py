"""The keys the hub may seal to for a lab now: bulletins and advisories use the same rule."""

from datetime import datetime

from sharing.crypto import public_from_b64
from sharing.participants import Participant


def sealing_keys(recipient: Participant, now: datetime) -> dict:
    """The lab's encryption keys the hub may seal to now, never a revoked or expired one.

    The current key, and a rotated key of the same kind while its grace period lasts, so
    a lab still opening with the old key loses nothing. The file authenticates the whole
    recipient map (docs/bulletin-format.md), so a changed entry is refused by every reader.
    The suite follows from the key kind (X25519, or ML-KEM-768+X25519).
    """
    active = recipient.active_key("encrypt")
    return {
        record.kid: public_from_b64(record.alg, record.public)
        for record in recipient.keys
        if record.use == "encrypt" and record.alg == active.alg and record.usable_at(now)
    }
