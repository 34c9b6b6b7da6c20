"""The family of hex-digest types: hashed personal data and fingerprints labs compare blind."""

import re
from typing import ClassVar

from sharing.indicators.base import IndicatorType

_HEX64 = re.compile(r"[0-9A-Fa-f]{64}")
_PHONE = re.compile(r"\+?[0-9][0-9 ().-]{5,}")
_PREFIX = "sha256:"


class HexDigest(IndicatorType):
    """64 hex characters (SHA-256 or HMAC-SHA256), lower-cased, an optional sha256: dropped.

    A type of this family names what must be hashed, so a raw value gets a pointed message.
    """

    hashed: ClassVar[str] = "the value"

    def normalize(self, raw: str) -> str:
        text = raw.strip()
        if text[: len(_PREFIX)].lower() == _PREFIX:
            text = text[len(_PREFIX) :]
        if _HEX64.fullmatch(text):
            return text.lower()
        if "@" in text:
            raise self.refuse(raw, "a raw email address is never accepted; submit its hash")
        if _PHONE.fullmatch(text) and len(text) != 64:
            raise self.refuse(raw, "a raw phone number is never accepted; submit its hash")
        why = f"expected 64 hex characters (SHA-256 of {self.hashed}), got {len(text)}"
        if len(text) == 64:
            why = f"expected 64 hex characters (SHA-256 of {self.hashed}), not all are hex"
        raise self.refuse(raw, why)
