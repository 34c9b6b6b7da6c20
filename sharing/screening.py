"""Screening: canonical indicators that must never go out as something to block.

Reserved and private ranges, public DNS resolvers, CDN and cloud front ends and popular
domains are kept and reported, never distributed as indicators. The warninglists are
compiled once into sorted integer ranges and sets, so a match costs a few bisections.
"""

import bisect
import ipaddress
import socket
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sharing.warninglists import Warninglist, list_files, read_list


class Ranges:
    """Disjoint, sorted closed integer ranges: containment and overlap by bisection."""

    def __init__(self, ranges: Iterable[tuple[int, int]]) -> None:
        merged: list[list[int]] = []
        for low, high in sorted(ranges):
            if merged and low <= merged[-1][1] + 1:
                merged[-1][1] = max(merged[-1][1], high)
            else:
                merged.append([low, high])
        self._starts = [low for low, _ in merged]
        self._ends = [high for _, high in merged]

    def __bool__(self) -> bool:
        return bool(self._starts)

    def overlaps(self, low: int, high: int) -> bool:
        """True when some range shares a number with [low, high] (contains it when low == high)."""
        at = bisect.bisect_right(self._starts, high) - 1
        return at >= 0 and self._ends[at] >= low


@dataclass(frozen=True)
class CompiledList:
    """One warninglist ready for matching."""

    name: str
    types: frozenset[str]
    ipv4: Ranges
    ipv6: Ranges
    asns: Ranges
    domains: frozenset[str]
    exact_domains: frozenset[str]

    @classmethod
    def of(cls, warninglist: Warninglist) -> "CompiledList":
        networks = [ipaddress.ip_network(n) for n in warninglist.networks]
        spans: dict[int, list[tuple[int, int]]] = {4: [], 6: []}
        for net in networks:
            spans[net.version].append((int(net.network_address), int(net.broadcast_address)))
        return cls(
            name=warninglist.name,
            types=warninglist.types,
            ipv4=Ranges(spans[4]),
            ipv6=Ranges(spans[6]),
            asns=Ranges(warninglist.asns),
            domains=frozenset(warninglist.domains),
            exact_domains=frozenset(warninglist.exact_domains),
        )

    def has_domain(self, name: str) -> bool:
        """`name` is listed exactly, or is a listed suffix domain or one of its subdomains."""
        if name in self.exact_domains or name in self.domains:
            return True
        rest = name
        while "." in rest:
            rest = rest.split(".", 1)[1]
            if rest in self.domains:
                return True
        return False


class Warninglists:
    """All lists in force; `match` names the first list a canonical indicator is on."""

    def __init__(self, lists: Iterable[Warninglist]) -> None:
        by_name = {w.name: w for w in lists}  # a later list replaces one of the same name
        self.lists = tuple(by_name.values())
        compiled = [CompiledList.of(w) for w in self.lists]
        self._by_type = {
            name: tuple(c for c in compiled if name in c.types) for name in _SCREENED_TYPES
        }

    @classmethod
    def load(cls, extra_dir: Path | None = None) -> "Warninglists":
        """The shipped lists plus every *.toml in `extra_dir`; InputError for a bad file."""
        return cls(read_list(path) for path in list_files(extra_dir))

    def match(self, type_name: str, value: str) -> str | None:
        """The name of the first list that screens the canonical (type, value), or None."""
        lists = self._by_type.get(type_name)
        if not lists:
            return None
        if type_name == "url":
            type_name, value = _url_host(value)
        if type_name in ("ipv4", "ipv6", "cidr"):
            version, low, high = _span(type_name, value)
            if version == 4:
                return next((c.name for c in lists if c.ipv4.overlaps(low, high)), None)
            return next((c.name for c in lists if c.ipv6.overlaps(low, high)), None)
        if type_name in ("domain", "email_domain"):
            return next((c.name for c in lists if c.has_domain(value)), None)
        if type_name == "asn":
            number = int(value[2:])
            return next((c.name for c in lists if c.asns.overlaps(number, number)), None)
        return None


_SCREENED_TYPES = ("ipv4", "ipv6", "cidr", "asn", "domain", "email_domain", "url")


def _span(type_name: str, value: str) -> tuple[int, int, int]:
    """(IP version, first, last address) of a canonical ipv4, ipv6 or cidr value."""
    if type_name == "ipv4":
        number = int.from_bytes(socket.inet_aton(value))
        return 4, number, number
    if type_name == "ipv6":
        number = int.from_bytes(socket.inet_pton(socket.AF_INET6, value))
        return 6, number, number
    net = ipaddress.ip_network(value)
    return net.version, int(net.network_address), int(net.broadcast_address)


def _url_host(url: str) -> tuple[str, str]:
    """The (type, value) of a canonical URL's host: ipv4, ipv6 or domain."""
    authority = url.split("://", 1)[1].split("/", 1)[0]
    if authority.startswith("["):
        return "ipv6", authority[1 : authority.index("]")]
    host = authority.rsplit(":", 1)[0] if ":" in authority else authority
    if host.replace(".", "").isdigit():
        return "ipv4", host
    return "domain", host
