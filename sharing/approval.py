"""An analyst's decisions on held items: approve, reject, or approve with edits.

`dtix review` and the exchange flow's pause-for-input both call `decide`; every decision
is in the audit log with who and why. An approved item goes out with the next bulletins
(with its edits); a rejected one is never sent.
"""

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlmodel import Session, col, select

from sharing.audit.log import append_entry
from sharing.errors import DtixError
from sharing.exchange import Exchange
from sharing.store.models import Indicator
from sharing.store.review_tables import HeldItem
from sharing.tlp import TLP

Verdict = Literal["approve", "reject"]
EDITABLE = ("tlp", "confidence", "campaign", "tags")


class ReviewError(DtixError):
    """A decision that cannot be taken: unknown item, already decided, or a bad edit."""


@dataclass(frozen=True)
class Decision:
    item: int
    verdict: Verdict
    by: str
    why: str
    edits: dict[str, object]


def pending_items(exchange: Exchange) -> list[HeldItem]:
    """Items waiting for a decision, oldest first."""
    with exchange.session() as session:
        query = select(HeldItem).where(HeldItem.status == "pending")
        return list(session.exec(query.order_by(col(HeldItem.id))))


def parse_edits(pairs: list[str]) -> dict[str, object]:
    """`field=value` pairs as edits, checked: tlp may only become more restrictive (never
    RED, whose audience only the reporting lab names), confidence 0..100, tags a comma list."""
    edits: dict[str, object] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or name not in EDITABLE:
            raise ReviewError(f"edit {pair!r}: expected field=value, field one of {EDITABLE}")
        if name == "confidence":
            if not value.isdigit() or not 0 <= int(value) <= 100:
                raise ReviewError(f"edit {pair!r}: confidence must be 0..100")
            edits[name] = int(value)
        elif name == "tlp":
            try:
                edits[name] = TLP.parse(value).value
            except ValueError as exc:
                raise ReviewError(f"edit {pair!r}: {exc}") from None
        elif name == "tags":
            edits[name] = sorted({t.strip() for t in value.split(",") if t.strip()})
        else:
            edits[name] = value or None
    return edits


def decide(exchange: Exchange, decision: Decision, *, now: datetime) -> HeldItem:
    """Record one decision on a pending item, and its audit entry, in one transaction."""
    if not decision.by.strip() or not decision.why.strip():
        raise ReviewError("a decision needs who takes it (--by) and why (--why)")
    if decision.edits and decision.verdict != "approve":
        raise ReviewError("edits go with an approval only")
    with exchange.session() as session:
        row = session.get(HeldItem, decision.item)
        if row is None:
            raise ReviewError(f"no held item {decision.item}")
        if row.status != "pending":
            raise ReviewError(f"held item {decision.item} was already {row.status}")
        _check_tlp_edit(session, row, decision.edits)
        row.status = "approved" if decision.verdict == "approve" else "rejected"
        row.edits = json.dumps(decision.edits, sort_keys=True)
        row.decided_by, row.decided_why, row.decided = decision.by, decision.why, now
        session.add(row)
        details = {
            "item": row.id,
            "subject": row.subject,
            "decision": row.status,
            "by": decision.by,
            "why": decision.why,
            "edits": decision.edits,
        }
        append_entry(
            session,
            actor=exchange.federation.hub.id,
            action="item-decided",
            time=now,
            details=details,
        )
        session.commit()
        return row


def _check_tlp_edit(session: Session, row: HeldItem, edits: dict[str, object]) -> None:
    if "tlp" not in edits:
        return
    if row.indicator_id is None:
        raise ReviewError("a campaign's approval cannot change a TLP; edit its indicators")
    current = TLP(session.get(Indicator, row.indicator_id).tlp)  # type: ignore[union-attr]
    wanted = TLP(str(edits["tlp"]))
    if wanted.rank < current.rank or (wanted is TLP.RED and current is not TLP.RED):
        raise ReviewError(
            f"edit tlp: {current.label} may only become more restrictive, below TLP:RED"
        )


def decisions_from(
    approve: list[int], reject: list[int], edits: list[str], *, by: str, why: str
) -> list[Decision]:
    """Decisions as `dtix review` takes them: `--edit ID field=value` approves ID with edits."""
    edited: dict[int, list[str]] = {}
    for text in edits:
        item, _, pair = text.partition(" ")
        if not item.isdigit() or not pair:
            raise ReviewError(f"--edit {text!r}: expected 'ID field=value'")
        edited.setdefault(int(item), []).append(pair.strip())
    chosen = [*approve, *reject, *edited]
    if len(chosen) != len(set(chosen)) or set(approve) & set(edited):
        raise ReviewError("each item takes one decision (an --edit is an approval)")
    return [
        *(Decision(i, "approve", by, why, {}) for i in approve),
        *(Decision(i, "approve", by, why, parse_edits(p)) for i, p in edited.items()),
        *(Decision(i, "reject", by, why, {}) for i in reject),
    ]


def apply_decisions(
    exchange: Exchange, decisions: list[Decision], *, now: datetime
) -> list[HeldItem]:
    """Take each decision in turn (each in its own transaction, each logged)."""
    return [decide(exchange, d, now=now) for d in decisions]
