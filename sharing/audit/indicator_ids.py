"""How the audit log names an indicator without spelling it out.

An indicator's id in the log is the lower-case hex SHA-256 of `<type>:<canonical value>`:
anyone holding an indicator can find it in an export, while the export itself does not
list indicator values. (It hides nothing from someone able to guess a value: an IPv4
address has only 2^32 candidates.)
"""

import hashlib
from collections.abc import Iterable
from typing import Protocol


def indicator_id(type_: str, value: str) -> str:
    """The log's id of the indicator (`type_`, canonical `value`)."""
    return hashlib.sha256(f"{type_}:{value}".encode()).hexdigest()


class Named(Protocol):
    type: str
    value: str


def attached_ids(indicators: Iterable[Named]) -> list[str]:
    """The sorted log ids of the indicators an object carries."""
    return sorted(indicator_id(i.type, i.value) for i in indicators)
