"""Raw personal data: how dtix recognizes it in a record, and the keyed hash that replaces it.

An email address, a phone number, a card number or an API key never leaves the lab that
holds it. `dtix submit` replaces them with HMAC-SHA256 under the federation secret
(sharing.minimizing); the hub refuses any record that still holds one. Nothing here ever
puts the value found into a message.
"""

import hashlib
import hmac
import re

RAW_TYPES = {
    "email": "email_hash",
    "phone": "phone_hash",
    "card_number": "payment_fingerprint",
    "api_key": "api_key_fingerprint",
}
HASHED_TYPES = frozenset(RAW_TYPES.values())
_HEX64 = re.compile(r"(?:sha256:)?[0-9A-Fa-f]{64}", re.IGNORECASE)
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_PHONE = re.compile(r"(?<![0-9A-Za-z])\+[0-9](?:[ ().-]{0,2}[0-9]){6,14}(?![0-9A-Za-z])")
_CARD = re.compile(r"(?<![0-9A-Za-z])[0-9](?:[ -]?[0-9]){12,18}(?![0-9A-Za-z])")
_API_KEY = re.compile(
    r"(?<![A-Za-z0-9])(?:sk-[A-Za-z0-9_-]{20,}|AKIA[0-9A-Z]{16}|AIza[0-9A-Za-z_-]{35}"
    r"|gh[pousr]_[A-Za-z0-9]{36,})"
)
_HASHED_AS = {
    "an email address": "email_hash",
    "a phone number": "phone_hash",
    "a card number": "payment_fingerprint",
    "an API key": "api_key_fingerprint",
}
_KINDS = (("an email address", _EMAIL), ("an API key", _API_KEY))
_NUMBERS = (("a phone number", _PHONE), ("a card number", _CARD))


def _luhn(digits: str) -> bool:
    total = 0
    for n, ch in enumerate(reversed(digits)):
        d = int(ch) * (2 if n % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def kind_in(text: str, *, numbers: bool = True) -> str | None:
    """What kind of personal data `text` holds ("an email address"...), or None."""
    if "@" in text or "sk-" in text or "AKIA" in text or "AIza" in text or "_" in text:
        for kind, pattern in _KINDS:
            if pattern.search(text):
                return kind
    if numbers:
        if "+" in text and _PHONE.search(text):
            return "a phone number"
        for match in _CARD.finditer(text):
            if _luhn(re.sub(r"[ -]", "", match.group())):
                return "a card number"
    return None


def personal_data_in(obj: dict) -> str | None:
    """Where a decoded record holds raw personal data, e.g. "an email address in 'value'"."""
    type_name, value = obj.get("type"), obj.get("value")
    if type_name in RAW_TYPES:
        return f"a {type_name} record; dtix submit turns it into a {RAW_TYPES[type_name]}"
    if type_name in HASHED_TYPES and type(value) is str and not _HEX64.fullmatch(value.strip()):
        return f"'value' of a {type_name} record is not a digest"
    for key, field in obj.items():
        if key in ("type", "seen", "tlp", "confidence", "count"):
            continue
        texts = field if type(field) is list else [field]
        for text in texts:
            if type(text) is not str:
                continue
            kind = kind_in(text, numbers=not (key == "value" and type_name == "url"))
            if kind is not None:
                return f"{kind} in {key!r}; it is submitted as {_HASHED_AS[kind]}"
    return None


def keyed_hash(secret: bytes, type_name: str, normalized: str) -> str:
    """HMAC-SHA256 under the federation secret of `type_name` ":" `normalized`, as hex."""
    message = f"{type_name}:{normalized}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def normalized(type_name: str, raw: str) -> str:
    """The one spelling of a raw value that every lab hashes (docs/policy.md)."""
    text = raw.strip()
    if type_name == "email":
        return text.lower()
    if type_name == "phone":
        return "+" + re.sub(r"[^0-9]", "", text)
    if type_name == "card_number":
        return re.sub(r"[^0-9]", "", text)
    return text


def scrubbed(text: str) -> str:
    """`text` with every piece of personal data in it replaced by what kind it was."""
    for kind, pattern in (*_KINDS, ("a phone number", _PHONE)):
        text = pattern.sub(f"[{kind}]", text)
    return _CARD.sub(
        lambda m: "[a card number]" if _luhn(re.sub(r"[ -]", "", m.group())) else m.group(), text
    )
