"""The RED audiences of contributions: which labs marked an indicator RED, naming whom."""

import json
from collections.abc import Sequence

from sqlmodel import Session, col, select

from sharing.store.models import Contribution
from sharing.tlp import TLP

_BATCH = 500


def red_audiences(
    session: Session, indicator_ids: Sequence[int]
) -> dict[int, dict[str, frozenset[str]]]:
    """Per indicator id, each lab whose contribution is RED and the participants it named."""
    found: dict[int, dict[str, frozenset[str]]] = {i: {} for i in indicator_ids}
    ids = list(found)
    for start in range(0, len(ids), _BATCH):
        rows = session.exec(
            select(Contribution.indicator_id, Contribution.lab, Contribution.audience).where(
                col(Contribution.indicator_id).in_(ids[start : start + _BATCH]),
                Contribution.tlp == TLP.RED.value,
            )
        )
        for indicator_id, lab, audience in rows:
            found[indicator_id][lab] = frozenset(json.loads(audience or "[]"))
    return found
