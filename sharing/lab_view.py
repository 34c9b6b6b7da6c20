"""What one lab may receive from the hub's store, and in which form.

Bulletins, the TAXII collections and the hub's exports all select here and render with
`bulletin_record`, so `sharing.policy` is applied by one code path whichever way an
indicator leaves the hub.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, or_
from sqlmodel import Session, col, select

from sharing.exchange import Exchange
from sharing.federation import Participant
from sharing.holding import as_decided
from sharing.indicators import CATALOGUE
from sharing.lifetimes import Lifetimes
from sharing.policy import may_receive
from sharing.record_form import bulletin_record
from sharing.store.contributors import labs_by_indicator
from sharing.store.markings import red_audiences
from sharing.store.models import Bulletin, BulletinItem, Indicator
from sharing.tlp import TLP

Item = tuple[Indicator, list[str]]


@dataclass(frozen=True)
class CarriedRecord:
    """A record as the lab's bulletins carried it, and when the hub issued that version."""

    record: dict[str, Any]
    added: datetime
    bulletin_id: str


def pending_for(
    session: Session, recipient: Participant, lifetimes: Lifetimes, now: datetime
) -> list[Item]:
    """Unexpired indicators the recipient may receive whose current version its stream
    has not carried: the candidates for its next bulletin."""
    carried = (
        select(func.max(BulletinItem.version))
        .join(Bulletin, col(Bulletin.id) == col(BulletinItem.bulletin_id))
        .where(Bulletin.stream == recipient.id, BulletinItem.indicator_id == Indicator.id)
        .scalar_subquery()
    )
    query = select(Indicator).where(
        Indicator.version > func.coalesce(carried, 0), _alive(lifetimes, now)
    )
    return _receivable(session, recipient, list(session.exec(query)))


def carried_for(
    exchange: Exchange,
    session: Session,
    recipient: Participant,
    lifetimes: Lifetimes,
    now: datetime,
) -> list[CarriedRecord]:
    """Unexpired indicators whose current version the recipient's bulletins carried, in
    the form its bulletins gave them, oldest first: the lab's standing view."""
    query = (
        select(Indicator, Bulletin.issued, Bulletin.id)
        .join(BulletinItem, col(BulletinItem.indicator_id) == col(Indicator.id))
        .join(Bulletin, col(Bulletin.id) == col(BulletinItem.bulletin_id))
        .where(
            Bulletin.stream == recipient.id,
            BulletinItem.version == Indicator.version,
            _alive(lifetimes, now),
        )
    )
    rows = list(session.exec(query))
    issued = {i.id: (added, bulletin) for i, added, bulletin in rows}
    items = as_decided(session, recipient, _receivable(session, recipient, [r[0] for r in rows]))
    consenting = {p.id for p in exchange.federation.labs if p.attribution}
    found = [
        CarriedRecord(
            bulletin_record(recipient, indicator, labs, consenting, lifetimes),
            *issued[indicator.id],
        )
        for indicator, labs in items
    ]
    return sorted(found, key=lambda c: (c.added, c.record["type"], c.record["value"]))


def _alive(lifetimes: Lifetimes, now: datetime) -> Any:
    return or_(
        *(
            and_(Indicator.type == name, Indicator.last_seen >= lifetimes.oldest_alive(name, now))
            for name in CATALOGUE
        )
    )


def _receivable(
    session: Session, recipient: Participant, candidates: list[Indicator]
) -> list[Item]:
    """The candidates `sharing.policy` lets the recipient receive, with their reporters."""
    candidates.sort(key=lambda i: (i.type, i.value))
    contributors = labs_by_indicator(session, [i.id for i in candidates])
    audiences = red_audiences(session, [i.id for i in candidates if i.tlp == TLP.RED.value])
    return [
        (i, contributors[i.id])
        for i in candidates
        if may_receive(recipient, TLP(i.tlp), contributors[i.id], audiences.get(i.id))
    ]
