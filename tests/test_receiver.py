"""The lab's side: a bulletin opens once, in order; a replay, a gap, a tampered byte or a
bulletin for another lab is refused and leaves the saved state unchanged."""

import json

import pytest

from sharing.collect import collect_lab
from sharing.delivery import deliver_bulletins
from sharing.errors import BulletinRejected, InputError
from sharing.exchange import Exchange
from sharing.federation import inbox_path, load_federation
from sharing.issuing import issue_bulletin
from sharing.receiver import StreamState, receive_bulletin
from tests.conftest import NOW, write_feed


def _deliver(home, values):  # type: ignore[no-untyped-def]
    inbox = inbox_path(home, load_federation(home).participant("anthropic"))
    write_feed(
        inbox / f"{values[0]}.jsonl",
        [{"type": "ipv4", "value": v, "seen": "2026-11-20T10:00:00Z"} for v in values],
    )
    exchange = Exchange.open(home.root, now=NOW)
    collect_lab(exchange, "anthropic", now=NOW)
    issue_bulletin(exchange, "openai", now=NOW)
    return deliver_bulletins(exchange, "openai", now=NOW)


def test_open_then_replay_is_refused(home) -> None:  # type: ignore[no-untyped-def]
    [path] = _deliver(home, ["198.51.100.1"])
    received = receive_bulletin(home, "openai", path.read_bytes(), now=NOW)
    assert [i["value"] for i in received.indicators] == ["198.51.100.1"]
    assert received.indicators[0]["labs"] == 1 and not received.indicators[0]["corroborated"]
    with pytest.raises(BulletinRejected, match="replay"):
        receive_bulletin(home, "openai", path.read_bytes(), now=NOW)


def test_out_of_order_is_refused_then_accepted_in_order(home) -> None:  # type: ignore[no-untyped-def]
    [first] = _deliver(home, ["198.51.100.1"])
    [second] = _deliver(home, ["198.51.100.2"])
    with pytest.raises(BulletinRejected, match="out of order"):
        receive_bulletin(home, "openai", second.read_bytes(), now=NOW)
    receive_bulletin(home, "openai", first.read_bytes(), now=NOW)
    assert receive_bulletin(home, "openai", second.read_bytes(), now=NOW).header["seq"] == 2


@pytest.mark.parametrize("position", [0.1, 0.3, 0.5, 0.7, 0.9, 0.99])
def test_one_changed_byte_is_refused(home, position) -> None:  # type: ignore[no-untyped-def]
    [path] = _deliver(home, ["198.51.100.1"])
    data = bytearray(path.read_bytes())
    i = int(len(data) * position)
    data[i] = ord("A") if data[i] != ord("A") else ord("B")
    with pytest.raises(BulletinRejected):
        receive_bulletin(home, "openai", bytes(data), now=NOW)
    assert StreamState.load(home.receiver_state("openai")).streams == {}


def test_a_bulletin_for_another_lab_is_refused(home) -> None:  # type: ignore[no-untyped-def]
    [path] = _deliver(home, ["198.51.100.1"])
    with pytest.raises(BulletinRejected):
        receive_bulletin(home, "google", path.read_bytes(), now=NOW)


def test_a_changed_header_seq_is_refused(home) -> None:  # type: ignore[no-untyped-def]
    [path] = _deliver(home, ["198.51.100.1"])
    document = json.loads(path.read_bytes())
    document["header"]["seq"] = 2
    with pytest.raises(BulletinRejected):
        receive_bulletin(home, "openai", json.dumps(document).encode(), now=NOW)


@pytest.mark.parametrize(
    "text",
    [
        '{"streams": ',
        "[]",
        '{"streams": []}',
        '{"streams": {"openai": "x"}}',
        '{"streams": {"openai": {"seq": "1", "header_hash": "00"}}}',
    ],
)
def test_unreadable_receiver_state_is_a_clear_error_and_nothing_is_accepted(home, text) -> None:  # type: ignore[no-untyped-def]
    [path] = _deliver(home, ["198.51.100.1"])
    state = home.receiver_state("openai")
    state.parent.mkdir(parents=True, exist_ok=True)
    state.write_text(text)
    with pytest.raises(InputError, match="receiver state is unreadable"):
        receive_bulletin(home, "openai", path.read_bytes(), now=NOW)
    assert state.read_text() == text
