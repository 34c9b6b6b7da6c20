"""Axis steps: 1, 2 or 5 times a power of ten, never below what is asked."""

from sharing.chart_scale import nice_step


def test_steps_are_one_two_or_five_times_a_power_of_ten() -> None:
    assert [nice_step(v) for v in (0.3, 1, 3, 7, 11, 4000)] == [1, 1, 5, 10, 20, 5000]
