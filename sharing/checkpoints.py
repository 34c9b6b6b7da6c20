"""Signed checkpoints of the audit log, written at the end of every run, and their check."""

from datetime import datetime
from pathlib import Path

from sharing.audit.log import AuditReport, verify_log, write_checkpoint
from sharing.audit.tables import Checkpoint
from sharing.crypto import ed25519_public_from_b64
from sharing.exchange import Exchange


def seal_checkpoint(exchange: Exchange, *, now: datetime) -> tuple[Checkpoint, Path]:
    """Sign a checkpoint of the whole log with the hub's key and publish it as a file."""
    origin = exchange.federation.origin
    with exchange.session() as session:
        checkpoint = write_checkpoint(
            session, origin=origin, key_name=origin, key=exchange.hub_keys().sign, time=now
        )
        session.commit()
    folder = exchange.home.audit_dir
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "checkpoint.txt"
    tmp = folder / ".checkpoint.txt.tmp"
    tmp.write_text(checkpoint.note, "utf-8")
    tmp.replace(path)
    return checkpoint, path


def verify_audit(exchange: Exchange) -> AuditReport:
    """Recompute the tree and check every checkpoint against the hub's signing keys."""
    hub = exchange.federation.hub
    origin = exchange.federation.origin
    public = ed25519_public_from_b64(hub.active_key("sign").public)
    with exchange.session() as session:
        return verify_log(session, key_name=origin, public_key=public, origin=origin)
