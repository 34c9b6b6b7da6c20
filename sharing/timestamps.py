"""When a sighting was seen: an RFC 3339 date-time with a zone, read as an aware UTC datetime.

A timestamp without a zone, a leap second, an impossible offset or a date that does not
exist is refused with a reason that names the `seen` field.
"""

import re
from datetime import UTC, datetime, timedelta, timezone

from sharing.errors import DtixError
from sharing.indicators.base import shown

_STAMP = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt ]([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]+))?"
    r"(?:[Zz]|([+-])([0-9]{2}):([0-9]{2}))"
)


class InvalidTimestamp(DtixError, ValueError):
    """A `seen` value that is not an RFC 3339 date-time with a zone; the message says why."""


def parse_seen(text: str) -> datetime:
    """An RFC 3339 date-time with a zone (Z or ±hh:mm) as an aware UTC datetime."""
    match = _STAMP.fullmatch(text)
    if match is None:
        why = "an RFC 3339 timestamp with a zone, e.g. 2026-11-20T10:00:00Z"
        raise InvalidTimestamp(f"'seen' must be {why}, not {shown(text)}")
    *fields, fraction, sign, off_h, off_m = match.groups()
    if fields[5] == "60":
        raise InvalidTimestamp(f"'seen' {shown(text)} is a leap second, which is not supported")
    offset = timedelta(0)
    if sign is not None:
        if int(off_h) > 23 or int(off_m) > 59:
            raise InvalidTimestamp(f"'seen' {shown(text)} has an impossible zone offset")
        offset = timedelta(hours=int(off_h), minutes=int(off_m)) * (-1 if sign == "-" else 1)
    micro = int((fraction or "")[:6].ljust(6, "0"))
    try:
        local = datetime(*map(int, fields), micro, tzinfo=timezone(offset))
        return local.astimezone(UTC)
    except (ValueError, OverflowError):
        raise InvalidTimestamp(f"'seen' {shown(text)} is not a real date and time") from None
