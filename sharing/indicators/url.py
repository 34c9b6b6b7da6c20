"""URLs (http and https): a campaign's endpoints, relays and collection pages."""

import re
from urllib.parse import unquote

from sharing.indicators.addresses import ipv4_address, ipv6_address
from sharing.indicators.base import IndicatorType, refuse_personal_data
from sharing.indicators.domain_names import domain_name

_MAX = 8192
_URL = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):(?://([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#.*)?", re.S)
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_ESCAPE = re.compile(r"%([0-9A-Fa-f]{2})|[^A-Za-z0-9\-._~!$&'()*+,;=:@/?]")
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
_DEFAULT_PORT = {"http": "80", "https": "443"}


def _escape(match: re.Match[str]) -> str:
    """%xx in upper case (or the character, when unreserved); anything else encoded as UTF-8."""
    if match.group(1) is not None:
        char = chr(int(match.group(1), 16))
        return char if char in _UNRESERVED else "%" + match.group(1).upper()
    return "".join(f"%{byte:02X}" for byte in match.group(0).encode("utf-8"))


class URL(IndicatorType):
    """An http(s) URL in one spelling: scheme and host lower-case, default port and fragment
    dropped, percent-escapes upper-case, and an empty path written as "/".
    """

    name = "url"
    description = "http or https URL with a host; credentials (user@) are refused."

    def normalize(self, raw: str) -> str:
        text = raw.strip()
        if len(text) > _MAX:
            raise self.refuse(raw, f"longer than {_MAX} characters")
        if _CONTROL.search(text):
            raise self.refuse(raw, "control characters (tab, newline, ...) are not allowed")
        match = _URL.fullmatch(text)
        if match is None or match.group(1).lower() not in _DEFAULT_PORT:
            raise self.refuse(raw, "expected an http:// or https:// URL")
        scheme, authority, path, query = match.groups()
        scheme = scheme.lower()
        if not authority:
            raise self.refuse(raw, "a host is required")
        if "@" in authority:
            raise self.refuse(raw, "credentials (user@ or user:password@) are not accepted")
        host, port = self._host_port(raw, authority)
        if port and port != _DEFAULT_PORT[scheme]:
            host += ":" + port
        try:
            path = _ESCAPE.sub(_escape, path) or "/"
            query = "?" + _ESCAPE.sub(_escape, query) if query else ""
        except UnicodeError:
            raise self.refuse(raw, "the path or query is not valid Unicode") from None
        url = f"{scheme}://{host}{path}{query}"
        if len(url) > _MAX:
            raise self.refuse(raw, f"longer than {_MAX} characters once percent-encoded")
        refuse_personal_data(self.name, raw, unquote(url), phones=False)
        return url

    def _host_port(self, raw: str, authority: str) -> tuple[str, str]:
        """The canonical host ([v6] bracketed) and the port as a plain number or ""."""
        if authority.startswith("["):
            literal, bracket, rest = authority[1:].partition("]")
            if not bracket or (rest and not rest.startswith(":")):
                raise self.refuse(raw, "an IPv6 host must be written [address]")
            host = "[" + ipv6_address(literal, self.name, raw).compressed + "]"
            port = rest[1:]
        else:
            host, _, port = authority.partition(":")
            if ":" in port:
                raise self.refuse(raw, "an IPv6 host must be written [address]")
            if not host:
                raise self.refuse(raw, "a host is required")
            if host.isascii() and host.replace(".", "").isdigit():
                host = str(ipv4_address(host, self.name, raw))
            else:
                host = domain_name(host, self.name, raw)
        if port == "":
            return host, ""
        if not (port.isascii() and port.isdigit() and len(port) <= 5 and 0 < int(port) < 65536):
            raise self.refuse(raw, f"port {port[:16]!r} is not a number from 1 to 65535")
        return host, str(int(port))
