"""Which indicators an advisory attaches: the most corroborated that its whole audience
may receive (sharing.policy.may_receive), at most ATTACHED of them."""

from collections.abc import Iterator
from typing import Any

import orjson
from sqlalchemy import Row
from sqlmodel import Session

from sharing.advisories.facts import AdvisoryIndicator
from sharing.federation import Participant
from sharing.policy import may_receive
from sharing.store.contributors import labs_by_indicator
from sharing.tlp import TLP

ATTACHED = 20
_CHUNK = 200


def attachments(
    session: Session, corroborated: list[Row[Any]], audience: list[Participant]
) -> list[AdvisoryIndicator]:
    """The most corroborated indicators that everyone in `audience` may receive."""
    ranked = sorted(corroborated, key=lambda i: (-i.labs, -i.confidence, i.type, i.value))
    chosen: list[AdvisoryIndicator] = []
    for indicator, labs in _with_contributors(session, ranked):
        if len(chosen) == ATTACHED:
            break
        tlp = TLP(indicator.tlp)
        if all(may_receive(lab, tlp, labs) for lab in audience):
            chosen.append(
                AdvisoryIndicator(
                    type=indicator.type,
                    value=indicator.value,
                    labs=indicator.labs,
                    confidence=indicator.confidence,
                    tags=tuple(orjson.loads(indicator.tags)),
                    tlp=tlp,
                )
            )
    return chosen


def _with_contributors(
    session: Session, ranked: list[Row[Any]]
) -> Iterator[tuple[Row[Any], list[str]]]:
    """Each indicator with its reporting labs, looked up a chunk at a time as needed."""
    for first in range(0, len(ranked), _CHUNK):
        chunk = ranked[first : first + _CHUNK]
        contributors = labs_by_indicator(session, [i.id for i in chunk])
        for indicator in chunk:
            yield indicator, contributors[indicator.id]
