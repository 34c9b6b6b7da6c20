"""The lab's side of minimization: raw personal data becomes keyed hashes before a
submission leaves (`dtix submit`), and a file that would still carry any is refused.

Record types `email`, `phone`, `card_number` and `api_key` become `email_hash`,
`phone_hash`, `payment_fingerprint` and `api_key_fingerprint`, HMAC-SHA256 under the
federation secret (sharing.personal_data). Errors name the line, never the value.
"""

import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import orjson

from sharing.errors import InputError
from sharing.personal_data import RAW_TYPES, keyed_hash, kind_in, normalized, personal_data_in

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_DIGITS = {"phone": (7, 15), "card_number": (12, 19)}


class Minimizer:
    """Rewrites a JSON Lines file; `changed` counts the records hashed, per raw type."""

    def __init__(self, secret: Callable[[], bytes]) -> None:
        self._secret = secret
        self._key: bytes | None = None
        self.changed: Counter[str] = Counter()

    def rewrite(self, source: Path, target: Path) -> None:
        with source.open("rb") as src, target.open("wb") as out:
            for number, line in enumerate(src, start=1):
                out.write(self.line(number, line, f"{source.name}:{number}"))

    def line(self, number: int, line: bytes, where: str) -> bytes:
        """One line, hashed where it holds a raw type; refused if personal data remains."""
        body = line.rstrip(b"\r\n")
        if not body.strip():
            return line
        try:
            obj = orjson.loads(body)
        except orjson.JSONDecodeError:
            obj = None
        if type(obj) is not dict:
            if kind_in(body.decode("utf-8", "replace")) is not None:
                raise InputError(f"{where}: not a JSON record, and it holds personal data")
            return line
        raw_type = obj.get("type")
        if raw_type in RAW_TYPES:
            obj["value"] = self._hashed(raw_type, obj.get("value"), where)
            obj["type"] = RAW_TYPES[raw_type]
            self.changed[raw_type] += 1
        found = personal_data_in(obj)
        if found is not None:
            raise InputError(f"{where}: raw personal data remains: {found}; refused")
        if raw_type not in RAW_TYPES:
            return line
        return orjson.dumps(obj) + b"\n"

    def _hashed(self, raw_type: str, value: object, where: str) -> str:
        if type(value) is not str or not value.strip():
            raise InputError(f"{where}: a {raw_type} record needs a string 'value'")
        text = normalized(raw_type, value)
        if raw_type == "email" and not _EMAIL.fullmatch(text):
            raise InputError(f"{where}: the value of an email record is not an email address")
        if raw_type in _DIGITS:
            low, high = _DIGITS[raw_type]
            if not low <= len(text.lstrip("+")) <= high:
                raise InputError(f"{where}: a {raw_type} must have {low} to {high} digits")
        if self._key is None:
            self._key = self._secret()
        return keyed_hash(self._key, raw_type, text)
