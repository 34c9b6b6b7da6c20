"""Delivery: recorded bulletins reach the outbox once, in seq order, even after a crash,
and each delivery is in the audit log."""

import pytest
from sqlmodel import select

from sharing.audit.reading import read_entries
from sharing.collect import collect_lab
from sharing.delivery import bulletin_filename, deliver_bulletins
from sharing.encoding import sha256_hex
from sharing.exchange import Exchange
from sharing.federation import inbox_path, load_federation
from sharing.issuing import issue_bulletin
from sharing.store.models import Bulletin, Delivery
from tests.conftest import NOW, write_feed


def test_recorded_bulletins_are_delivered_once_in_order(hub_home) -> None:  # type: ignore[no-untyped-def]
    inbox = inbox_path(hub_home, load_federation(hub_home).participant("google"))
    exchange = Exchange.open(hub_home.root, now=NOW)
    for n in (1, 2):
        write_feed(
            inbox / f"{n}.jsonl",
            [{"type": "asn", "value": f"AS6450{n}", "seen": "2026-11-20T10:00:00Z"}],
        )
        collect_lab(exchange, "google", now=NOW)
        issue_bulletin(exchange, "anthropic", now=NOW)  # recorded; delivery "crashed"
    paths = deliver_bulletins(exchange, "anthropic", now=NOW)
    assert [p.name for p in paths] == [
        bulletin_filename("anthropic", 1),
        bulletin_filename("anthropic", 2),
    ]
    with exchange.session() as session:
        sealed = {b.seq: b.sealed for b in session.exec(select(Bulletin))}
        assert len(session.exec(select(Delivery)).all()) == 2
    assert paths[1].read_bytes() == sealed[2]
    assert deliver_bulletins(exchange, "anthropic", now=NOW) == []
    with exchange.session() as session:
        delivered = list(read_entries(session, actions=["bulletin-delivered"]))
    assert [(e["details"]["seq"], e["recipients"]) for e in delivered] == [
        (1, ["anthropic"]),
        (2, ["anthropic"]),
    ]
    assert delivered[1]["object_sha256"] == sha256_hex(sealed[2])
    assert delivered[1]["details"]["path"] == f"outbox/anthropic/{paths[1].name}"


@pytest.mark.postgres
@pytest.mark.parametrize("hub_home", ["postgres"], indirect=True)  # SQLite: one writer at a time
def test_of_two_runs_delivering_one_bulletin_at_once_one_writes_and_logs_it(
    hub_home, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    import sharing.delivery as delivery

    inbox = inbox_path(hub_home, load_federation(hub_home).participant("google"))
    record = {"type": "asn", "value": "AS64501", "seen": "2026-11-20T10:00:00Z"}
    write_feed(inbox / "g.jsonl", [record])
    exchange = Exchange.open(hub_home.root, now=NOW)
    collect_lab(exchange, "google", now=NOW)
    assert issue_bulletin(exchange, "anthropic", now=NOW) is not None
    filename = delivery.bulletin_filename

    def other_run_delivers_meanwhile(stream: str, seq: int) -> str:
        """After this run found the bulletin undelivered, the other run delivers it."""
        monkeypatch.setattr(delivery, "bulletin_filename", filename)
        other = Exchange.open(hub_home.root, now=NOW)
        assert len(deliver_bulletins(other, stream, now=NOW)) == 1
        return filename(stream, seq)

    monkeypatch.setattr(delivery, "bulletin_filename", other_run_delivers_meanwhile)
    assert deliver_bulletins(exchange, "anthropic", now=NOW) == []
    with exchange.session() as session:
        assert len(session.exec(select(Delivery)).all()) == 1
        assert len(list(read_entries(session, actions=["bulletin-delivered"]))) == 1
    assert [p.name for p in hub_home.outbox("anthropic").iterdir()] == [filename("anthropic", 1)]
