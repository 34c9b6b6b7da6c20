"""What was shared with whom, when and under which policy: answered from the log alone.

Each bulletin-issued and advisory-published entry becomes one item per recipient, with
when it was delivered and acknowledged (bulletin-delivered, receipt-acknowledged), and
the recipient's clearance at that moment (the last participant-changed entry before it).
Nothing here reads the hub's other tables, so an export of the log gives the same answer.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sharing.audit.indicator_ids import indicator_id
from sharing.audit.log import audit_time
from sharing.errors import InputError
from sharing.indicators import InvalidIndicator, canonicalize

ACTIONS = (
    "participant-changed",
    "bulletin-issued",
    "bulletin-delivered",
    "receipt-acknowledged",
    "advisory-published",
)
KINDS = {"bulletin-issued": "bulletin", "advisory-published": "advisory"}


@dataclass
class SharedItem:
    """One object that went to one participant, as the log records it."""

    time: str
    kind: str
    id: str
    recipient: str
    tlp: str | None
    clearance: str | None
    indicators: int | None
    seq: int | None
    entry: int
    sha256: str | None
    delivered: str | None = None
    acknowledged: str | None = None


@dataclass(frozen=True)
class SharedQuery:
    """Which items to keep: to one participant, carrying one indicator, in a time window."""

    recipient: str | None = None
    indicator: str | None = None  # the log's indicator id
    since: str | None = None  # audit times (see audit_time), inclusive
    until: str | None = None

    @classmethod
    def parse(
        cls,
        *,
        recipient: str | None = None,
        indicator: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> "SharedQuery":
        """A query from what a person typed: `indicator` as TYPE:VALUE, any spelling."""
        indicator_ref = None
        if indicator is not None:
            type_, sep, value = indicator.partition(":")
            if not sep:
                raise InputError(f"--indicator {indicator!r} is not TYPE:VALUE")
            try:
                indicator_ref = indicator_id(*canonicalize(type_, value))
            except InvalidIndicator as exc:
                raise InputError(f"--indicator {indicator!r}: {exc}") from None
        return cls(
            recipient,
            indicator_ref,
            audit_time(since) if since else None,
            audit_time(until) if until else None,
        )

    def keeps(self, entry: dict[str, Any], recipient: str) -> bool:
        if self.recipient is not None and recipient != self.recipient:
            return False
        if self.since is not None and entry["time"] < self.since:
            return False
        if self.until is not None and entry["time"] > self.until:
            return False
        return self.indicator is None or self.indicator in entry["details"].get("indicators", ())


def shared_items(entries: Iterable[dict[str, Any]], query: SharedQuery) -> list[SharedItem]:
    """The items `query` keeps, in log order, from entries in log order."""
    clearance: dict[str, str] = {}
    items: list[SharedItem] = []
    by_id: dict[tuple[str, str], SharedItem] = {}
    for entry in entries:
        action, details = entry["action"], entry["details"]
        if action == "participant-changed":
            clearance[details.get("id", "")] = details.get("clearance")
        elif action in KINDS:
            for recipient in entry["recipients"]:
                if query.keeps(entry, recipient):
                    item = _item(entry, recipient, clearance.get(recipient))
                    items.append(item)
                    by_id[(item.id, recipient)] = item
        elif action == "bulletin-delivered":
            for recipient in entry["recipients"]:
                if (item := by_id.get((details.get("id"), recipient))) and not item.delivered:
                    item.delivered = entry["time"]
        elif action == "receipt-acknowledged":
            item = by_id.get((details.get("id"), entry["actor"]))
            if item is not None and not item.acknowledged:
                item.acknowledged = entry["time"]
    return items


def _item(entry: dict[str, Any], recipient: str, clearance: str | None) -> SharedItem:
    details = entry["details"]
    carried = details.get("indicators")
    return SharedItem(
        time=entry["time"],
        kind=KINDS[entry["action"]],
        id=str(details.get("id") or details.get("file") or entry["object_sha256"]),
        recipient=recipient,
        tlp=details.get("tlp"),
        clearance=clearance,
        indicators=len(carried) if isinstance(carried, list) else None,
        seq=details.get("seq"),
        entry=entry["index"],
        sha256=entry["object_sha256"],
    )
