"""Hold back what the hub's rules mark for review (sharing.review_rules) from every
bulletin, until an analyst decides (sharing.approval). Nothing held is ever sent by a
timeout: a pending or rejected item stays out of every bulletin, run after run."""

import json
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from sharing.audit.log import append_entry
from sharing.exchange import Exchange
from sharing.federation import Participant
from sharing.review_rules import ReviewRules
from sharing.store.models import Bulletin, BulletinItem, Indicator
from sharing.store.review_tables import HeldItem
from sharing.tlp import TLP

Item = tuple[Indicator, list[str]]


def hold_for_review(
    session: Session,
    exchange: Exchange,
    recipient: Participant,
    items: Sequence[Item],
    now: datetime,
) -> list[Item]:
    """The items that may go out now, with approved edits applied; new holds are stored
    (and logged) and committed at once, so they survive whatever happens next."""
    rules = ReviewRules.load(exchange.home)
    decided = {row.subject: row for row in session.exec(select(HeldItem))}
    new_campaigns = (
        _new_campaigns(session, items, decided) if "new-campaign" in rules.rules else set()
    )
    held = 0
    for indicator, labs in items:
        rules_of = (
            _indicator_rule(rules, indicator, labs),
            "new-campaign" if indicator.campaign in new_campaigns else None,
        )
        for subject, rule in zip(_subjects(indicator), rules_of, strict=False):
            if subject not in decided and rule is not None:
                decided[subject] = _hold(session, exchange, subject, rule, indicator, now)
                held += 1
    if held:
        try:
            session.commit()
        except IntegrityError:  # another lab's bulletin held the same subject just now
            session.rollback()
            return []
    return _released(decided, recipient, items)


def as_decided(session: Session, recipient: Participant, items: Sequence[Item]) -> list[Item]:
    """The items in the form analysts left them, holding nothing new: pending and rejected
    ones are left out and approved edits applied. For views of what already went out."""
    decided = {row.subject: row for row in session.exec(select(HeldItem))}
    return _released(decided, recipient, items)


def _released(
    decided: dict[str, HeldItem], recipient: Participant, items: Sequence[Item]
) -> list[Item]:
    released = []
    for indicator, labs in items:
        subjects = _subjects(indicator)
        if any(decided[s].status != "approved" for s in subjects if s in decided):
            continue
        shown = _edited(indicator, decided.get(subjects[0]))
        if TLP(shown.tlp).allows(recipient.clearance):
            released.append((shown, labs))
    return released


def _subjects(indicator: Indicator) -> list[str]:
    """What an analyst decides on for an indicator: the indicator, and its campaign."""
    found = [f"indicator:{indicator.id}"]
    if indicator.campaign is not None:
        found.append(f"campaign:{indicator.campaign}")
    return found


def _indicator_rule(rules: ReviewRules, indicator: Indicator, labs: list[str]) -> str | None:
    if "red" in rules.rules and indicator.tlp == TLP.RED.value:
        return "red"
    block = indicator.confidence >= rules.block_confidence
    if "single-lab-block" in rules.rules and block and len(labs) == 1:
        return "single-lab-block"
    return None


_REASONS = {
    "red": "TLP:RED: goes only to its named audience, after an analyst's approval",
    "single-lab-block": "a block recommendation (confidence {confidence}) from a single lab",
    "new-campaign": "the first indicators of campaign {campaign!r}",
}


def _hold(
    session: Session,
    exchange: Exchange,
    subject: str,
    rule: str,
    indicator: Indicator,
    now: datetime,
) -> HeldItem:
    is_campaign = subject.startswith("campaign:")
    reason = _REASONS[rule].format(confidence=indicator.confidence, campaign=indicator.campaign)
    row = HeldItem(
        subject=subject,
        rule=rule,
        reason=reason,
        indicator_id=None if is_campaign else indicator.id,
        campaign=indicator.campaign if is_campaign else None,
        held=now,
    )
    session.add(row)
    session.flush()
    details = {"item": row.id, "subject": subject, "rule": rule, "reason": reason}
    actor = exchange.federation.hub.id
    append_entry(session, actor=actor, action="item-held", time=now, details=details)
    return row


def _new_campaigns(session: Session, items: Sequence[Item], decided: dict) -> set[str]:
    """Campaigns among `items` that no bulletin has carried and no analyst has seen."""
    names = {i.campaign for i, _ in items if i.campaign is not None}
    names -= {s.removeprefix("campaign:") for s in decided if s.startswith("campaign:")}
    if not names:
        return set()
    carried = session.exec(
        select(Indicator.campaign)
        .join(BulletinItem, col(BulletinItem.indicator_id) == col(Indicator.id))
        .join(Bulletin, col(Bulletin.id) == col(BulletinItem.bulletin_id))
        .where(col(Indicator.campaign).in_(sorted(names)))
        .distinct()
    )
    return names - set(carried)


def _edited(indicator: Indicator, row: HeldItem | None) -> Indicator:
    """A detached copy with an approval's edits, so they never change the merged row."""
    edits = json.loads(row.edits) if row is not None else {}
    if not edits:
        return indicator
    if "tags" in edits:
        edits = {**edits, "tags": json.dumps(sorted(edits["tags"]))}
    return indicator.model_copy(update=edits)
