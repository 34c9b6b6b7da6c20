"""The facts of the oversight report, gathered from the log up to one signed checkpoint.

The report reads every leaf the checkpoint covers, recomputes their tree and refuses to
go on unless its root is the signed one: each figure in the report is then a statement
the hub has signed. Rendering is sharing.audit.report_render.
"""

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import orjson
from sqlmodel import Session

from sharing.audit.log import latest_checkpoint
from sharing.audit.log_keys import trusted_log_keys, verifier_keys
from sharing.audit.merkle import MerkleTree, leaf_hash
from sharing.audit.note import parse_checkpoint, verify_note
from sharing.audit.reading import read_leaves
from sharing.errors import AuditError
from sharing.federation import Federation

KEY_FIELDS = ("sign_kid", "encrypt_kid")
ENTRY_FIELDS = {"index", "time", "actor", "action", "object_sha256", "recipients", "details"}


@dataclass
class LabFacts:
    """What one lab sent and received, by the log."""

    lab: str
    submissions: int = 0
    records: int = 0
    quarantined: int = 0
    bulletins: int = 0
    indicators: int = 0
    delivered: int = 0
    acknowledged: int = 0
    advisories: int = 0
    tlp: Counter[str] = field(default_factory=Counter)
    per_day: Counter[str] = field(default_factory=Counter)  # indicators shared, by day


@dataclass
class ReportFacts:
    federation: str
    origin: str
    size: int
    root: str
    checkpoint_time: str
    note: str
    verifier_keys: list[str]
    labs: dict[str, LabFacts]
    tlp: Counter[str] = field(default_factory=Counter)
    quarantine_reasons: Counter[str] = field(default_factory=Counter)
    screened: Counter[str] = field(default_factory=Counter)
    key_events: list[dict[str, Any]] = field(default_factory=list)
    rejected_receipts: list[dict[str, Any]] = field(default_factory=list)
    actions: Counter[str] = field(default_factory=Counter)
    first: str | None = None
    last: str | None = None


def _covered(session: Session, size: int, root: bytes) -> Iterator[dict[str, Any]]:
    """The first `size` entries, after checking their tree has the signed root."""
    tree = MerkleTree()
    mismatch = AuditError(f"the log does not match its checkpoint of size {size}: run audit verify")
    for leaf in read_leaves(session, below=size):
        tree.append(leaf_hash(leaf))
        try:
            entry = orjson.loads(leaf)
        except orjson.JSONDecodeError:
            raise mismatch from None
        if not isinstance(entry, dict) or set(entry) != ENTRY_FIELDS:
            raise mismatch
        yield entry
    if len(tree) != size or tree.root() != root:
        raise mismatch


def gather(session: Session, federation: Federation) -> ReportFacts:
    """Everything the report shows, from the log up to its latest checkpoint."""
    checkpoint = latest_checkpoint(session)
    if checkpoint is None:
        raise AuditError("no checkpoint yet: run the exchange first")
    text = verify_note(checkpoint.note, federation.origin, trusted_log_keys(federation.hub))
    _, size, root = parse_checkpoint(text)
    facts = ReportFacts(
        federation=federation.name,
        origin=federation.origin,
        size=size,
        root=root.hex(),
        checkpoint_time=checkpoint.time,
        note=checkpoint.note,
        verifier_keys=verifier_keys(federation.origin, federation.hub),
        labs={lab.id: LabFacts(lab.id) for lab in federation.labs},
    )
    for entry in _covered(session, size, root):
        _count(facts, entry)
    return facts


def _lab(facts: ReportFacts, lab: Any) -> LabFacts:
    name = str(lab)
    if name not in facts.labs:
        facts.labs[name] = LabFacts(name)
    return facts.labs[name]


def _count(facts: ReportFacts, entry: dict[str, Any]) -> None:
    action, details, time = entry["action"], entry["details"], entry["time"]
    facts.actions[action] += 1
    facts.first = facts.first or time
    facts.last = time
    if action == "submission-received":
        lab = _lab(facts, details.get("lab"))
        lab.submissions += 1
        lab.records += int(details.get("records") or 0)
    elif action == "records-quarantined":
        _lab(facts, details.get("lab")).quarantined += int(details.get("count") or 0)
        facts.quarantine_reasons.update(details.get("reasons") or {})
    elif action == "records-screened":
        facts.screened.update(details.get("lists") or {})
    elif action == "bulletin-issued":
        lab = _lab(facts, details.get("stream"))
        carried = len(details.get("indicators") or ())
        lab.bulletins += 1
        lab.indicators += carried
        lab.per_day[time[:10]] += carried
        mix = details.get("tlp_counts") or {details.get("tlp", "unknown"): carried}
        lab.tlp.update(mix)
        facts.tlp.update(mix)
    elif action == "bulletin-delivered":
        for recipient in entry["recipients"]:
            _lab(facts, recipient).delivered += 1
    elif action == "receipt-acknowledged":
        _lab(facts, entry["actor"]).acknowledged += 1
    elif action == "receipt-rejected":
        facts.rejected_receipts.append({"time": time, **details})
    elif action == "advisory-published":
        for recipient in entry["recipients"]:
            _lab(facts, recipient).advisories += 1
    if action.startswith("key-") or (
        action == "participant-changed" and set(details.get("fields", KEY_FIELDS)) & {*KEY_FIELDS}
    ):
        facts.key_events.append(_key_event(entry))


def _key_event(entry: dict[str, Any]) -> dict[str, Any]:
    """A key event in a line: when, whose, what."""
    details = entry["details"]
    who = details.get("participant") or details.get("id") or entry["actor"]
    if entry["action"] == "participant-changed":
        keys = ", ".join(f"{k.removesuffix('_kid')} {details.get(k)}" for k in KEY_FIELDS)
        what = f"{details.get('change', 'changed')}: {keys}"
    else:
        shown = {k: v for k, v in details.items() if k != "participant"}
        what = ", ".join(f"{k} {v}" for k, v in sorted(shown.items()))
    return {
        "index": entry["index"],
        "time": entry["time"],
        "action": entry["action"],
        "participant": str(who),
        "what": what,
    }
