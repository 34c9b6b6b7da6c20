"""cidr: an IPv4 or IPv6 network, such as the hosting range a proxy pool sits in."""

import ipaddress

from sharing.indicators.addresses import ipv4_address, ipv6_address
from sharing.indicators.base import IndicatorType

_MAPPED = ipaddress.IPv6Network("::ffff:0:0/96")


class CIDR(IndicatorType):
    """A network block; host bits are cleared, and a /32 or /128 is handed to ipv4 or ipv6."""

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
