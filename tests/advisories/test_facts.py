"""AdvisoryFacts refuse values that would make an advisory wrong."""

from datetime import UTC, datetime, timedelta

import pytest

from sharing.advisories import AdvisoryIndicator, TechniqueActivity, Timeline
from sharing.errors import InputError
from sharing.tlp import TLP
from tests.advisories.samples import START, facts


def test_facts_refuse_an_indicator_above_the_advisory_marking() -> None:
    secret = AdvisoryIndicator("ipv4", "192.0.2.1", 1, 50, (), TLP.RED)
    with pytest.raises(InputError, match="TLP:RED"):
        facts(indicators=[secret])


def test_facts_refuse_a_reversed_period_and_negative_counts() -> None:
    with pytest.raises(InputError, match="period_start"):
        facts(period_start=datetime(2026, 12, 1, tzinfo=UTC))
    with pytest.raises(InputError, match="quarantined"):
        facts(quarantined=-1)
    with pytest.raises(InputError, match="indicators_previous"):
        facts(indicators_previous=-3)


def test_facts_refuse_impossible_technique_activity() -> None:
    with pytest.raises(InputError, match="more labs"):
        facts(activity={"proxy-hydra": TechniqueActivity(1, 0, 0, 0, 5, {})})
    with pytest.raises(InputError, match="negative"):
        facts(activity={"proxy-hydra": TechniqueActivity(1, -1, 0, 0, 1, {})})


def test_timeline_refuses_ragged_or_negative_series() -> None:
    with pytest.raises(InputError, match="length"):
        Timeline(START, timedelta(days=1), {"a": (1, 2), "b": (1,)})
    with pytest.raises(InputError, match="negative"):
        Timeline(START, timedelta(days=1), {"a": (1, -2)})
