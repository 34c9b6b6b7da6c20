"""The indicator catalogue: every type dtix exchanges, and the one way to canonicalize a value.

Callers use `canonicalize` (or `normalize` for the value alone). A new type is one module
with one class in this package, one line in `_TYPES` below and one test file.
"""

from collections.abc import Mapping
from types import MappingProxyType

from sharing.indicators.account_hash import AccountHash
from sharing.indicators.api_key_fingerprint import ApiKeyFingerprint
from sharing.indicators.asn import ASN
from sharing.indicators.base import IndicatorType, InvalidIndicator
from sharing.indicators.cidr import CIDR
from sharing.indicators.domain import Domain
from sharing.indicators.email_domain import EmailDomain
from sharing.indicators.email_hash import EmailHash
from sharing.indicators.ipv4 import IPv4
from sharing.indicators.ipv6 import IPv6
from sharing.indicators.payment_fingerprint import PaymentFingerprint
from sharing.indicators.phone_hash import PhoneHash
from sharing.indicators.prompt_fingerprint import PromptFingerprint
from sharing.indicators.proxy_service import ProxyService
from sharing.indicators.tls_fingerprint import JA4
from sharing.indicators.url import URL
from sharing.indicators.user_agent import UserAgent

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
