"""Merging: the merged view is derived from all contributions, and only a change that a
recipient should hear about makes a new version."""

import json
from datetime import timedelta

from sqlmodel import select

from sharing.aggregate import SightingAggregate
from sharing.exchange import Exchange
from sharing.merge import merge_aggregates
from sharing.store.models import Contribution, Indicator
from sharing.tlp import TLP
from tests.conftest import NOW

KEY = ("asn", "AS64501")


def _agg(**changes) -> SightingAggregate:  # type: ignore[no-untyped-def]
    values = {
        "sightings": 1,
        "first_seen": NOW - timedelta(days=2),
        "last_seen": NOW,
        "confidence": 50,
        "tlp": TLP.GREEN,
        "tags": {"proxy-hydra"},
        "campaign": None,
    }
    values.update(changes)
    return SightingAggregate(**values)


def _merge(exchange, lab, agg):  # type: ignore[no-untyped-def]
    with exchange.session() as session:
        counts = merge_aggregates(session, lab, {KEY: agg})
        session.commit()
    with exchange.session() as session:
        return counts, session.exec(select(Indicator)).one()


def test_merged_view_takes_the_strictest_tlp_highest_confidence_and_all_tags(hub_home) -> None:  # type: ignore[no-untyped-def]
    exchange = Exchange.open(hub_home.root, now=NOW)
    counts, indicator = _merge(exchange, "openai", _agg())
    assert (counts.new, indicator.version, indicator.labs) == (1, 1, 1)
    counts, indicator = _merge(
        exchange,
        "google",
        _agg(
            confidence=90,
            tlp=TLP.AMBER,
            tags={"account-farming"},
            campaign="crimson-relay",
            first_seen=NOW - timedelta(days=9),
        ),
    )
    assert (counts.new, counts.changed, indicator.version) == (0, 1, 2)
    assert (indicator.tlp, indicator.confidence, indicator.labs) == ("amber", 90, 2)
    assert json.loads(indicator.tags) == ["account-farming", "proxy-hydra"]
    assert indicator.campaign == "crimson-relay"
    assert indicator.first_seen == NOW - timedelta(days=9)


def test_more_sightings_alone_make_no_new_version(hub_home) -> None:  # type: ignore[no-untyped-def]
    exchange = Exchange.open(hub_home.root, now=NOW)
    _merge(exchange, "openai", _agg(sightings=3))
    counts, indicator = _merge(exchange, "openai", _agg(sightings=4))
    assert (counts.unchanged, indicator.version, indicator.sightings) == (1, 1, 7)
    with exchange.session() as session:
        own = session.exec(select(Contribution)).one()
    assert (own.lab, own.sightings) == ("openai", 7)


def test_a_later_sighting_is_a_new_version(hub_home) -> None:  # type: ignore[no-untyped-def]
    exchange = Exchange.open(hub_home.root, now=NOW)
    _merge(exchange, "openai", _agg())
    counts, indicator = _merge(exchange, "openai", _agg(last_seen=NOW + timedelta(hours=3)))
    assert (counts.changed, indicator.version) == (1, 2)
    assert indicator.last_seen == NOW + timedelta(hours=3)
