"""The indicator catalogue: every type dtix exchanges, and the one way to canonicalize a value.

Callers use `canonicalize` (or `normalize` for the value alone). A new type is one class in
this package and one line in `_TYPES` below.
"""

from collections.abc import Mapping
from types import MappingProxyType

from sharing.indicators.asn import ASN
from sharing.indicators.base import IndicatorType, InvalidIndicator
from sharing.indicators.digests import (
    AccountHash,
    ApiKeyFingerprint,
    EmailHash,
    PaymentFingerprint,
    PhoneHash,
    PromptFingerprint,
)
from sharing.indicators.domain import Domain, EmailDomain
from sharing.indicators.ip import CIDR, IPv4, IPv6
from sharing.indicators.text import ProxyService, UserAgent
from sharing.indicators.tls import JA4
from sharing.indicators.url import URL

__all__ = ["CATALOGUE", "IndicatorType", "InvalidIndicator", "canonicalize", "normalize"]

_TYPES: tuple[IndicatorType, ...] = (
    IPv4(),
    IPv6(),
    CIDR(),
    ASN(),
    Domain(),
    URL(),
    EmailDomain(),
    EmailHash(),
    PhoneHash(),
    AccountHash(),
    PaymentFingerprint(),
    ApiKeyFingerprint(),
    UserAgent(),
    JA4(),
    ProxyService(),
    PromptFingerprint(),
)

CATALOGUE: Mapping[str, IndicatorType] = MappingProxyType({t.name: t for t in _TYPES})


def canonicalize(type_name: str, raw: str) -> tuple[str, str]:
    """The canonical (type, value) for a submitted pair; the type changes only on a hand-over
    (an IPv4-mapped ipv6 or a /32 cidr becomes ipv4). Raises InvalidIndicator.
    """
    kind = CATALOGUE.get(type_name) if isinstance(type_name, str) else None
    if kind is None:
        raise InvalidIndicator(f"unknown indicator type {type_name!r}")
    if not isinstance(raw, str):
        raise InvalidIndicator(f"a {type_name} value must be a string, not {type(raw).__name__}")
    return kind.canonical(raw)


def normalize(type_name: str, raw: str) -> str:
    """The canonical value alone (see `canonicalize` for the type it belongs to)."""
    return canonicalize(type_name, raw)[1]
