"""Indicators active per technique over the period, one count per day (per hour when short).

An indicator counts as active in every step between its first and last sighting: the
exchange keeps those two times per indicator, not every sighting.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sharing.errors import InputError

DAY = timedelta(days=1)
HOUR = timedelta(hours=1)


@dataclass(frozen=True)
class Timeline:
    """`series[technique][i]` counts indicators active in [start + i*step, start + (i+1)*step)."""

    start: datetime
    step: timedelta
    series: Mapping[str, tuple[int, ...]]

    def __post_init__(self) -> None:
        lengths = {len(counts) for counts in self.series.values()}
        if len(lengths) > 1:
            raise InputError("timeline series differ in length")
        if any(n < 0 for counts in self.series.values() for n in counts):
            raise InputError("timeline counts must not be negative")
        if self.step <= timedelta(0):
            raise InputError("timeline step must be positive")

    @property
    def steps(self) -> int:
        return len(next(iter(self.series.values()), ()))

    def starts(self) -> list[datetime]:
        """The start of every step, in order."""
        return [self.start + i * self.step for i in range(self.steps)]


def step_for(length: timedelta) -> timedelta:
    """Hours for a period of two days or less, days otherwise."""
    return HOUR if length <= 2 * DAY else DAY


def active_timeline(
    spans: Iterable[tuple[datetime, datetime, Iterable[str]]], start: datetime, end: datetime
) -> Timeline:
    """Count each (first_seen, last_seen, tags) span in every step of [start, end] it overlaps.

    Linear in the number of spans: each adds +1/-1 at its ends, a running sum does the rest.
    """
    step = step_for(end - start)
    steps = max(1, -(-(end - start) // step))
    deltas: dict[str, list[int]] = {}
    for first, last, tags in spans:
        first, last = as_utc(first), as_utc(last)
        if last < start or first > end:
            continue
        lo = max(0, (first - start) // step)
        hi = min(steps - 1, (last - start) // step)
        for tag in tags:
            row = deltas.setdefault(tag, [0] * (steps + 1))
            row[lo] += 1
            row[hi + 1] -= 1
    series = {}
    for tag in sorted(deltas):
        running, counts = 0, []
        for delta in deltas[tag][:steps]:
            running += delta
            counts.append(running)
        series[tag] = tuple(counts)
    return Timeline(start, step, series)


def as_utc(moment: datetime) -> datetime:
    """The store hands back naive UTC on some databases; make every time aware."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment
