"""Issuing: one bulletin per lab with what changed, chained by seq and prev, policy applied,
no empty bulletins, and a crash between sealing and recording leaves no duplicate or gap."""

import json
from datetime import timedelta

import pytest
from sqlmodel import select

from sharing.collect import collect_lab
from sharing.crypto import GENESIS_PREV, header_hash
from sharing.exchange import Exchange
from sharing.federation import inbox_path, load_federation
from sharing.issuing import issue_bulletin
from sharing.store.models import Bulletin, BulletinItem, Indicator
from tests.conftest import NOW, write_feed

SEEN = "2026-11-20T10:00:00Z"


def _submit(home, lab, name, records):  # type: ignore[no-untyped-def]
    inbox = inbox_path(home, load_federation(home).participant(lab))
    write_feed(inbox / name, records)
    exchange = Exchange.open(home.root, now=NOW)
    collect_lab(exchange, lab, now=NOW)
    return exchange


def _ip(value, **extra):  # type: ignore[no-untyped-def]
    return {"type": "ipv4", "value": value, "seen": SEEN, "tlp": "amber", **extra}


def test_bulletins_carry_what_changed_and_chain(hub_home) -> None:  # type: ignore[no-untyped-def]
    _submit(hub_home, "anthropic", "a.jsonl", [_ip("198.51.100.1"), _ip("198.51.100.2")])
    exchange = _submit(hub_home, "google", "g.jsonl", [_ip("198.51.100.1")])
    first = issue_bulletin(exchange, "openai", now=NOW)
    assert first is not None and (first.seq, first.indicators) == (1, 2)
    assert issue_bulletin(exchange, "openai", now=NOW) is None  # nothing new: no empty bulletin
    exchange = _submit(hub_home, "google", "g2.jsonl", [_ip("198.51.100.3", confidence=90)])
    second = issue_bulletin(exchange, "openai", now=NOW + timedelta(hours=1))
    assert second is not None and (second.seq, second.indicators) == (2, 1)
    with exchange.session() as session:
        rows = session.exec(
            select(Bulletin).where(Bulletin.stream == "openai").order_by(Bulletin.seq)
        ).all()
    assert rows[0].prev == GENESIS_PREV
    assert rows[1].prev == rows[0].header_hash == header_hash(json.loads(rows[0].sealed)["header"])


def test_a_lab_is_not_sent_back_what_only_it_reported(hub_home) -> None:  # type: ignore[no-untyped-def]
    exchange = _submit(hub_home, "openai", "o.jsonl", [_ip("198.51.100.9")])
    assert issue_bulletin(exchange, "openai", now=NOW) is None
    issued = issue_bulletin(exchange, "google", now=NOW)
    assert issued is not None and issued.indicators == 1


def test_red_and_above_clearance_are_held_back(hub_home) -> None:  # type: ignore[no-untyped-def]
    exchange = _submit(
        hub_home,
        "anthropic",
        "a.jsonl",
        [_ip("198.51.100.1", tlp="red"), _ip("198.51.100.2", tlp="amber+strict")],
    )
    issued = issue_bulletin(exchange, "openai", now=NOW)
    assert issued is not None and issued.indicators == 1
    assert issued.tlp.value == "amber+strict"


def test_crash_between_sealing_and_recording_reissues_the_same_seq(hub_home, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import sharing.issuing as issuing

    exchange = _submit(hub_home, "anthropic", "a.jsonl", [_ip("198.51.100.1")])

    def crash(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("killed after sealing")

    record = issuing.record_bulletin
    monkeypatch.setattr(issuing, "record_bulletin", crash)
    with pytest.raises(RuntimeError):
        issue_bulletin(exchange, "openai", now=NOW)
    monkeypatch.setattr(issuing, "record_bulletin", record)
    with exchange.session() as session:
        assert session.exec(select(Bulletin)).all() == []
    again = issue_bulletin(exchange, "openai", now=NOW)
    assert again is not None and again.seq == 1
    with exchange.session() as session:
        assert len(session.exec(select(Bulletin)).all()) == 1
        assert len(session.exec(select(BulletinItem)).all()) == 1


def test_expired_indicators_leave_the_bulletins(hub_home) -> None:  # type: ignore[no-untyped-def]
    old = (NOW - timedelta(days=40)).strftime("%Y-%m-%dT%H:%M:%SZ")
    records = [
        {"type": "ipv4", "value": "198.51.100.4", "seen": old},  # ipv4 lives 30 days
        {"type": "domain", "value": "relay.example.net", "seen": old},  # a domain, 90
    ]
    exchange = _submit(hub_home, "anthropic", "a.jsonl", records)
    issued = issue_bulletin(exchange, "openai", now=NOW)
    assert issued is not None and issued.indicators == 1
    with exchange.session() as session:
        (carried,) = session.exec(select(BulletinItem)).all()
        assert session.get(Indicator, carried.indicator_id).type == "domain"  # type: ignore[union-attr]
    with hub_home.federation_file.open("a") as toml:
        toml.write('\n[lifetimes]\ndomain = "10d"\n')
    assert issue_bulletin(exchange, "google", now=NOW) is None


@pytest.mark.postgres
@pytest.mark.parametrize("hub_home", ["postgres"], indirect=True)  # SQLite: one writer at a time
def test_of_two_runs_issuing_at_once_one_sends_each_change(
    hub_home, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    import sharing.issuing as issuing

    exchange = _submit(hub_home, "anthropic", "a.jsonl", [_ip("198.51.100.1")])
    pending = issuing.pending_for

    def other_run_issues_meanwhile(*args, **kwargs):  # type: ignore[no-untyped-def]
        """After this run saw what is pending, the other run issues it."""
        found = pending(*args, **kwargs)
        monkeypatch.setattr(issuing, "pending_for", pending)
        assert issue_bulletin(Exchange.open(hub_home.root, now=NOW), "openai", now=NOW)
        return found

    monkeypatch.setattr(issuing, "pending_for", other_run_issues_meanwhile)
    assert issue_bulletin(exchange, "openai", now=NOW) is None  # it lost seq 1: nothing sent
    with exchange.session() as session:
        assert [b.seq for b in session.exec(select(Bulletin))] == [1]
        assert len(session.exec(select(BulletinItem)).all()) == 1
