"""Free-text indicators: user agents and the names of commercial proxy services."""

import re
from typing import ClassVar

from sharing.indicators.base import IndicatorType, refuse_personal_data

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_PROVIDER = re.compile(r"[A-Za-z0-9 ._-]+")
_NUMBER_LIKE = frozenset("0123456789 .-")


class UserAgent(IndicatorType):
    """An HTTP User-Agent as sent, with whitespace runs collapsed to one space."""

    name = "user_agent"
    description = "HTTP User-Agent string: trimmed, whitespace collapsed, 1 to 1024 characters."
    max_length: ClassVar[int] = 1024

    def normalize(self, raw: str) -> str:
        control = _CONTROL.search(raw)
        if control:
            raise self.refuse(raw, f"control character {control.group()!r} is not allowed")
        text = " ".join(raw.split())
        if not text:
            raise self.refuse(raw, "empty")
        if len(text) > self.max_length:
            raise self.refuse(raw, f"longer than {self.max_length} characters")
        refuse_personal_data(self.name, raw, text)
        return text


class ProxyService(IndicatorType):
    """The name of a residential or commercial proxy provider, e.g. "bright data"."""

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
