"""Policy: clearance, RED audiences and attribution consent, first as rules, then as a
property of the whole pipeline over random federations, records and personal-data bait."""

import dataclasses
import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import select

from sharing.approval import apply_decisions, decisions_from
from sharing.collect import collect_lab
from sharing.exchange import Exchange, forget_engines
from sharing.federation import Participant, load_federation, save_federation
from sharing.home import Home
from sharing.issuing import issue_bulletin
from sharing.policy import may_receive, source_fields
from sharing.receiver import receive_bulletin
from sharing.store.models import Bulletin
from sharing.store.review_tables import HeldItem
from sharing.tlp import TLP, most_restrictive
from tests.conftest import NOW, write_feed

LABS = ("anthropic", "openai", "google")
SEEN = "2026-11-20T10:17:43Z"


def _lab(pid: str, clearance: TLP = TLP.RED, attribution: bool = False) -> Participant:
    return Participant(pid, pid, "lab", clearance, attribution, f"inbox/{pid}")


def test_clearance_caps_what_a_lab_receives() -> None:
    lab = _lab("openai", TLP.AMBER)
    assert may_receive(lab, TLP.AMBER, ["google"])
    assert not may_receive(lab, TLP.AMBER_STRICT, ["google"])


def test_red_goes_only_to_the_named_audience() -> None:
    openai, google = _lab("openai"), _lab("google")
    named = {"anthropic": frozenset({"openai"})}
    assert may_receive(openai, TLP.RED, ["anthropic"], named)
    assert not may_receive(google, TLP.RED, ["anthropic"], named)
    assert not may_receive(openai, TLP.RED, ["anthropic"])  # no audience known: no one


def test_when_labs_disagree_every_red_restriction_holds() -> None:
    named = {"anthropic": frozenset({"openai", "google"}), "google": frozenset({"meta"})}
    assert not may_receive(_lab("openai"), TLP.RED, ["anthropic", "google"], named)
    # A lab's own restriction does not bind itself.
    assert may_receive(_lab("google"), TLP.RED, ["anthropic", "google"], named)


def test_a_lab_is_not_sent_what_only_it_reported_and_the_hub_gets_no_bulletin() -> None:
    assert not may_receive(_lab("openai"), TLP.GREEN, ["openai"])
    hub = Participant("hub", "hub", "hub", TLP.RED, False, "inbox/hub")
    assert not may_receive(hub, TLP.GREEN, ["openai"])


def test_sources_are_counted_and_named_only_with_consent() -> None:
    shown = source_fields(_lab("openai"), ["anthropic", "google", "openai"], {"google"})
    assert shown == {
        "labs": 3,
        "corroborated": True,
        "reported_by_you": True,
        "sources": ["google", "openai"],
    }


# The property: real collection, issuing, approval and opening, over random federations.

BAIT = {
    "email_hash": "signup.7@mailbox.example",
    "email": "victim.42@corp.example",
    "phone": "+1 415 555 0199",
}
_record = st.fixed_dictionaries(
    {
        "ip": st.integers(0, 4),
        "tlp": st.sampled_from(list(TLP)),
        "audience": st.lists(st.sampled_from(LABS), max_size=3, unique=True),
        "confidence": st.integers(0, 100),
    }
)
_federation = st.fixed_dictionaries(
    {
        "clearance": st.lists(st.sampled_from(list(TLP)), min_size=3, max_size=3),
        "attribution": st.lists(st.booleans(), min_size=3, max_size=3),
        "records": st.lists(st.lists(_record, max_size=5), min_size=3, max_size=3),
    }
)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from sharing.founding import found_federation
    from tests.conftest import fast_argon2

    os.environ["DTIX_PASSPHRASE"] = "correct horse battery staple"
    root = tmp_path_factory.mktemp("template") / "fed"
    found_federation(Home(root), now=NOW, argon2=fast_argon2())
    return root


def _line(r: dict) -> dict:
    line = {"type": "ipv4", "value": f"45.83.12.{10 + r['ip']}", "seen": SEEN}
    line |= {"tlp": r["tlp"].value, "confidence": r["confidence"]}
    return line | ({"audience": r["audience"]} if r["tlp"] is TLP.RED else {})


