"""proxy_service: the commercial or residential proxy provider a campaign rents."""

import re
from typing import ClassVar

from sharing.indicators.base import IndicatorType

_PROVIDER = re.compile(r"[A-Za-z0-9 ._-]+")
_NUMBER_LIKE = frozenset("0123456789 .-")


class ProxyService(IndicatorType):
    """The name of a proxy provider, e.g. "bright data"."""

    name = "proxy_service"
    description = "Proxy provider name: lower-case letters, digits, space . _ -, 1 to 128 chars."
    max_length: ClassVar[int] = 128

    def normalize(self, raw: str) -> str:
        text = " ".join(raw.split())
        if not text:
            raise self.refuse(raw, "empty")
        if not _PROVIDER.fullmatch(text):
            raise self.refuse(raw, "only letters, digits, space, '.', '_' and '-' are allowed")
        if len(text) > self.max_length:
            raise self.refuse(raw, f"longer than {self.max_length} characters")
        if _NUMBER_LIKE.issuperset(text) and sum(c.isdigit() for c in text) >= 7:
            raise self.refuse(raw, "looks like a phone number; submit a phone_hash")
        return text.lower()
