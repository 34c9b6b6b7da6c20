"""The named audience of a TLP:RED record: the participants its reporting lab lets see it.

A RED record goes only to the labs it names, never to anyone else; a RED record naming
nobody stays with the hub. When several lines (or several labs) restrict the same
indicator, every restriction holds: the audience is the intersection (docs/policy.md).
"""

from collections.abc import Iterable

from sharing.participants import PARTICIPANT_ID
from sharing.tlp import TLP

MAX_AUDIENCE = 64


def parse_audience(value: object, tlp: TLP) -> tuple[str, ...]:
    """The participant ids a record names, sorted; ValueError saying what is wrong."""
    if type(value) is not list:
        raise ValueError("must be an array of participant ids")
    if tlp is not TLP.RED:
        raise ValueError(f"names who may receive a TLP:RED record; this one is {tlp.label}")
    if len(value) > MAX_AUDIENCE:
        raise ValueError(f"names {len(value)} participants; at most {MAX_AUDIENCE} are allowed")
    for item in value:
        if type(item) is not str or not PARTICIPANT_ID.match(item):
            raise ValueError(f"must hold participant ids ({PARTICIPANT_ID.pattern})")
    return tuple(sorted(set(value)))


def red_audience(tlp: TLP, named: Iterable[str] | None) -> frozenset[str] | None:
    """Who a contribution lets see it: None when it is not RED (no named restriction)."""
    if tlp is not TLP.RED:
        return None
    return frozenset(named or ())


def narrowed(first: frozenset[str] | None, second: frozenset[str] | None) -> frozenset[str] | None:
    """Both restrictions at once: the intersection, or whichever one exists."""
    if first is None:
        return second
    if second is None:
        return first
    return first & second