def _expected(fed: dict) -> dict[str, set[str]]:
    """Who must receive each value, from the rules applied to what each lab submitted."""
    said: dict[str, dict[str, tuple[TLP, frozenset[str] | None]]] = {}
    for lab, records in zip(LABS, fed["records"], strict=True):
        for r in records:
            value = _line(r)["value"]
            tlp, named = said.setdefault(value, {}).get(lab, (TLP.CLEAR, None))
            if r["tlp"] is TLP.RED:
                named = frozenset(r["audience"]) if named is None else named & set(r["audience"])
            said[value][lab] = (most_restrictive([tlp, r["tlp"]]), named)
    expected = {}
    for value, by_lab in said.items():
        tlp = most_restrictive([t for t, _ in by_lab.values()])
        expected[value] = {
            lab
            for lab, clearance in zip(LABS, fed["clearance"], strict=True)
            if tlp.allows(clearance)
            and any(other != lab for other in by_lab)
            and all(lab in (n or ()) for o, (t, n) in by_lab.items() if o != lab and t is TLP.RED)
        }
    return expected


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(fed=_federation)
def test_no_record_escapes_its_marking_its_sources_or_its_lab(
    template: Path, tmp_path_factory: pytest.TempPathFactory, fed: dict
) -> None:
    root = tmp_path_factory.mktemp("fed") / "fed"
    shutil.copytree(template, root)
    home = Home(root)
    os.environ.pop("DTIX_DATABASE_URL", None)
    federation = load_federation(home)
    for lab, clearance, consent in zip(LABS, fed["clearance"], fed["attribution"], strict=True):
        federation.participants[lab] = dataclasses.replace(
            federation.participants[lab], clearance=clearance, attribution=consent
        )
    save_federation(home, federation)
    for lab, records in zip(LABS, fed["records"], strict=True):
        bait = [{"type": t, "value": v, "seen": SEEN} for t, v in BAIT.items()]
        write_feed(root / "inbox" / lab / "feed.jsonl", [*map(_line, records), *bait])
    exchange = Exchange.open(root, now=NOW)
    for lab in LABS:
        collect_lab(exchange, lab, now=NOW)
    for _ in range(2):  # issue; approve whatever was held; issue again
        for lab in LABS:
            issue_bulletin(exchange, lab, now=NOW)
        with exchange.session() as session:
            held = [row.id for row in session.exec(select(HeldItem))]
        pending = decisions_from(held, [], [], by="analyst", why="property test")
        apply_decisions(exchange, [d for d in pending if _pending(exchange, d.item)], now=NOW)
    received = _open_all(exchange, home)
    consenting = {lab for lab, c in zip(LABS, fed["attribution"], strict=True) if c}
    expected = _expected(fed)
    for value, labs in expected.items():
        assert {lab for lab, got in received.items() if value in got} == labs
    for lab, got in received.items():
        clearance = federation.participants[lab].clearance
        for record in got.values():
            assert TLP(record["tlp"]).allows(clearance)
            assert set(record["sources"]) <= consenting | {lab}
            if len(record["sources"]) < record["labs"]:  # someone anonymous: coarse values
                assert record["first_seen"].endswith("T00:00:00Z")
                assert record["confidence"] % 10 == 0
    forget_engines()
    _assert_no_raw_personal_data(root)


def _pending(exchange: Exchange, item: int) -> bool:
    with exchange.session() as session:
        row = session.get(HeldItem, item)
        return row is not None and row.status == "pending"


def _open_all(exchange: Exchange, home: Home) -> dict[str, dict[str, dict]]:
    got: dict[str, dict[str, dict]] = {lab: {} for lab in LABS}
    with exchange.session() as session:
        rows = session.exec(select(Bulletin).order_by(Bulletin.stream, Bulletin.seq)).all()
    for row in rows:
        body = receive_bulletin(home, row.stream, row.sealed, now=NOW).body
        assert body["tlp"] == most_restrictive([TLP(i["tlp"]) for i in body["indicators"]])
        for record in body["indicators"]:
            got[row.stream][record["value"]] = record
    return got


def _assert_no_raw_personal_data(root: Path) -> None:
    """Not in any bulletin, blob, inbox file, database page or log entry under the home."""
    needles = [v.encode() for v in BAIT.values()] + [b"victim.42", b"415 555"]
    for path in root.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert not any(n in data for n in needles), path
