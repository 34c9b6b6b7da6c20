"""ipv6: an IPv6 address, written the one way RFC 5952 recommends."""

from sharing.indicators.addresses import ipv6_address
from sharing.indicators.base import IndicatorType


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
