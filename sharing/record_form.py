"""The form in which a recipient sees one indicator in its bulletin (sharing.policy rules).

Where a source may not be named to the recipient, nothing in the record may point at it
beyond the count: timestamps are shown to the UTC day and confidence in steps, so a lab's
collection times or its own confidence scale do not give it away (docs/policy.md).
"""

import json
from collections.abc import Sequence

from sharing.clock import rfc3339
from sharing.federation import Participant
from sharing.lifetimes import Lifetimes
from sharing.policy import day_of, is_anonymous_to, shown_confidence, source_fields
from sharing.store.models import Indicator


def bulletin_record(
    recipient: Participant,
    indicator: Indicator,
    contributors: Sequence[str],
    consenting: set[str],
    lifetimes: Lifetimes,
) -> dict:
    """One entry of a bulletin's `indicators`, as `recipient` may see it."""
    anonymous = is_anonymous_to(recipient, contributors, consenting)
    first, last = indicator.first_seen, indicator.last_seen
    valid_until = lifetimes.valid_until(indicator.type, last)
    if anonymous:
        first, last, valid_until = day_of(first), day_of(last), day_of(valid_until)
    return {
        "type": indicator.type,
        "value": indicator.value,
        "tlp": indicator.tlp,
        "confidence": shown_confidence(indicator.confidence, anonymous),
        "first_seen": rfc3339(first),
        "last_seen": rfc3339(last),
        "valid_until": rfc3339(valid_until),
        "tags": json.loads(indicator.tags),
        "campaign": indicator.campaign,
        **source_fields(recipient, contributors, consenting),
    }
