"""Signed checkpoints of the audit log, written at the end of every run, and their check.

Checkpoints are signed by the hub's log key (see sharing.audit.log_keys); the latest one
is also published as `audit/checkpoint.txt` in the home.
"""

from datetime import datetime
from pathlib import Path

from sharing.atomic_files import write_atomically
from sharing.audit.log import AuditReport, verify_log, write_checkpoint
from sharing.audit.log_keys import log_signing_key, revoked_log_keys, trusted_log_keys
from sharing.audit.tables import Checkpoint
from sharing.exchange import Exchange


def seal_checkpoint(exchange: Exchange, *, now: datetime) -> tuple[Checkpoint, Path]:
    """Sign a checkpoint of the whole log with the hub's log key and publish it as a file."""
    origin = exchange.federation.origin
    key = log_signing_key(exchange.federation.hub, exchange.hub_keys())
    path = exchange.home.audit_dir / "checkpoint.txt"
    with exchange.session() as session:
        checkpoint = write_checkpoint(session, origin=origin, key_name=origin, key=key, time=now)
        # Written while the log's lock is held, so that of two runs sealing at once the later
        # checkpoint is the one left in the file. Should the commit fail, the file still holds
        # a valid checkpoint: it signs only entries already committed.
        write_atomically(path, checkpoint.note.encode("utf-8"))
        session.commit()
    return checkpoint, path


def verify_audit(exchange: Exchange) -> AuditReport:
    """Recompute the tree and check every checkpoint against the hub's log keys (current,
    retired, or revoked after the checkpoint was written)."""
    origin = exchange.federation.origin
    hub = exchange.federation.hub
    keys, revoked = trusted_log_keys(hub), revoked_log_keys(hub)
    with exchange.session() as session:
        return verify_log(
            session, key_name=origin, public_keys=keys, origin=origin, revoked=revoked
        )
