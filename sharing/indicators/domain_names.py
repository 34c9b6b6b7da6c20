"""The domain-name rule shared by domain, email_domain and the host of a url."""

import re
import unicodedata

from sharing.indicators.base import invalid
from sharing.indicators.scripts import look_alike_reason

_DOTS = re.compile("[\u3002\uff0e\uff61]")
_UNPRINTABLE = frozenset({"Cc", "Cs", "Co", "Cn", "Zs", "Zl", "Zp"})
_LDH = re.compile(r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?", re.ASCII)
# IDNA 2003 maps these to other letters or drops them, IDNA 2008 keeps them: the same
# Unicode name would become two different registered domains, so only the A-label is taken.
_DEVIATIONS = frozenset("\u00df\u03c2\u200c\u200d")


def domain_name(text: str, type_name: str, raw: str) -> str:
    """Lower-case ASCII (IDNA A-label) form of `text`: LDH labels of 1-63, at most 253 chars."""
    text = _DOTS.sub(".", text).removesuffix(".")
    labels = text.split(".")
    if len(labels) < 2:
        raise invalid(type_name, raw, "at least two labels are required, e.g. example.com")
    out = [_label(label, type_name, raw) for label in labels]
    if out[-1].isdigit():
        raise invalid(type_name, raw, "the top-level label is numeric (an IP address?)")
    name = ".".join(out)
    if len(name) > 253:
        raise invalid(type_name, raw, "longer than 253 characters")
    return name


def _label(label: str, type_name: str, raw: str) -> str:
    if not label:
        raise invalid(type_name, raw, "empty label")
    if label.isascii():
        ascii_label = label.lower()
    elif _DEVIATIONS.intersection(label):
        why = "contains ß, ς or a zero-width joiner; submit the xn-- A-label"
        raise invalid(type_name, raw, why)
    else:
        ascii_label = _to_ascii(label, type_name, raw)
    if len(ascii_label) > 63:
        raise invalid(type_name, raw, f"label {ascii_label[:16]!r}... is longer than 63")
    if not _LDH.fullmatch(ascii_label):
        why = f"label {ascii_label!r} breaks the LDH rule (letters, digits, inner hyphens)"
        raise invalid(type_name, raw, why)
    if ascii_label.startswith("xn--") and not _is_a_label(ascii_label[4:]):
        raise invalid(type_name, raw, f"label {ascii_label!r} is not valid Punycode")
    return ascii_label


def _to_ascii(label: str, type_name: str, raw: str) -> str:
    """IDNA ToASCII of a Unicode label, refusing look-alikes (an A-label is taken as observed)."""
    try:
        ascii_label = label.encode("idna").decode("ascii").lower()
    except UnicodeError:
        raise invalid(type_name, raw, f"label {label!r} is not valid IDNA") from None
    if ascii_label.startswith("xn--"):
        why = look_alike_reason(ascii_label[4:].encode("ascii").decode("punycode"))
        if why:
            raise invalid(type_name, raw, f"{why}; submit the A-label {ascii_label} if it is real")
    return ascii_label


def _is_a_label(code: str) -> bool:
    """True when xn--`code` is Punycode for printable non-ASCII text and encodes back the same.

    A-labels are taken as given (not re-mapped by IDNA 2003), so IDNA 2008 names survive.
    """
    try:
        decoded = code.encode("ascii").decode("punycode")
        if decoded.isascii() or decoded.encode("punycode") != code.encode("ascii"):
            return False
    except (UnicodeError, ValueError, OverflowError):
        return False
    return not any(unicodedata.category(c) in _UNPRINTABLE for c in decoded)
