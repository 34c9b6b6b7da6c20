"""The window an advisory covers: `7d`, `24h` or `2w` ending now, and the one before it.

Counts for the period are compared with the previous period of the same length, so the
trend a reader sees is like for like.
"""

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sharing.errors import InputError

MAX_PERIOD = timedelta(days=366)
_PERIOD = re.compile(r"^([1-9][0-9]{0,4})([hdw])$")
_UNITS = {"h": timedelta(hours=1), "d": timedelta(days=1), "w": timedelta(weeks=1)}


def parse_period(text: str) -> timedelta:
    """`24h`, `7d`, `2w` as a timedelta; InputError naming the value otherwise."""
    found = _PERIOD.match(text.strip().lower())
    length = int(found.group(1)) * _UNITS[found.group(2)] if found else None
    if length is None or length > MAX_PERIOD:
        raise InputError(
            f"invalid period {text!r}: expected hours, days or weeks up to 366 days, "
            "such as 24h, 7d or 2w"
        )
    return length


@dataclass(frozen=True)
class Period:
    """[start, end]: an indicator belongs to it when its sightings overlap the window."""

    start: datetime
    end: datetime

    @classmethod
    def ending(cls, end: datetime, length: timedelta) -> "Period":
        return cls(end - length, end)

    @property
    def length(self) -> timedelta:
        return self.end - self.start

    def previous(self) -> "Period":
        """The window of the same length just before this one."""
        return Period(self.start - self.length, self.start)
