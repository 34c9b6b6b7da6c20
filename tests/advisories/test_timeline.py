"""Indicator volume over time: counting spans per step, the SVG geometry, sparklines."""

from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from sharing.advisories import Timeline, active_timeline
from sharing.advisories.chart import compact, line_chart, sparkline
from tests.advisories.samples import START

DAY = timedelta(days=1)


def test_counts_an_indicator_in_every_day_between_its_first_and_last_sighting() -> None:
    spans = [
        (START - 3 * DAY, START + DAY, ["a"]),  # began before the period
        (START + DAY, START + DAY + timedelta(hours=1), ["a", "b"]),
        (START + 2 * DAY, START + 10 * DAY, ["b"]),  # still active after it
        (START - 5 * DAY, START - 4 * DAY, ["a"]),  # outside: not counted
        (START.replace(tzinfo=None) + 2 * DAY, START.replace(tzinfo=None) + 2 * DAY, ["c"]),
    ]
    timeline = active_timeline(spans, START, START + 3 * DAY)
    assert timeline.step == DAY and timeline.starts() == [START, START + DAY, START + 2 * DAY]
    assert dict(timeline.series) == {"a": (1, 2, 0), "b": (0, 1, 1), "c": (0, 0, 1)}


def test_short_periods_count_per_hour() -> None:
    timeline = active_timeline([(START, START, ["a"])], START, START + timedelta(hours=24))
    assert timeline.step == timedelta(hours=1) and timeline.steps == 24
    assert timeline.series["a"][0] == 1 and sum(timeline.series["a"]) == 1


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.integers(-100, 300), st.integers(0, 200)), max_size=30))
def test_daily_counts_match_a_direct_count(raw: list[tuple[int, int]]) -> None:
    hours = timedelta(hours=1)
    spans = [(START + a * hours, START + (a + d) * hours, ["t"]) for a, d in raw]
    timeline = active_timeline(spans, START, START + 7 * DAY)
    expected = tuple(
        sum(
            1
            for first, last, _ in spans
            if first < START + (i + 1) * DAY and last >= START + i * DAY
        )
        for i in range(7)
    )
    assert timeline.series.get("t", (0,) * 7) == expected


def test_line_chart_scales_to_a_round_maximum_and_keeps_the_six_largest() -> None:
    series = {f"t{k}": (k, 2 * k, 37) for k in range(8)}
    titles = [(f"t{k}", f"Technique {k}") for k in reversed(range(8))]
    chart = line_chart(Timeline(START, DAY, series), titles)
    assert chart is not None and len(chart.lines) == 6
    assert [value for value, _ in chart.y_ticks] == ["0", "10", "20", "30", "40"]
    assert chart.lines[0].label == "Technique 7"
    assert len({line.colour for line in chart.lines}) == 6
    assert [label for label, _ in chart.x_labels] == ["11-20", "11-21", "11-22"]
    assert chart.rows[0] == ("2026-11-20", (7, 6, 5, 4, 3, 2))


def test_line_chart_needs_a_series_to_draw() -> None:
    assert line_chart(Timeline(START, DAY, {}), [("a", "A")]) is None


def test_axis_labels_stay_short() -> None:
    assert [compact(n) for n in (0, 950, 1_000, 12_500, 1_500_000, 20_000_000)] == [
        "0", "950", "1k", "12.5k", "1.5M", "20M"
    ]  # fmt: skip


def test_sparkline_scales_and_folds_long_series() -> None:
    assert sparkline([0, 5, 10]) == "▁▅█"
    assert sparkline([0, 0]) == "▁▁"
    assert sparkline([]) == ""
    assert len(sparkline(list(range(366)))) <= 28
