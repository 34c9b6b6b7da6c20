"""Who may receive what. The one place that decides whether a recipient may see an
indicator and in which form; bulletins, advisories and exports all ask here.

The rules (docs/policy.md): a lab receives a record within its clearance that some other
lab reported; a TLP:RED record only when every other lab that marked it RED named it in
the record's audience; sources are counted, and named only where they consented.
"""

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime

from sharing.federation import Participant
from sharing.tlp import TLP

CONFIDENCE_STEP = 10  # an anonymous record's confidence is shown to this step


def may_receive(
    recipient: Participant,
    tlp: TLP,
    contributors: Sequence[str],
    audiences: Mapping[str, frozenset[str]] | None = None,
) -> bool:
    """True when `recipient` may receive a record marked `tlp` that `contributors` reported.

    `audiences` maps each lab that marked its contribution RED to the participants it
    named; without it a RED record goes to no one. An indicator only the recipient itself
    reported teaches it nothing and is not sent back.
    """
    if recipient.role != "lab" or not tlp.allows(recipient.clearance):
        return False
    if not any(lab != recipient.id for lab in contributors):
        return False
    if tlp is TLP.RED:
        if not audiences:
            return False
        others = (named for lab, named in audiences.items() if lab != recipient.id)
        return all(recipient.id in named for named in others)
    return True


def sources_shown(
    recipient: Participant, contributors: Sequence[str], consenting: set[str]
) -> list[str]:
    """Reporting labs a recipient may see by name: itself, and labs that consented."""
    return sorted(lab for lab in contributors if lab == recipient.id or lab in consenting)


def source_fields(
    recipient: Participant, contributors: Sequence[str], consenting: set[str]
) -> dict:
    """What a record says about its sources: a count, and names only where allowed."""
    return {
        "labs": len(contributors),
        "corroborated": len(contributors) >= 2,
        "reported_by_you": recipient.id in contributors,
        "sources": sources_shown(recipient, contributors, consenting),
    }


def is_anonymous_to(
    recipient: Participant, contributors: Sequence[str], consenting: set[str]
) -> bool:
    """True when some source of the record may not be named to `recipient`."""
    return len(sources_shown(recipient, contributors, consenting)) < len(contributors)


def day_of(moment: datetime) -> datetime:
    """The UTC day a moment falls on: the precision of an anonymous record's timestamps."""
    at = moment.astimezone(UTC)
    return datetime(at.year, at.month, at.day, tzinfo=UTC)


def shown_confidence(confidence: int, anonymous: bool) -> int:
    """A lab's own scale could name it; an anonymous record shows confidence in steps."""
    return confidence - confidence % CONFIDENCE_STEP if anonymous else confidence
