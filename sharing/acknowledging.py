"""The hub's side of receipts: check each lab's signed receipts and log them.

A receipt that verifies and names a bulletin the hub recorded for that lab, byte for
byte, becomes a `receipt-acknowledged` entry (actor: the lab); any other becomes a
`receipt-rejected` entry with the reason. Either way the file then moves aside, to
`receipts/acknowledged/` or `receipts/rejected/`. A re-run after a crash logs nothing twice.
"""

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, select

from sharing.audit.log import append_entry
from sharing.audit.tables import AuditEntry
from sharing.blobs import move_aside
from sharing.encoding import sha256_hex
from sharing.errors import BulletinRejected
from sharing.exchange import Exchange
from sharing.inbox_claims import claimed_files
from sharing.receipts import RECEIPTS, Receipt, read_receipt
from sharing.store.models import Bulletin


@dataclass(frozen=True)
class AcknowledgeReport:
    lab: str
    acknowledged: int = 0
    rejected: int = 0


def pending_receipts(exchange: Exchange, lab: str) -> list[Path]:
    folder = exchange.inbox(lab) / RECEIPTS
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("*.receipt.json") if not p.name.startswith("."))


def _logged(session: Session, action: str, object_sha256: str) -> bool:
    count = session.exec(
        select(func.count())
        .select_from(AuditEntry)
        .where(AuditEntry.action == action, AuditEntry.object_sha256 == object_sha256)
    ).one()
    return count > 0


def _bulletin(session: Session, receipt: Receipt) -> Bulletin:
    """The recorded bulletin the receipt names, if every field matches it."""
    named = receipt.bulletin
    bulletin = session.get(Bulletin, named["id"])
    if bulletin is None or bulletin.stream != receipt.lab:
        raise BulletinRejected(f"no bulletin {named['id']} was issued to {receipt.lab}")
    recorded = {"stream": bulletin.stream, "seq": bulletin.seq}
    recorded |= {"header_hash": bulletin.header_hash, "sha256": bulletin.sha256}
    differing = sorted(k for k, v in recorded.items() if named[k] != v)
    if differing:
        raise BulletinRejected(
            f"the receipt's {', '.join(differing)} differ from bulletin {named['id']}"
        )
    return bulletin


def _log(
    session: Session, actor: str, action: str, now: datetime, sha: str, details: dict[str, Any]
) -> None:
    append_entry(session, actor=actor, action=action, time=now, object_sha256=sha, details=details)
    session.commit()


def acknowledge_receipts(exchange: Exchange, lab: str, *, now: datetime) -> AcknowledgeReport:
    """Check and log every receipt waiting in `lab`'s receipts folder, in name order."""
    hub = exchange.federation.hub.id
    acknowledged = rejected = 0
    for path in claimed_files(exchange, lab, pending_receipts(exchange, lab)):
        data = path.read_bytes()
        digest = sha256_hex(data)
        with exchange.session() as session:
            try:
                receipt = read_receipt(data, exchange.federation, lab)
                bulletin = _bulletin(session, receipt)
            except BulletinRejected as exc:
                if not _logged(session, "receipt-rejected", digest):
                    details = {"lab": lab, "file": path.name, "reason": str(exc)}
                    _log(session, hub, "receipt-rejected", now, digest, details)
                move_aside(path, path.parent / "rejected")
                rejected += 1
                continue
            if not _logged(session, "receipt-acknowledged", bulletin.sha256):
                details = {
                    "id": bulletin.id,
                    "stream": bulletin.stream,
                    "seq": bulletin.seq,
                    "receipt_sha256": digest,
                    "signer": receipt.signer,
                    "opened": receipt.statement.get("opened"),
                    "checkpoint": receipt.statement.get("checkpoint"),
                }
                _log(session, lab, "receipt-acknowledged", now, bulletin.sha256, details)
        move_aside(path, path.parent / "acknowledged")
        acknowledged += 1
    return AcknowledgeReport(lab, acknowledged, rejected)
