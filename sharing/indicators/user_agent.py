"""user_agent: the HTTP User-Agent a fleet of accounts sends."""

import re
from typing import ClassVar

from sharing.indicators.base import IndicatorType, refuse_personal_data

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


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
