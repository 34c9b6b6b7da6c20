"""IP addresses and networks: ipv4, ipv6 and cidr, in the forms every lab writes alike."""

import ipaddress
import re

from sharing.indicators.base import IndicatorType, invalid

_QUAD = re.compile(r"([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})")
_MAPPED = ipaddress.IPv6Network("::ffff:0:0/96")


def ipv4_address(text: str, type_name: str, raw: str) -> ipaddress.IPv4Address:
    """A strict dotted quad: four decimal octets 0-255, no leading zeros (010 may mean 8)."""
    match = _QUAD.fullmatch(text)
    if match is None:
        raise invalid(type_name, raw, "expected a dotted quad such as 203.0.113.7")
    for octet in match.groups():
        if len(octet) > 1 and octet[0] == "0":
            raise invalid(type_name, raw, "leading zeros are ambiguous")
        if int(octet) > 255:
            raise invalid(type_name, raw, f"octet {octet} is greater than 255")
    return ipaddress.IPv4Address(text)


def ipv6_address(text: str, type_name: str, raw: str) -> ipaddress.IPv6Address:
    """An IPv6 address without a zone (a zone such as %eth0 means nothing outside one host)."""
    if "%" in text:
        raise invalid(type_name, raw, "a zone index (%...) is not accepted")
    if not text.isascii() or ":" not in text:
        raise invalid(type_name, raw, "expected an IPv6 address such as 2001:db8::7")
    try:
        return ipaddress.IPv6Address(text)
    except ValueError as exc:
        raise invalid(type_name, raw, str(exc)) from None


class IPv4(IndicatorType):
    """An IPv4 address, e.g. a proxy exit node."""

    name = "ipv4"
    description = "IPv4 address in dotted-quad form; leading zeros are refused."

    def normalize(self, raw: str) -> str:
        return str(ipv4_address(raw.strip(), self.name, raw))


class IPv6(IndicatorType):
    """An IPv6 address in RFC 5952 form; an IPv4-mapped address becomes its ipv4."""

    name = "ipv6"
    description = "IPv6 address, written in RFC 5952 compressed lower-case form."

    def normalize(self, raw: str) -> str:
        return self.canonical(raw)[1]

    def canonical(self, raw: str) -> tuple[str, str]:
        address = ipv6_address(raw.strip(), self.name, raw)
        if address.ipv4_mapped is not None:
            return "ipv4", str(address.ipv4_mapped)
        return self.name, address.compressed


class CIDR(IndicatorType):
    """A network block such as a hosting range; host bits are cleared, a /32 or /128 is an IP."""

    name = "cidr"
    description = "IPv4 or IPv6 network as address/prefix; host bits set are cleared."

    def normalize(self, raw: str) -> str:
        return self.canonical(raw)[1]

    def canonical(self, raw: str) -> tuple[str, str]:
        address, slash, prefix = raw.strip().partition("/")
        if not slash:
            raise self.refuse(raw, "a prefix length is required, e.g. 203.0.113.0/24")
        if not prefix.isascii() or not prefix.isdigit() or len(prefix) > 3:
            raise self.refuse(raw, "the prefix length must be a decimal number")
        if len(prefix) > 1 and prefix[0] == "0":
            raise self.refuse(raw, "leading zeros are ambiguous")
        parse = ipv6_address if ":" in address else ipv4_address
        network = self._network(raw, parse(address, self.name, raw), int(prefix))
        if network.version == 6 and network.prefixlen >= 96 and network.subnet_of(_MAPPED):
            mapped = ipaddress.IPv4Address(int(network.network_address) & 0xFFFFFFFF)
            network = ipaddress.IPv4Network((mapped, network.prefixlen - 96))
        if network.prefixlen == network.max_prefixlen:
            return f"ipv{network.version}", str(network.network_address)
        return self.name, network.compressed

    def _network(
        self, raw: str, address: ipaddress.IPv4Address | ipaddress.IPv6Address, prefix: int
    ) -> ipaddress.IPv4Network | ipaddress.IPv6Network:
        if prefix > address.max_prefixlen:
            raise self.refuse(raw, f"prefix length {prefix} is longer than {address.max_prefixlen}")
        return ipaddress.ip_network((address, prefix), strict=False)
