"""Which labs reported which indicators: the one batched query policy decisions need."""

from collections.abc import Sequence

from sqlmodel import Session, col, select

from sharing.store.models import Contribution

_BATCH = 500


def labs_by_indicator(session: Session, indicator_ids: Sequence[int]) -> dict[int, list[str]]:
    """Reporting labs per indicator id, sorted; an id nobody reported maps to []."""
    found: dict[int, list[str]] = {i: [] for i in indicator_ids}
    ids = list(found)
    for start in range(0, len(ids), _BATCH):
        rows = session.exec(
            select(Contribution.indicator_id, Contribution.lab).where(
                col(Contribution.indicator_id).in_(ids[start : start + _BATCH])
            )
        )
        for indicator_id, lab in rows:
            found[indicator_id].append(lab)
    return {i: sorted(labs) for i, labs in found.items()}
