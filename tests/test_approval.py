"""The approval gate: what the hub's rules mark is held out of every bulletin until an
analyst approves (possibly with edits) or rejects it; each decision is logged with who and
why; a crash while items are held loses nothing and sends nothing."""

import dataclasses

import pytest
from sqlmodel import select

from sharing.approval import ReviewError, apply_decisions, decisions_from, pending_items
from sharing.audit.reading import read_entries
from sharing.collect import collect_lab
from sharing.exchange import Exchange
from sharing.federation import inbox_path, load_federation, save_federation
from sharing.issuing import issue_bulletin
from sharing.receiver import receive_bulletin
from sharing.store.models import Bulletin
from sharing.tlp import TLP
from tests.conftest import NOW, write_feed

SEEN = "2026-11-20T10:00:00Z"
RULES = '\n[review]\nrules = ["red", "single-lab-block", "new-campaign"]\nblock_confidence = 90\n'


def _exchange(home, records: dict[str, list[dict]]) -> Exchange:  # type: ignore[no-untyped-def]
    federation = load_federation(home)
    lab = federation.participants["openai"]
    federation.participants["openai"] = dataclasses.replace(lab, clearance=TLP.RED)
    save_federation(home, federation)
    with home.federation_file.open("a") as toml:
        toml.write(RULES)
    for lab, lines in records.items():
        write_feed(inbox_path(home, load_federation(home).participant(lab)) / "f.jsonl", lines)
    exchange = Exchange.open(home.root, now=NOW)
    for lab in records:
        collect_lab(exchange, lab, now=NOW)
    return exchange


def _ip(last: int, **extra) -> dict:  # type: ignore[no-untyped-def]
    return {"type": "ipv4", "value": f"198.51.100.{last}", "seen": SEEN, **extra}


_OPENED: dict[str, list[dict]] = {}  # bulletin id -> its records (a lab opens each once)


def _received(exchange: Exchange, lab: str) -> dict[str, dict]:
    """Everything `lab` has received so far, opening the bulletins it has not opened yet."""
    with exchange.session() as session:
        rows = session.exec(select(Bulletin).where(Bulletin.stream == lab).order_by(Bulletin.seq))
        sealed = [(row.id, row.sealed) for row in rows]
    got = {}
    for bulletin_id, data in sealed:
        if bulletin_id not in _OPENED:
            body = receive_bulletin(exchange.home, lab, data, now=NOW).body
            _OPENED[bulletin_id] = body["indicators"]
        got.update({record["value"]: record for record in _OPENED[bulletin_id]})
    return got


def _decide(exchange: Exchange, **kw) -> None:  # type: ignore[no-untyped-def]
    apply_decisions(exchange, decisions_from(**kw, by="dana", why="checked the source"), now=NOW)


@pytest.fixture
def held(hub_home) -> tuple[Exchange, dict[str, int]]:  # type: ignore[no-untyped-def]
    """One indicator corroborated (sent), and one held by each rule: a single lab's block
    recommendation, the first indicator of a campaign, and a RED record naming openai."""
    exchange = _exchange(
        hub_home,
        {
            "anthropic": [_ip(1), _ip(2, confidence=95), _ip(3, campaign="hydra-2026")],
            "google": [_ip(1), _ip(4, tlp="red", audience=["openai"])],
        },
    )
    issued = issue_bulletin(exchange, "openai", now=NOW)
    assert issued is not None and issued.indicators == 1
    assert set(_received(exchange, "openai")) == {"198.51.100.1"}
    rules = {row.rule: row.id for row in pending_items(exchange)}
    assert set(rules) == {"single-lab-block", "new-campaign", "red"}
    return exchange, rules


def test_approved_items_go_out_and_rejected_ones_never_do(held) -> None:  # type: ignore[no-untyped-def]
    exchange, rules = held
    _decide(
        exchange,
        approve=[rules["red"], rules["new-campaign"]],
        reject=[rules["single-lab-block"]],
        edits=[],
    )
    assert pending_items(exchange) == []
    assert issue_bulletin(exchange, "openai", now=NOW) is not None
    assert set(_received(exchange, "openai")) == {"198.51.100.1", "198.51.100.3", "198.51.100.4"}
    assert issue_bulletin(exchange, "openai", now=NOW) is None  # the rejected one stays out
    # RED went to its audience only; google reported it and anthropic was not named.
    issue_bulletin(exchange, "anthropic", now=NOW)
    assert "198.51.100.4" not in _received(exchange, "anthropic")
    with exchange.session() as session:
        decided = [e for e in read_entries(session) if e["action"] == "item-decided"]
    assert {e["details"]["decision"] for e in decided} == {"approved", "rejected"}
    assert all(e["details"]["by"] == "dana" and e["details"]["why"] for e in decided)


def test_approval_with_edits_changes_what_is_sent_not_the_store(held) -> None:  # type: ignore[no-untyped-def]
    exchange, rules = held
    item = rules["single-lab-block"]
    _decide(
        exchange, approve=[], reject=[], edits=[f"{item} confidence=60", f"{item} tlp=amber+strict"]
    )
    issue_bulletin(exchange, "openai", now=NOW)
    record = _received(exchange, "openai")["198.51.100.2"]
    assert (record["confidence"], record["tlp"]) == (60, "amber+strict")
    with pytest.raises(ReviewError, match="already approved"):
        _decide(exchange, approve=[item], reject=[], edits=[])


def test_edits_cannot_loosen_a_marking_and_decisions_need_who_and_why(held) -> None:  # type: ignore[no-untyped-def]
    exchange, rules = held
    with pytest.raises(ReviewError, match="more restrictive"):
        _decide(exchange, approve=[], reject=[], edits=[f"{rules['single-lab-block']} tlp=clear"])
    with pytest.raises(ReviewError, match="--by"):
        apply_decisions(exchange, decisions_from([rules["red"]], [], [], by="", why=""), now=NOW)
    assert len(pending_items(exchange)) == 3


def test_a_crash_while_items_are_held_loses_nothing_and_sends_nothing(held) -> None:  # type: ignore[no-untyped-def]
    exchange, rules = held
    exchange.engine.dispose()  # the hub process dies with items held
    again = Exchange.open(exchange.home.root, now=NOW)
    assert {row.rule: row.id for row in pending_items(again)} == rules
    assert issue_bulletin(again, "openai", now=NOW) is None  # held items are not sent
    assert {row.rule: row.id for row in pending_items(again)} == rules  # nor held twice
