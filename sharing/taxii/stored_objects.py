"""A lab's read collection: the STIX objects of what its bulletins carried, with date_added.

The records come from `sharing.lab_view.carried_for` (the one place the sharing policy
decides what a lab may see) and become STIX through `sharing.stix_export.stix_objects`,
stamped with the time the bulletin that carried them was issued, so an indicator here is
the object the lab's own `dtix open --format stix` gave it. An object's date_added is when
the hub issued the bulletin that first carried that version; an object several records
share (a marking definition) takes the earliest.
"""

import json
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sharing.clock import rfc3339
from sharing.exchange import Exchange
from sharing.lab_view import carried_for
from sharing.lifetimes import Lifetimes
from sharing.stix_export import stix_objects
from sharing.taxii.media import parse_taxii_time


@dataclass(frozen=True)
class StoredObject:
    """One version of one STIX object in a collection."""

    obj: dict[str, Any]
    date_added: datetime

    @property
    def id(self) -> str:
        return str(self.obj["id"])

    @property
    def type(self) -> str:
        return str(self.obj.get("type", ""))

    @property
    def version(self) -> str:
        """`modified`, else `created`, else when it was added (objects without versions)."""
        stamp = self.obj.get("modified") or self.obj.get("created")
        return str(stamp) if stamp else rfc3339(self.date_added)

    @property
    def version_time(self) -> datetime:
        return parse_taxii_time(self.version) or self.date_added

    @property
    def spec_version(self) -> str:
        return str(self.obj.get("spec_version", "2.1"))


class LabObjects:
    """Builds each lab's collection on demand; converts a record to STIX once per process.

    A client paging through a large collection asks many times in a row, so a lab's view
    is reused while the clock stays in the same `VIEW_SECONDS` window (a new bulletin
    shows at most that much later, with its own date_added). A record is converted again
    only when its form or its bulletin changes; conversions no longer in a lab's view are
    dropped at its next build, so memory follows the view.
    """

    VIEW_SECONDS = 5

    def __init__(self, exchange: Exchange, lifetimes: Lifetimes) -> None:
        self._exchange = exchange
        self._lifetimes = lifetimes
        self._converted: dict[str, dict[str, list[dict[str, Any]]]] = {}
        self._views: dict[str, tuple[int, list[StoredObject]]] = {}
        self._lock = threading.Lock()

    def of(self, lab: str, now: datetime) -> list[StoredObject]:
        """Every version in `lab`'s read collection, by date_added, id and version."""
        window = int(now.timestamp()) // self.VIEW_SECONDS
        with self._lock:
            view = self._views.get(lab)
        if view is not None and view[0] == window:
            return view[1]
        built = self._build(lab, now)
        with self._lock:
            self._views[lab] = (window, built)
        return built

    def _build(self, lab: str, now: datetime) -> list[StoredObject]:
        recipient = self._exchange.federation.lab(lab)
        with self._exchange.session() as session:
            carried = carried_for(self._exchange, session, recipient, self._lifetimes, now)
        with self._lock:
            previous = self._converted.get(lab, {})
        current: dict[str, list[dict[str, Any]]] = {}
        found: dict[tuple[str, str], StoredObject] = {}
        for item in carried:
            added = item.added if item.added.tzinfo else item.added.replace(tzinfo=UTC)
            created = rfc3339(added)
            key = json.dumps(item.record, sort_keys=True) + "\x00" + created
            objects = previous.get(key) or stix_objects(
                [item.record], created=created, federation=self._exchange.federation.name
            )
            current[key] = objects
            for obj in objects:
                stored = StoredObject(obj, added)
                known = found.get((stored.id, stored.version))
                if known is None or added < known.date_added:
                    found[(stored.id, stored.version)] = stored
        with self._lock:
            self._converted[lab] = current
        return sorted(found.values(), key=lambda o: (o.date_added, o.id, o.version))
