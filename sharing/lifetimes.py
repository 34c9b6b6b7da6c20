"""How long an indicator stays worth acting on after it was last seen, per type.

A proxy IP is re-let within weeks; an account-farm hash or a payment fingerprint names the
same thing for a year. An indicator past its lifetime (last seen + lifetime) is expired:
it leaves the bulletins. A federation may set its own lifetimes in federation.toml:

    [lifetimes]
    ipv4 = "14d"
    account_hash = "180d"
"""

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from types import MappingProxyType

from sharing.errors import FederationError
from sharing.home import Home
from sharing.indicators import CATALOGUE

_DAYS = {
    "ipv4": 30,
    "ipv6": 30,
    "cidr": 60,
    "asn": 180,
    "domain": 90,
    "url": 30,
    "email_domain": 180,
    "email_hash": 365,
    "phone_hash": 365,
    "account_hash": 365,
    "payment_fingerprint": 365,
    "api_key_fingerprint": 365,
    "user_agent": 30,
    "tls_fingerprint": 90,
    "proxy_service": 180,
    "prompt_fingerprint": 180,
}
DEFAULT_LIFETIMES: Mapping[str, timedelta] = MappingProxyType(
    {name: timedelta(days=days) for name, days in _DAYS.items()}
)
_FALLBACK = timedelta(days=90)
_DURATION = re.compile(r"([1-9][0-9]{0,4})([dh])")


@dataclass(frozen=True)
class Lifetimes:
    by_type: Mapping[str, timedelta] = field(default_factory=lambda: DEFAULT_LIFETIMES)

    def of(self, type_name: str) -> timedelta:
        return self.by_type.get(type_name, _FALLBACK)

    def valid_until(self, type_name: str, last_seen: datetime) -> datetime:
        return last_seen + self.of(type_name)

    def oldest_alive(self, type_name: str, now: datetime) -> datetime:
        """Indicators of this type last seen before this moment have expired."""
        return now - self.of(type_name)

    @classmethod
    def load(cls, home: Home) -> "Lifetimes":
        """The defaults, overridden by federation.toml's [lifetimes] table."""
        try:
            with home.federation_file.open("rb") as handle:
                table = tomllib.load(handle).get("lifetimes", {})
        except (OSError, tomllib.TOMLDecodeError):
            return cls()  # loading the federation itself reports these
        where = f"{home.federation_file}: [lifetimes]"
        if not isinstance(table, dict):
            raise FederationError(f"{where} must be a table")
        return cls(MappingProxyType({**DEFAULT_LIFETIMES, **_parse(table, where)}))


def _parse(table: dict, where: str) -> dict[str, timedelta]:
    parsed = {}
    for name, text in table.items():
        if name not in CATALOGUE:
            raise FederationError(f"{where}: {name!r} is not an indicator type")
        match = _DURATION.fullmatch(text) if isinstance(text, str) else None
        if match is None:
            raise FederationError(f'{where}: {name} must be like "30d" or "12h", not {text!r}')
        amount, unit = int(match[1]), match[2]
        parsed[name] = timedelta(days=amount) if unit == "d" else timedelta(hours=amount)
    return parsed
