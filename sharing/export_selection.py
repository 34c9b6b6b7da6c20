"""What a lab's export covers: its current view, or one accepted bulletin, of some types.

Exports read only the bulletins the lab accepted (`sharing.received_store`), which the hub
filtered by its sharing policy in one place (`sharing.lab_view`), so an export can never
show a lab more than its bulletins did. Indicators past their `valid_until` are left out.
"""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sharing.clock import rfc3339
from sharing.errors import DtixError
from sharing.federation import load_federation
from sharing.home import Home
from sharing.indicators import CATALOGUE
from sharing.received_store import ReceivedBulletin, current_by_bulletin, received_bulletins

_VIEW_NAMESPACE = uuid.UUID("0c9e4f3a-6b1d-5e27-8a44-2f5d7c1b9e60")

Group = tuple[ReceivedBulletin, list[dict[str, Any]]]


@dataclass(frozen=True)
class ExportSelection:
    """The records to export, grouped by the accepted bulletin that carried each one."""

    lab: str
    groups: list[Group]
    now: datetime
    bulletin: ReceivedBulletin | None = None  # set when one bulletin was asked for
    federation: str = "dtix"  # names the hub in STIX exports

    @property
    def indicators(self) -> list[dict[str, Any]]:
        """Every selected record, ordered by type and value."""
        found = [record for _, records in self.groups for record in records]
        return sorted(found, key=lambda r: (r["type"], r["value"]))

    def stix_header(self) -> dict[str, Any]:
        """The header a STIX bundle is named and stamped from: the bulletin's own when one
        was asked for; for the view, an id derived from the lab and the bulletins it draws
        on (the same view gives the same bundle id) and `issued` = now."""
        if self.bulletin is not None:
            return self.bulletin.header
        ids = [b.header["id"] for b, _ in self.groups]
        return {
            "id": str(uuid.uuid5(_VIEW_NAMESPACE, "\n".join([self.lab, *ids]))),
            "stream": self.lab,
            "issued": rfc3339(self.now),
        }


def select_for_export(
    home: Home,
    lab: str,
    *,
    now: datetime,
    bulletin_id: str | None = None,
    types: Iterable[str] = (),
) -> ExportSelection:
    """The current records of `lab`'s accepted bulletins (or of one), of `types` (all if
    none); DtixError for an unknown lab, type or bulletin, or a lab that accepted none."""
    federation = load_federation(home)
    federation.lab(lab)
    wanted = checked_types(types)
    bulletins = received_bulletins(home, lab)
    if not bulletins:
        raise DtixError(
            f"'{lab}' has accepted no bulletin yet (none kept under {home.received_dir(lab)})"
        )
    chosen = None
    if bulletin_id is not None:
        chosen = _find(bulletins, lab, bulletin_id)
        bulletins = [chosen]
    groups = [
        (bulletin, [r for r in records if not wanted or r["type"] in wanted])
        for bulletin, records in current_by_bulletin(bulletins, now)
    ]
    groups = [(b, records) for b, records in groups if records]
    if chosen is not None and not groups:
        groups = [(chosen, [])]
    return ExportSelection(lab, groups, now, chosen, federation.name)


def checked_types(types: Iterable[str]) -> frozenset[str]:
    """The indicator type names asked for; DtixError naming any that dtix does not know."""
    wanted = frozenset(types)
    unknown = sorted(wanted - CATALOGUE.keys())
    if unknown:
        raise DtixError(
            f"unknown indicator type {', '.join(map(repr, unknown))} "
            f"(known: {', '.join(CATALOGUE)})"
        )
    return wanted


def _find(bulletins: list[ReceivedBulletin], lab: str, bulletin_id: str) -> ReceivedBulletin:
    for bulletin in bulletins:
        if bulletin.header["id"] == bulletin_id:
            return bulletin
    raise DtixError(f"no bulletin '{bulletin_id}' among the {len(bulletins)} that '{lab}' accepted")
