"""Where a lab's advisory stream stands, read back from the audit log.

Each advisory handed to a lab is recorded as `advisory-published` with the edition (the
UTC day), and for a sealed one its stream, seq and header hash. The log is append-only
and records the file only once it is written, so a re-run after a crash seals the same
seq again and a second run on the same day writes nothing.
"""

import json
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlmodel import Session, col, select

from sharing.audit.tables import AuditEntry
from sharing.crypto import GENESIS_PREV, header_hash
from sharing.encoding import canonical_json


@dataclass(frozen=True)
class AdvisoryState:
    """The last edition a lab received, and the last seq and header hash of its stream."""

    edition: str | None
    seq: int
    header_hash: str


def edition(now: datetime) -> str:
    """The edition an advisory issued at `now` belongs to: its UTC day."""
    return now.astimezone(UTC).strftime("%Y-%m-%d")


def advisory_state(session: Session, lab: str) -> AdvisoryState:
    """The state of `lab`'s advisory stream (seq 0 and GENESIS_PREV before the first)."""
    query = (
        select(AuditEntry.details)
        .where(
            AuditEntry.action == "advisory-published",
            AuditEntry.recipients == canonical_json([lab]).decode(),
        )
        .order_by(col(AuditEntry.idx).desc())
    )
    last_edition: str | None = None
    for raw in session.exec(query):
        details = json.loads(raw)
        if "edition" not in details:
            continue  # the hub's own edition, in a federation of one lab
        last_edition = last_edition or details["edition"]
        if "seq" in details:
            return AdvisoryState(last_edition, details["seq"], details["header_hash"])
    return AdvisoryState(last_edition, 0, GENESIS_PREV)


def sealed_header_hash(sealed: bytes) -> str:
    """The header hash of a sealed file: the `prev` of the next one in its stream."""
    return header_hash(json.loads(sealed)["header"])
