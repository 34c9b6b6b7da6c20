"""Publish the period's advisories: facts from the store, prose from templates and guidance.

The attached indicators are ones every lab may receive and at least two labs reported;
the advisory bears the most restrictive TLP of what it attaches.
"""

import json
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import func
from sqlmodel import Session, col, select

from sharing.advisories import AdvisoryFacts, AdvisoryIndicator, render_advisory
from sharing.audit.log import append_entry
from sharing.clock import rfc3339
from sharing.encoding import sha256_hex
from sharing.exchange import Exchange
from sharing.policy import may_receive
from sharing.store.contributors import labs_by_indicator
from sharing.store.models import Bulletin, Indicator, Submission
from sharing.tlp import TLP, most_restrictive

PUBLISHED_FORMATS = ("md", "html")
ATTACHED = 20


def publish_advisories(exchange: Exchange, *, now: datetime, period: timedelta) -> list[Path]:
    """Render the advisory for [now - period, now] in each format, write it, audit it."""
    with exchange.session() as session:
        facts = advisory_facts(exchange, session, start=now - period, end=now)
    folder = exchange.home.advisories_dir
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    with exchange.session() as session:
        for fmt in PUBLISHED_FORMATS:
            text = render_advisory(facts, fmt).encode("utf-8")
            path = folder / f"advisory-{now:%Y-%m-%d}.{fmt}"
            tmp = folder / f".{path.name}.tmp"
            tmp.write_bytes(text)
            tmp.replace(path)
            append_entry(
                session,
                actor=exchange.federation.hub.id,
                action="advisory-published",
                time=now,
                object_sha256=sha256_hex(text),
                recipients=[lab.id for lab in exchange.federation.labs],
                details={
                    "file": f"advisories/{path.name}",
                    "format": fmt,
                    "tlp": facts.tlp.value,
                    "period_start": rfc3339(facts.period_start),
                    "period_end": rfc3339(facts.period_end),
                },
            )
            paths.append(path)
        session.commit()
    return paths


def advisory_facts(
    exchange: Exchange, session: Session, *, start: datetime, end: datetime
) -> AdvisoryFacts:
    """Counts for indicators active in the period (last seen inside it) and what to attach."""
    active = select(Indicator).where(Indicator.last_seen >= start, Indicator.first_seen <= end)
    rows = list(session.exec(active))
    by_type = Counter(i.type for i in rows)
    by_technique: Counter[str] = Counter()
    for indicator in rows:
        by_technique.update(json.loads(indicator.tags))
    attached = _attached(exchange, session, [i for i in rows if i.labs >= 2])
    lab_ids = [lab.id for lab in exchange.federation.labs]
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
    bulletins = session.exec(
        select(Bulletin.id)
        .where(Bulletin.issued >= start, Bulletin.issued <= end)
        .order_by(col(Bulletin.stream), col(Bulletin.seq))
    ).all()
    return AdvisoryFacts(
        title="Distillation campaign activity",
        period_start=start,
        period_end=end,
        generated=end,
        tlp=most_restrictive([a.tlp for a in attached]),
        labs_participating=len(exchange.federation.labs),
        labs_reporting=labs_reporting,
        indicators_total=len(rows),
        indicators_new=sum(1 for i in rows if i.first_seen >= start),
        corroborated=sum(1 for i in rows if i.labs >= 2),
        quarantined=int(quarantined),
        by_type=dict(sorted(by_type.items())),
        by_technique=dict(sorted(by_technique.items())),
        indicators=attached,
        bulletins=list(bulletins),
    )


def _attached(
    exchange: Exchange, session: Session, corroborated: list[Indicator]
) -> list[AdvisoryIndicator]:
    """The most corroborated indicators that every lab in the federation may receive."""
    ranked = sorted(corroborated, key=lambda i: (-i.labs, -i.confidence, i.type, i.value))
    contributors = labs_by_indicator(session, [i.id for i in ranked])
    chosen: list[AdvisoryIndicator] = []
    for indicator in ranked:
        if len(chosen) == ATTACHED:
            break
        labs = contributors[indicator.id]
        if all(may_receive(lab, TLP(indicator.tlp), labs) for lab in exchange.federation.labs):
            chosen.append(
                AdvisoryIndicator(
                    type=indicator.type,
                    value=indicator.value,
                    labs=indicator.labs,
                    confidence=indicator.confidence,
                    tags=tuple(json.loads(indicator.tags)),
                    tlp=TLP(indicator.tlp),
                )
            )
    return chosen
