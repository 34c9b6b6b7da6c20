"""Advisory facts from the store: per-technique volume, trend, corroboration and types; a
technique filter; and attachments chosen per recipient by sharing.policy.may_receive."""

from dataclasses import replace
from datetime import timedelta

from sharing.advisories.period_facts import advisory_facts
from sharing.collect import collect_lab
from sharing.exchange import Exchange
from sharing.federation import inbox_path, load_federation, save_federation
from sharing.issuing import issue_bulletin
from sharing.tlp import TLP
from tests.conftest import NOW, write_feed

V1 = "0101010101010101010101010101010101010101010101010101010101010101"
V2 = "0202020202020202020202020202020202020202020202020202020202020202"
V3 = "0303030303030303030303030303030303030303030303030303030303030303"
V4 = "0404040404040404040404040404040404040404040404040404040404040404"
V5 = "0505050505050505050505050505050505050505050505050505050505050505"
V9 = "0909090909090909090909090909090909090909090909090909090909090909"

WEEK = timedelta(days=7)


def _record(value, seen="2026-11-20T10:00:00Z", tlp="green", tags=("proxy-hydra",)):  # type: ignore[no-untyped-def]
    return {"type": "account_hash", "value": value, "seen": seen, "tlp": tlp, "tags": list(tags)}


FEEDS = {
    "anthropic": [
        _record(V1),
        _record(V1, seen="2026-11-22T10:00:00Z"),
        _record(V2, tlp="red"),
        _record(V3, tags=("account-farming",)),
        _record(V5, tags=("rate-limit-evasion",)),
        _record(V9, seen="2026-11-10T10:00:00Z"),  # the previous week only
    ],
    "google": [_record(V1, tlp="amber"), _record(V2, tlp="red"), "broken"],
    "openai": [
        _record(V4, seen="2026-11-21T10:00:00Z"),
        _record(V5, tags=("rate-limit-evasion",)),
    ],
}


def _exchange(home, google_clearance=None):  # type: ignore[no-untyped-def]
    federation = load_federation(home)
    if google_clearance is not None:
        google = replace(federation.participant("google"), clearance=google_clearance)
        save_federation(
            home, replace(federation, participants={**federation.participants, "google": google})
        )
    exchange = Exchange.open(home.root, now=NOW)
    for lab, records in FEEDS.items():
        write_feed(inbox_path(home, exchange.federation.participant(lab)) / "f.jsonl", records)
        collect_lab(exchange, lab, now=NOW)
    return exchange


def _facts(exchange, **options):  # type: ignore[no-untyped-def]
    with exchange.session() as session:
        return advisory_facts(exchange, session, start=NOW - WEEK, end=NOW, **options)


def test_each_technique_has_volume_trend_corroboration_and_types(hub_home) -> None:  # type: ignore[no-untyped-def]
    facts = _facts(_exchange(hub_home))
    assert (facts.indicators_total, facts.corroborated, facts.indicators_previous) == (5, 3, 1)
    assert dict(facts.by_technique) == {
        "account-farming": 1,
        "proxy-hydra": 3,
        "rate-limit-evasion": 1,
    }
    hydra = facts.activity["proxy-hydra"]
    assert (hydra.indicators, hydra.previous, hydra.new, hydra.corroborated) == (3, 1, 3, 2)
    assert hydra.labs == 3 and dict(hydra.by_type) == {"account_hash": 3}
    farming = facts.activity["account-farming"]
    assert (farming.indicators, farming.previous, farming.labs) == (1, 0, 1)
    assert facts.activity["rate-limit-evasion"].labs == 2


def test_the_timeline_counts_each_indicator_on_the_days_it_was_active(hub_home) -> None:  # type: ignore[no-untyped-def]
    facts = _facts(_exchange(hub_home))
    assert facts.timeline is not None and facts.timeline.steps == 7
    starts = facts.timeline.starts()
    assert starts[0] == NOW - WEEK and facts.timeline.step == timedelta(days=1)
    # .1 seen 11-20 and 11-22, .2 on 11-20, .4 on 11-21: days start at 10:00 UTC
    assert facts.timeline.series["proxy-hydra"] == (0, 0, 0, 0, 2, 2, 1)


def test_a_technique_filter_limits_every_count(hub_home) -> None:  # type: ignore[no-untyped-def]
    facts = _facts(_exchange(hub_home), technique="account-farming")
    assert facts.focus == "account-farming" and dict(facts.by_technique) == {"account-farming": 1}
    assert facts.indicators_total == 1 and dict(facts.by_type) == {"account_hash": 1}
    assert facts.indicators == [] and facts.tlp is TLP.CLEAR  # not corroborated: nothing attached
    quiet = _facts(Exchange.open(hub_home.root, now=NOW), technique="payment-fraud")
    assert dict(quiet.by_technique) == {"payment-fraud": 0} and quiet.indicators_total == 0


def test_attachments_follow_each_recipients_clearance(hub_home) -> None:  # type: ignore[no-untyped-def]
    exchange = _exchange(hub_home, google_clearance=TLP.GREEN)
    labs = {lab.id: lab for lab in exchange.federation.labs}
    hub = _facts(exchange)
    google = _facts(exchange, recipient=labs["google"])
    openai = _facts(exchange, recipient=labs["openai"])
    assert [i.value for i in hub.indicators] == [V5] and hub.tlp is TLP.GREEN
    assert [i.value for i in google.indicators] == [V5] and google.tlp is TLP.GREEN
    assert {i.value for i in openai.indicators} == {V1, V5}
    assert openai.tlp is TLP.AMBER  # the strictest of what it carries; RED is never attached
    assert V2 not in {i.value for i in openai.indicators}


def test_the_latest_bulletin_of_each_stream_is_named(hub_home) -> None:  # type: ignore[no-untyped-def]
    exchange = _exchange(hub_home)
    first = issue_bulletin(exchange, "openai", now=NOW - timedelta(hours=2))
    write_feed(inbox_path(hub_home, exchange.federation.participant("google")) / "g.jsonl",
               [_record(V3, tags=("account-farming",))])  # fmt: skip
    collect_lab(exchange, "google", now=NOW)
    second = issue_bulletin(exchange, "openai", now=NOW - timedelta(hours=1))
    other = issue_bulletin(exchange, "anthropic", now=NOW - timedelta(hours=1))
    assert first and second and other and second.seq == 2
    assert _facts(exchange).bulletins == [other.id, second.id]  # by stream: anthropic, openai
    labs = {lab.id: lab for lab in exchange.federation.labs}
    assert _facts(exchange, recipient=labs["openai"]).bulletins == [second.id]
