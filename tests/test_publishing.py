"""Publishing advisories: the hub's edition in each format, each lab's edition in its outbox
(sealed above TLP:CLEAR, once a day, chained per lab), and every file in the audit log."""

import json
from datetime import timedelta

import pytest
from sqlmodel import select

from sharing.advisories.browser import find_browser
from sharing.audit.tables import AuditEntry
from sharing.collect import collect_lab
from sharing.crypto import FORMAT, GENESIS_PREV, header_hash
from sharing.encoding import sha256_hex
from sharing.errors import DtixError
from sharing.exchange import Exchange
from sharing.federation import inbox_path, load_federation
from sharing.publishing import DAILY_FORMATS, distribute_advisory, publish_advisories
from tests.conftest import NOW, write_feed

V1 = "0101010101010101010101010101010101010101010101010101010101010101"
V2 = "0202020202020202020202020202020202020202020202020202020202020202"
V3 = "0303030303030303030303030303030303030303030303030303030303030303"

SEEN = "2026-11-20T10:00:00Z"
WEEK = timedelta(days=7)


def _record(value, tlp="green", tags=("proxy-hydra",)):  # type: ignore[no-untyped-def]
    return {"type": "account_hash", "value": value, "seen": SEEN, "tlp": tlp, "tags": list(tags)}


def _exchange(home):  # type: ignore[no-untyped-def]
    federation = load_federation(home)
    feeds = {
        "anthropic": [
            _record(V1),
            _record(V2, tlp="red"),
            _record(V3, tags=("account-farming",)),
        ],
        "google": [
            _record(V1, tlp="amber"),
            _record(V2, tlp="red"),
            "broken",
        ],
    }
    exchange = Exchange.open(home.root, now=NOW)
    for lab, records in feeds.items():
        write_feed(inbox_path(home, federation.participant(lab)) / "f.jsonl", records)
        collect_lab(exchange, lab, now=NOW)
    return exchange


def _entries(exchange):  # type: ignore[no-untyped-def]
    with exchange.session() as session:
        query = select(AuditEntry).where(AuditEntry.action == "advisory-published")
        return session.exec(query.order_by(AuditEntry.idx)).all()


def test_published_files_are_recorded_in_the_audit_log(hub_home) -> None:  # type: ignore[no-untyped-def]
    exchange = _exchange(hub_home)
    paths = publish_advisories(exchange, now=NOW, period=WEEK)
    assert sorted(p.suffix for p in paths) == [".html", ".md"]
    assert "TLP:AMBER" in paths[0].read_text()
    entries = _entries(exchange)
    assert {e.object_sha256 for e in entries} == {sha256_hex(p.read_bytes()) for p in paths}
    assert json.loads(entries[0].recipients) == ["anthropic", "openai", "google"]


def test_the_daily_formats_add_mail_text_and_pdf_when_a_browser_is_installed(home) -> None:  # type: ignore[no-untyped-def]
    exchange = _exchange(home)
    paths = publish_advisories(exchange, now=NOW, period=WEEK, formats=DAILY_FORMATS)
    suffixes = {p.suffix for p in paths}
    assert {".md", ".html", ".txt"} <= suffixes
    assert (".pdf" in suffixes) == (find_browser() is not None)
    assert all(p.stat().st_size > 0 for p in paths)


def test_each_lab_gets_its_edition_sealed_once_a_day_and_chained(hub_home) -> None:  # type: ignore[no-untyped-def]
    exchange = _exchange(hub_home)
    first = distribute_advisory(exchange, "openai", now=NOW, period=WEEK)
    assert first is not None and first.parent == hub_home.outbox("openai")
    sealed = json.loads(first.read_bytes())
    assert sealed["format"] == FORMAT and sealed["header"]["stream"] == "openai/advisories"
    assert sealed["header"]["seq"] == 1 and sealed["header"]["prev"] == GENESIS_PREV
    assert (
        distribute_advisory(exchange, "openai", now=NOW + timedelta(hours=3), period=WEEK) is None
    )
    second = distribute_advisory(exchange, "openai", now=NOW + timedelta(days=1), period=WEEK)
    assert second is not None and second != first
    header = json.loads(second.read_bytes())["header"]
    assert header["seq"] == 2 and header["prev"] == header_hash(sealed["header"])
    entries = [e for e in _entries(exchange) if json.loads(e.recipients) == ["openai"]]
    assert [json.loads(e.details)["seq"] for e in entries] == [1, 2]
    assert entries[0].object_sha256 == sha256_hex(first.read_bytes())
    assert json.loads(entries[0].details)["tlp"] == "amber"


def test_an_edition_with_nothing_above_clear_is_published_signed_in_clear(home) -> None:  # type: ignore[no-untyped-def]
    exchange = Exchange.open(home.root, now=NOW)
    path = distribute_advisory(exchange, "google", now=NOW, period=WEEK)
    assert path is not None
    envelope = json.loads(path.read_bytes())
    assert envelope["payloadType"] == "application/vnd.dtix.advisory+json"
    [entry] = _entries(exchange)
    details = json.loads(entry.details)
    assert details["tlp"] == "clear" and "seq" not in details


def test_an_unknown_lab_is_refused(home) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DtixError, match="nobody"):
        distribute_advisory(Exchange.open(home.root, now=NOW), "nobody", now=NOW, period=WEEK)
