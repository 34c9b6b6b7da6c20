"""Issue a lab's next bulletin: what changed since its last one that it may receive,
signed and sealed, recorded in the store and the audit log in one transaction.

Sealing happens before recording. A crash in between loses only bytes no one has seen:
nothing was recorded, so the next run issues the same seq again; no duplicate, no gap.
"""

import json
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from sharing.audit.bulletin_log import log_section
from sharing.audit.issued import issued_details
from sharing.audit.log import append_entry
from sharing.clock import rfc3339
from sharing.crypto import GENESIS_PREV, header_hash, seal_bulletin
from sharing.encoding import canonical_json, sha256_hex
from sharing.exchange import Exchange
from sharing.federation import Participant
from sharing.holding import hold_for_review
from sharing.lab_view import pending_for
from sharing.lifetimes import Lifetimes
from sharing.recipient_keys import sealing_keys
from sharing.record_form import bulletin_record
from sharing.store.models import Bulletin, BulletinItem, Indicator
from sharing.tlp import TLP, most_restrictive


@dataclass(frozen=True)
class IssuedBulletin:
    id: str
    stream: str
    seq: int
    indicators: int
    tlp: TLP


def issue_bulletin(exchange: Exchange, lab: str, *, now: datetime) -> IssuedBulletin | None:
    """Issue the next bulletin in `lab`'s stream, or None when it has nothing new to receive."""
    recipient = exchange.federation.lab(lab)
    lifetimes = Lifetimes.load(exchange.home)
    with exchange.session() as session:
        # The stream's last bulletin first: one that another run records after this read
        # takes the seq this one would get, so the two never both carry the same change.
        last = session.exec(
            select(Bulletin).where(Bulletin.stream == lab).order_by(col(Bulletin.seq).desc())
        ).first()
        changed = pending_for(session, recipient, lifetimes, now)
        items = hold_for_review(session, exchange, recipient, changed, now)
        if not items:
            return None
        seq, prev = (last.seq + 1, last.header_hash) if last else (1, GENESIS_PREV)
        expires = now + timedelta(days=exchange.federation.bulletin_validity_days)
        fields = {"id": str(uuid.uuid4()), "stream": lab, "seq": seq, "prev": prev}
        tlp = most_restrictive([TLP(i.tlp) for i, _ in items])
        body = _body(exchange, recipient, fields, (now, expires), tlp, items, lifetimes)
        sealed = seal_bulletin(
            **fields,
            issued=now,
            expires=expires,
            body=body,
            sender=exchange.hub_keys(),
            recipients=sealing_keys(recipient, now),
        )
        try:
            record_bulletin(session, exchange, sealed, [i for i, _ in items], tlp=tlp, now=now)
        except IntegrityError:
            session.rollback()  # another run issued this seq first; the next run sends the rest
            return None
        return IssuedBulletin(fields["id"], lab, seq, len(items), tlp)


def record_bulletin(
    session: Session,
    exchange: Exchange,
    sealed: bytes,
    indicators: list[Indicator],
    *,
    tlp: TLP,
    now: datetime,
) -> None:
    """Store the sealed bytes, what they carried and the audit entry; then commit."""
    header = json.loads(sealed)["header"]
    digest = sha256_hex(sealed)
    session.add(
        Bulletin(
            id=header["id"],
            stream=header["stream"],
            seq=header["seq"],
            prev=header["prev"],
            header_hash=header_hash(header),
            sha256=digest,
            issued=now,
            expires=datetime.fromisoformat(header["expires"]),
            tlp=tlp.value,
            indicators=len(indicators),
            sealed=sealed,
        )
    )
    session.flush()
    session.add_all(
        BulletinItem(bulletin_id=header["id"], indicator_id=i.id, version=i.version)
        for i in indicators
    )
    append_entry(
        session,
        actor=exchange.federation.hub.id,
        action="bulletin-issued",
        time=now,
        object_sha256=digest,
        recipients=[header["stream"]],
        details=issued_details(exchange, sealed, indicators, tlp=tlp),
    )
    session.commit()


def _body(
    exchange: Exchange,
    recipient: Participant,
    fields: dict,
    validity: tuple[datetime, datetime],
    tlp: TLP,
    items: list[tuple[Indicator, list[str]]],
    lifetimes: Lifetimes,
) -> bytes:
    now, expires = validity
    consenting = {p.id for p in exchange.federation.labs if p.attribution}
    indicators = [bulletin_record(recipient, i, labs, consenting, lifetimes) for i, labs in items]
    return canonical_json(
        {
            **fields,  # id, stream, seq and prev: the signed copy of what the header says
            "audience": [recipient.id],
            "issued": rfc3339(now),
            "expires": rfc3339(expires),
            "federation": exchange.federation.name,
            "tlp": tlp.value,
            "indicators": indicators,
            "log": log_section(exchange, recipient.id, fields["id"]),
        }
    )
