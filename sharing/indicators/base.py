"""What every indicator type shares: the error it raises and the shape of its class."""

import re
from abc import ABC, abstractmethod
from typing import ClassVar

from sharing.errors import DtixError

_SHOWN = 80
_EMAIL = re.compile(r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_PHONE = re.compile(r"\+[0-9](?:[ ().-]{0,2}[0-9]){6,14}")  # E.164: 7 to 15 digits


class InvalidIndicator(DtixError, ValueError):
    """A raw value that no indicator type accepts; the message says which rule it breaks."""


def shown(raw: str) -> str:
    """`raw` quoted for an error message, cut short so a huge value cannot flood a log."""
    if len(raw) > _SHOWN:
        return repr(raw[:_SHOWN]) + "..."
    return repr(raw)


def invalid(type_name: str, raw: str, why: str) -> InvalidIndicator:
    """The one message shape: "'010.1.2.3' is not a valid ipv4: leading zeros are ambiguous"."""
    return InvalidIndicator(f"{shown(raw)} is not a valid {type_name}: {why}")


def refuse_personal_data(type_name: str, raw: str, text: str, *, phones: bool = True) -> None:
    """Raw email addresses and phone numbers never enter the exchange, whatever the type.

    `phones=False` where "+digits" is ordinary syntax (a URL query writes spaces as "+").
    """
    if _EMAIL.search(text):
        raise invalid(type_name, raw, "it contains an email address; submit an email_hash")
    if phones and _PHONE.search(text):
        raise invalid(type_name, raw, "it contains a phone number; submit a phone_hash")


class IndicatorType(ABC):
    """One kind of indicator: its published name and the rules that make a value canonical.

    The name never changes once published: it is the key labs submit and receive.
    """

    name: ClassVar[str]
    description: ClassVar[str]

    @abstractmethod
    def normalize(self, raw: str) -> str:
        """The canonical string for `raw`, or InvalidIndicator saying what is wrong."""

    def canonical(self, raw: str) -> tuple[str, str]:
        """(type, value) for `raw`: a type overrides this to hand a value to another type."""
        return self.name, self.normalize(raw)

    def refuse(self, raw: str, why: str) -> InvalidIndicator:
        return invalid(self.name, raw, why)

    def __repr__(self) -> str:
        return f"<indicator type {self.name}>"
