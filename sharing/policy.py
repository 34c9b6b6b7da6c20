"""Who may receive what. The one place that decides whether a recipient may see an
indicator and in which form; bulletins, advisories and exports all ask here."""

from collections.abc import Sequence

from sharing.federation import Participant
from sharing.tlp import TLP


def may_receive(recipient: Participant, tlp: TLP, contributors: Sequence[str]) -> bool:
    """A lab receives an indicator within its clearance that some other lab reported.

    TLP:RED needs a named audience, which records do not carry yet, so RED is held back.
    An indicator only the recipient itself reported teaches it nothing and is not sent back.
    """
    if tlp is TLP.RED or not tlp.allows(recipient.clearance):
        return False
    return any(lab != recipient.id for lab in contributors)


def sources_shown(
    recipient: Participant, contributors: Sequence[str], consenting: set[str]
) -> list[str]:
    """Reporting labs a recipient may see by name: itself, and labs that consented."""
    return sorted(lab for lab in contributors if lab == recipient.id or lab in consenting)
