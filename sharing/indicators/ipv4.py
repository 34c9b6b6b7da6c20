"""ipv4: an IPv4 address, such as a proxy exit node."""

from sharing.indicators.addresses import ipv4_address
from sharing.indicators.base import IndicatorType


class IPv4(IndicatorType):
    """A dotted quad; leading zeros are refused because 010 reads as 8 to some software."""

    name = "ipv4"
    description = "IPv4 address in dotted-quad form; leading zeros are refused."

    def normalize(self, raw: str) -> str:
        return str(ipv4_address(raw.strip(), self.name, raw))
