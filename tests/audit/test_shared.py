"""What was shared with whom, from the log alone: bulletins and advisories per recipient,
with delivery, receipt and the clearance in force, filtered by lab, indicator and time."""

from datetime import UTC, datetime
from typing import Any

import pytest

from sharing.acknowledging import acknowledge_receipts
from sharing.audit.indicator_ids import indicator_id
from sharing.audit.reading import read_entries
from sharing.audit.shared import ACTIONS, SharedQuery, shared_items
from sharing.errors import InputError
from sharing.exchange import Exchange
from sharing.receiver import receive_bulletin
from tests.audit.runs import at, run_times

DOMAIN = indicator_id("domain", "farm.proxyhydra.net")
IP = indicator_id("ipv4", "45.83.64.1")


def _entry(index: int, action: str, recipients: list[str], hour: int, **details: Any) -> dict:  # type: ignore[type-arg]
    actor = details.pop("actor", "hub")
    return {
        "index": index,
        "time": f"2026-11-23T{hour:02d}:00:00.000000Z",
        "actor": actor,
        "action": action,
        "object_sha256": f"{index:064x}",
        "recipients": recipients,
        "details": details,
    }


LOG = [
    _entry(0, "participant-changed", [], 8, id="openai", clearance="amber"),
    _entry(
        1, "bulletin-issued", ["openai"], 9, id="b1", seq=1, tlp="amber", indicators=[DOMAIN, IP]
    ),
    _entry(2, "bulletin-delivered", ["openai"], 9, id="b1"),
    _entry(3, "participant-changed", [], 10, id="openai", clearance="red"),
    _entry(4, "bulletin-issued", ["openai"], 11, id="b2", seq=2, tlp="red", indicators=[IP]),
    _entry(5, "receipt-acknowledged", [], 12, id="b1", actor="openai"),
    _entry(6, "advisory-published", ["openai", "google"], 13, file="a.md", tlp="clear"),
]


def test_items_carry_delivery_receipt_and_the_clearance_of_their_time() -> None:
    items = shared_items(LOG, SharedQuery())
    assert [(i.kind, i.id, i.recipient) for i in items] == [
        ("bulletin", "b1", "openai"),
        ("bulletin", "b2", "openai"),
        ("advisory", "a.md", "openai"),
        ("advisory", "a.md", "google"),
    ]
    first, second = items[0], items[1]
    assert (first.clearance, first.indicators, first.seq) == ("amber", 2, 1)
    assert (first.delivered, first.acknowledged) == (LOG[2]["time"], LOG[5]["time"])
    assert (second.clearance, second.delivered, second.acknowledged) == ("red", None, None)
    assert items[3].clearance is None and items[3].indicators is None


def test_filters_by_lab_indicator_and_time() -> None:
    def ids(**query: Any) -> list[tuple[str, str]]:
        return [(i.id, i.recipient) for i in shared_items(LOG, SharedQuery.parse(**query))]

    assert ids(recipient="google") == [("a.md", "google")]
    assert ids(indicator="domain:Farm.ProxyHydra.NET.") == [("b1", "openai")]
    assert ids(indicator="ipv4:45.83.64.1") == [("b1", "openai"), ("b2", "openai")]
    assert ids(since=datetime(2026, 11, 23, 11, tzinfo=UTC)) == [
        ("b2", "openai"),
        ("a.md", "openai"),
        ("a.md", "google"),
    ]
    assert ids(until=datetime(2026, 11, 23, 10, tzinfo=UTC)) == [("b1", "openai")]
    with pytest.raises(InputError, match="not TYPE:VALUE"):
        SharedQuery.parse(indicator="farm.proxyhydra.net")
    with pytest.raises(InputError, match=r"--indicator 'ipv4:999\.1\.1\.1'"):
        SharedQuery.parse(indicator="ipv4:999.1.1.1")


def test_what_a_real_run_shared_is_read_back_from_its_log(hub_home) -> None:  # type: ignore[no-untyped-def]
    paths = run_times(hub_home, 2)
    receive_bulletin(hub_home, "openai", paths[0].read_bytes(), now=at(2))
    exchange = Exchange.open(hub_home.root, now=at(3))
    acknowledge_receipts(exchange, "openai", now=at(3))
    query = SharedQuery.parse(recipient="openai", indicator="domain:farm1.proxyhydra.net")
    with exchange.session() as session:
        every = shared_items(read_entries(session, actions=ACTIONS), SharedQuery())
        [second] = shared_items(read_entries(session, actions=ACTIONS), query)
    assert [(i.recipient, i.seq, bool(i.delivered), bool(i.acknowledged)) for i in every] == [
        ("openai", 1, True, True),
        ("openai", 2, True, False),
    ]
    assert second.seq == 2 and second.clearance == "amber+strict"
