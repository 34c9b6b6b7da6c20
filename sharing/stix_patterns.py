"""STIX 2.1 patterns for dtix indicators: one simple comparison per indicator, both ways.

`pattern_for` writes the pattern of a canonical (type, value); `indicator_of` reads a
pattern back with the stix2-patterns parser and accepts only a single comparison that
names a catalogue type. docs/indicators.md lists the mapping.
"""

import re

from stix2patterns.exceptions import ParseException
from stix2patterns.v21.pattern import Pattern

from sharing.indicators import CATALOGUE, InvalidIndicator, canonicalize
from sharing.indicators.base import shown

MAX_PATTERN = 16_384
_HEADER = ("extensions", "http-request-ext", "request_header", "user-agent")
# Standard STIX Cyber-observable properties; every other type is a dtix custom object.
_STANDARD = {
    ("ipv4-addr", ("value",)): "ipv4",
    ("ipv6-addr", ("value",)): "ipv6",
    ("domain-name", ("value",)): "domain",
    ("url", ("value",)): "url",
    ("autonomous-system", ("number",)): "asn",
    ("network-traffic", _HEADER): "user_agent",
}
_PATHS = {
    "ipv4": "ipv4-addr:value",
    "ipv6": "ipv6-addr:value",
    "domain": "domain-name:value",
    "url": "url:value",
    "user_agent": "network-traffic:extensions.'http-request-ext'.request_header.'User-Agent'",
}
# The custom observable types (declared by the dtix STIX extension) and their dtix type.
CUSTOM_OBSERVABLES = {
    f"x-dtix-{name.replace('_', '-')}": name
    for name in CATALOGUE
    if name not in _PATHS and name not in ("asn", "cidr", "email_domain")
}
_ESCAPED = re.compile(r"\\(['\\])")


def pattern_for(type_name: str, value: str) -> str:
    """The STIX 2.1 pattern of a (type, value), e.g. [ipv4-addr:value = '1.2.3.4']; the value
    is made canonical first, so InvalidIndicator says when it is not valid."""
    return canonical_pattern(*canonicalize(type_name, value))


def canonical_pattern(type_name: str, value: str) -> str:
    """The pattern of a (type, value) already canonical: `pattern_for` without the check."""
    if type_name == "asn":
        return f"[autonomous-system:number = {int(value.removeprefix('AS'))}]"
    if type_name == "email_domain":
        return f"[email-addr:value LIKE {_literal('%@' + value)}]"
    if type_name == "cidr":
        type_name = "ipv6" if ":" in value else "ipv4"
    path = _PATHS.get(type_name) or f"x-dtix-{type_name.replace('_', '-')}:value"
    return f"[{path} = {_literal(value)}]"


def indicator_of(pattern: str) -> tuple[str, str]:
    """The canonical (type, value) a STIX pattern names; InvalidIndicator when it names none."""
    if not isinstance(pattern, str):
        raise InvalidIndicator(f"a STIX pattern must be a string, not {type(pattern).__name__}")
    if len(pattern) > MAX_PATTERN:
        raise InvalidIndicator(f"the STIX pattern is longer than {MAX_PATTERN} characters")
    object_type, path, operator, literal = _single_comparison(pattern)
    key = (object_type, tuple(p.lower() if object_type == "network-traffic" else p for p in path))
    type_name = _STANDARD.get(key) or (
        CUSTOM_OBSERVABLES.get(object_type) if path == ["value"] else None
    )
    if object_type == "email-addr" and path == ["value"]:
        return _email_domain(pattern, operator, literal)
    if type_name is None:
        where = f"{object_type}:{'.'.join(path)}"
        raise InvalidIndicator(f"STIX pattern {shown(pattern)}: no dtix indicator type for {where}")
    if operator != "=":
        raise _refused(pattern, f"the operator must be '=', not {operator!r}")
    if type_name == "asn" and re.fullmatch(r"-?[0-9]{1,20}", literal):
        raw = literal
    else:
        raw = _string(pattern, literal)
    if type_name in ("ipv4", "ipv6") and "/" in raw:
        type_name = "cidr"
    return canonicalize(type_name, raw)


def _single_comparison(pattern: str) -> tuple[str, list[str], str, str]:
    """(object type, property path, operator, literal) of a pattern made of one comparison."""
    try:
        data = Pattern(pattern).inspect()
    except ParseException as exc:
        raise _refused(pattern, f"not a valid STIX 2.1 pattern ({str(exc)[:120]})") from None
    except Exception as exc:  # the ANTLR runtime has more ways to fail than ParseException
        raise _refused(pattern, f"not a valid STIX 2.1 pattern ({type(exc).__name__})") from None
    comparisons = [(t, c) for t, found in data.comparisons.items() for c in found]
    if data.observation_ops or data.qualifiers or len(comparisons) != 1:
        why = "only a single comparison such as [ipv4-addr:value = '203.0.113.7'] is accepted"
        raise _refused(pattern, why)
    object_type, (path, operator, literal) = comparisons[0]
    if not all(isinstance(p, str) for p in path):
        raise _refused(pattern, "list indexes ([*], [0]) in the property path are not accepted")
    return object_type, path, operator, literal


def _email_domain(pattern: str, operator: str, literal: str) -> tuple[str, str]:
    text = _string(pattern, literal)
    if operator == "=":
        raise _refused(pattern, "a raw email address is never accepted; submit an email_hash")
    if operator != "LIKE" or not text.startswith("%@") or any(c in text[2:] for c in "%_@"):
        raise _refused(pattern, "an email domain is written [email-addr:value LIKE '%@domain']")
    return canonicalize("email_domain", text[2:])


def _literal(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _string(pattern: str, literal: str) -> str:
    if len(literal) < 2 or literal[0] != "'" or literal[-1] != "'":
        raise _refused(pattern, "the value must be a quoted string")
    return _ESCAPED.sub(r"\1", literal[1:-1])


def _refused(pattern: str, why: str) -> InvalidIndicator:
    return InvalidIndicator(f"STIX pattern {shown(pattern)}: {why}")
