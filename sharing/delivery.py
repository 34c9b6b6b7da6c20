"""Deliver recorded bulletins to each lab's outbox, in seq order, exactly once.

Delivery reads the sealed bytes from the store, so a bulletin recorded before a crash is
delivered by the next run; a file is written under a temporary name and renamed. Of two runs
delivering at once, the one whose Delivery row lands first writes the file; the other skips it.
"""

from datetime import datetime
from pathlib import Path

from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from sharing.atomic_files import write_atomically
from sharing.audit.log import append_entry
from sharing.exchange import Exchange
from sharing.store.models import Bulletin, Delivery


def bulletin_filename(stream: str, seq: int) -> str:
    return f"{stream}-{seq:06d}.dtix.json"


def deliver_bulletins(exchange: Exchange, lab: str, *, now: datetime) -> list[Path]:
    """Write every recorded, undelivered bulletin of `lab`'s stream to its outbox."""
    outbox = exchange.home.outbox(lab)
    delivered: list[Path] = []
    with exchange.session() as session:
        done = select(Delivery.bulletin_id).where(Delivery.recipient == lab)
        pending = session.exec(
            select(Bulletin)
            .where(Bulletin.stream == lab, col(Bulletin.id).not_in(done))
            .order_by(col(Bulletin.seq))
        ).all()
        for bulletin in pending:
            path = outbox / bulletin_filename(lab, bulletin.seq)
            session.add(
                Delivery(bulletin_id=bulletin.id, recipient=lab, path=str(path), delivered=now)
            )
            try:  # the row first: another run delivering it now makes this wait, then fail
                session.flush()
            except IntegrityError:
                session.rollback()  # the other run writes the file and logs it
                continue
            write_atomically(path, bulletin.sealed)
            append_entry(
                session,
                actor=exchange.federation.hub.id,
                action="bulletin-delivered",
                time=now,
                object_sha256=bulletin.sha256,
                recipients=[lab],
                details={
                    "id": bulletin.id,
                    "stream": lab,
                    "seq": bulletin.seq,
                    "path": f"outbox/{lab}/{path.name}",
                },
            )
            session.commit()
            delivered.append(path)
    return delivered
