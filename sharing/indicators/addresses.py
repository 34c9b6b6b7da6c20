"""Strict IP address parsing shared by ipv4, ipv6, cidr and the host of a url."""

import ipaddress
import re

from sharing.indicators.base import invalid

_QUAD = re.compile(r"([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})")


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
