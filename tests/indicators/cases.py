"""Table-driven checks for indicator types: a type's tests are a table of cases.

A test module lists `Cases` and binds `test_accepted, test_refused = table_tests(CASES)`.
"""

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pytest

from sharing.indicators import InvalidIndicator, canonicalize

Accepted = tuple[str, str] | tuple[str, str, str]


@dataclass(frozen=True)
class Cases:
    """One type's table: (raw, canonical value[, canonical type]) and (raw, reason substring).

    The third item of an accepted case names the type a value is handed to (ipv6 -> ipv4).
    """

    type_name: str
    accepted: Sequence[Accepted] = ()
    refused: Sequence[tuple[str, str]] = ()


def _label(type_name: str, raw: str) -> str:
    return f"{type_name}:{raw[:40]!r}"


def table_tests(tables: Sequence[Cases]) -> tuple[Callable[..., None], Callable[..., None]]:
    """Two parametrized tests: each accepted case canonicalizes as listed (and is then stable),
    each refused case raises InvalidIndicator with the listed reason in its message.
    """
    accepted = [
        pytest.param(
            t.type_name,
            c[0],
            c[1],
            c[-1] if len(c) == 3 else t.type_name,
            id=_label(t.type_name, c[0]),
        )
        for t in tables
        for c in t.accepted
    ]
    refused = [
        pytest.param(t.type_name, raw, reason, id=_label(t.type_name, raw))
        for t in tables
        for raw, reason in t.refused
    ]

    @pytest.mark.parametrize(("type_name", "raw", "value", "canonical_type"), accepted)
    def test_accepted(type_name: str, raw: str, value: str, canonical_type: str) -> None:
        assert canonicalize(type_name, raw) == (canonical_type, value)
        assert canonicalize(canonical_type, value) == (canonical_type, value)

    @pytest.mark.parametrize(("type_name", "raw", "reason"), refused)
    def test_refused(type_name: str, raw: str, reason: str) -> None:
        with pytest.raises(InvalidIndicator, match=re.escape(reason)):
            canonicalize(type_name, raw)

    return test_accepted, test_refused
