"""Periods as people type them, and the period before."""

from datetime import UTC, datetime, timedelta

import pytest

from sharing.advisories import Period, parse_period
from sharing.errors import InputError


@pytest.mark.parametrize(
    ("text", "length"),
    [("7d", timedelta(days=7)), ("24h", timedelta(hours=24)), ("2w", timedelta(weeks=2)),
     (" 30D ", timedelta(days=30)), ("366d", timedelta(days=366))],
)  # fmt: skip
def test_parses_hours_days_and_weeks(text: str, length: timedelta) -> None:
    assert parse_period(text) == length


@pytest.mark.parametrize("text", ["", "7", "d", "0d", "-1d", "7x", "1.5d", "367d", "53w", "7 d"])
def test_refuses_anything_else_with_one_clear_line(text: str) -> None:
    with pytest.raises(InputError, match="invalid period") as caught:
        parse_period(text)
    assert "\n" not in str(caught.value) and "24h, 7d or 2w" in str(caught.value)


def test_previous_period_has_the_same_length_and_ends_where_this_starts() -> None:
    end = datetime(2026, 11, 23, tzinfo=UTC)
    period = Period.ending(end, timedelta(days=7))
    previous = period.previous()
    assert previous.end == period.start and previous.length == period.length
