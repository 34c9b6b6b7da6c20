"""The facts of an advisory, read from the store for one period (and the one before it).

Counts cover every indicator whose sightings overlap the period; the attached indicators
are the ones the recipient may receive (or, for the hub's edition, every lab may), most
corroborated first, and the bulletins named are the latest of each stream in the period.
`technique` limits everything to indicators carrying that tag.
"""

from collections import Counter
from collections.abc import Iterable
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import Row, func
from sqlmodel import Session, col, select

from sharing.advisories.activity import previous_counts, technique_activity
from sharing.advisories.attachments import attachments
from sharing.advisories.facts import AdvisoryFacts
from sharing.advisories.period import Period
from sharing.advisories.timeline import active_timeline, as_utc
from sharing.exchange import Exchange
from sharing.federation import Participant
from sharing.store.models import Bulletin, Indicator, Submission
from sharing.tlp import most_restrictive

_COLUMNS = (
    Indicator.id,
    Indicator.type,
    Indicator.value,
    Indicator.tlp,
    Indicator.confidence,
    Indicator.first_seen,
    Indicator.last_seen,
    Indicator.tags,
    Indicator.labs,
)
TITLE = "Distillation campaign activity"


def advisory_facts(
    exchange: Exchange,
    session: Session,
    *,
    start: datetime,
    end: datetime,
    technique: str | None = None,
    recipient: Participant | None = None,
    title: str = TITLE,
) -> AdvisoryFacts:
    """Everything an advisory on [start, end] states, for `recipient` or for every lab."""
    period = Period(start, end)
    rows, tags = _active(session, period, technique)
    lab_ids = [lab.id for lab in exchange.federation.labs]
    audience = [recipient] if recipient is not None else list(exchange.federation.labs)
    attached = attachments(session, [i for i in rows if i.labs >= 2], audience)
    bulletins = select(Bulletin.stream, Bulletin.id).where(
        Bulletin.issued >= start, Bulletin.issued <= end
    )
    if recipient is not None:
        bulletins = bulletins.where(Bulletin.stream == recipient.id)
    latest = dict(session.exec(bulletins.order_by(col(Bulletin.stream), col(Bulletin.seq))).all())
    in_period = (
        Submission.received >= start,
        Submission.received <= end,
        col(Submission.lab).in_(lab_ids),
    )
    labs_reporting = session.exec(
        select(func.count(func.distinct(Submission.lab))).where(*in_period)
    ).one()
    quarantined = session.exec(
        select(func.coalesce(func.sum(Submission.quarantined), 0)).where(*in_period)
    ).one()
    previous = previous_counts(session, period.previous(), technique)
    return AdvisoryFacts(
        title=title,
        period_start=start,
        period_end=end,
        generated=end,
        tlp=most_restrictive([a.tlp for a in attached]),
        labs_participating=len(lab_ids),
        labs_reporting=labs_reporting,
        indicators_total=len(rows),
        indicators_new=sum(1 for i in rows if as_utc(i.first_seen) >= start),
        corroborated=sum(1 for i in rows if i.labs >= 2),
        quarantined=int(quarantined),
        by_type=dict(sorted(Counter(i.type for i in rows).items())),
        by_technique=_by_technique(tags.values(), technique),
        indicators=attached,
        bulletins=[latest[stream] for stream in sorted(latest)],
        activity=technique_activity(session, period, rows, tags, previous, technique),
        indicators_previous=previous[""],
        timeline=active_timeline(
            ((i.first_seen, i.last_seen, tags[i.id]) for i in rows), start, end
        ),
        focus=technique,
    )


def _active(
    session: Session, period: Period, technique: str | None
) -> tuple[list[Row[Any]], dict[int, tuple[str, ...]]]:
    """Indicators overlapping the period (with `technique` only, if given) and their tags.

    Plain rows of the columns advisories use: ORM objects would cost twice the time.
    """
    query = select(*_COLUMNS).where(
        Indicator.last_seen >= period.start, Indicator.first_seen <= period.end
    )
    rows, tags = [], {}
    for indicator in session.exec(query):
        found = tuple(orjson.loads(indicator.tags))
        if technique is None or technique in found:
            rows.append(indicator)
            tags[indicator.id] = found if technique is None else (technique,)
    return rows, tags


def _by_technique(tag_sets: Iterable[tuple[str, ...]], technique: str | None) -> dict[str, int]:
    counts = Counter(tag for tags in tag_sets for tag in tags)
    if technique is not None:
        counts[technique] += 0  # a focused advisory names its technique even when it is quiet
    return dict(sorted(counts.items()))
