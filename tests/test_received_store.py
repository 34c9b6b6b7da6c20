"""The lab's kept bulletins: kept and read back by stream and seq, the latest form of an
indicator wins, expired ones leave the view, and a damaged kept file is named."""

from datetime import timedelta

import pytest

from sharing.errors import DtixError
from sharing.home import Home
from sharing.received_store import (
    ReceivedBulletin,
    current_by_bulletin,
    current_indicators,
    keep_received,
    received_bulletins,
)
from tests.conftest import NOW

LATER = "2026-12-23T10:00:00Z"


def _record(value: str, **extra: object) -> dict:  # type: ignore[type-arg]
    return {"type": "ipv4", "value": value, "tlp": "amber", "valid_until": LATER, **extra}


def _bulletin(seq: int, *records: dict, stream: str = "openai") -> ReceivedBulletin:  # type: ignore[type-arg]
    header = {"id": f"{stream}-{seq}", "stream": stream, "seq": seq, "issued": LATER}
    return ReceivedBulletin(header, {"id": header["id"], "indicators": list(records)})


def test_kept_bulletins_come_back_by_stream_then_seq(tmp_path) -> None:  # type: ignore[no-untyped-def]
    home = Home(tmp_path)
    assert received_bulletins(home, "openai") == []
    for seq in (10, 2, 100_000_000, 1, 99_999_999):
        keep_received(home, "openai", _bulletin(seq, _record(f"198.51.100.{seq % 250}")))
    keep_received(home, "openai", _bulletin(5, stream="another"))
    kept = received_bulletins(home, "openai")
    order = [(b.header["stream"], b.header["seq"]) for b in kept]
    assert order == [
        ("another", 5),
        *[("openai", s) for s in (1, 2, 10, 99_999_999, 100_000_000)],
    ]
    assert kept[1].indicators == [_record("198.51.100.1")]
    keep_received(home, "openai", _bulletin(2, _record("203.0.113.9")))  # the same seq again
    assert received_bulletins(home, "openai")[2].indicators == [_record("203.0.113.9")]
    assert received_bulletins(home, "google") == []


def test_the_latest_form_wins_and_expired_records_leave(tmp_path) -> None:  # type: ignore[no-untyped-def]
    first = _bulletin(1, _record("198.51.100.1", labs=1), _record("198.51.100.2"))
    second = _bulletin(
        2,
        _record("198.51.100.1", labs=2),
        _record("198.51.100.3", valid_until="2026-11-23T10:00:00Z"),  # expires at NOW
        {"type": "domain", "value": "relay.example.net", "tlp": "green"},  # no valid_until
    )
    current = current_indicators([first, second], NOW)
    assert [(r["value"], r.get("labs")) for r in current] == [
        ("relay.example.net", None),
        ("198.51.100.1", 2),
        ("198.51.100.2", None),
    ]
    assert [r["value"] for r in current_indicators([second, first], NOW)][1:] == [
        "198.51.100.1",
        "198.51.100.2",
    ]
    assert current_indicators([second, first], NOW)[1]["labs"] == 1  # order decides
    earlier = current_indicators([first, second], NOW - timedelta(seconds=1))
    assert "198.51.100.3" in [r["value"] for r in earlier]
    assert current_indicators([first, second], NOW + timedelta(days=31)) == [current[0]]


def test_current_records_are_grouped_by_the_bulletin_that_carried_them(tmp_path) -> None:  # type: ignore[no-untyped-def]
    first = _bulletin(1, _record("198.51.100.1"), _record("198.51.100.2"))
    second = _bulletin(2, _record("198.51.100.2", labs=2))
    third = _bulletin(3, _record("198.51.100.1", labs=3), _record("198.51.100.4"))
    groups = current_by_bulletin([first, second, third], NOW)
    assert [(b.header["seq"], [r["value"] for r in rs]) for b, rs in groups] == [
        (2, ["198.51.100.2"]),
        (3, ["198.51.100.1", "198.51.100.4"]),
    ]
    assert sorted(r["value"] for _, rs in groups for r in rs) == [
        r["value"] for r in current_indicators([first, second, third], NOW)
    ]


GOOD = b'"header": {"id": "b", "stream": "openai", "seq": 1, "issued": "2026-11-23T10:00:00Z"}'


@pytest.mark.parametrize(
    "content",
    [
        b"{not json",
        b"\xff\xfe",
        b"[]",
        b'{"header": {"id": "b", "stream": "openai", "seq": 1}, "body": {"indicators": []}}',
        b"{" + GOOD.replace(b'"seq": 1', b'"seq": "1"') + b', "body": {"indicators": []}}',
        b"{" + GOOD + b"}",
        b"{" + GOOD + b', "body": {"indicators": {}}}',
        b"{" + GOOD + b', "body": {"indicators": [{"type": "ipv4"}]}}',
        b"{" + GOOD + b', "body": {"indicators": ["198.51.100.1"]}}',
        b"{" + GOOD + b', "body": {"indicators": [{"type": "ipv4", "value": "198.51.100.1", '
        b'"valid_until": "soon"}]}}',
    ],
)
def test_a_damaged_kept_file_is_named(tmp_path, content: bytes) -> None:  # type: ignore[no-untyped-def]
    home = Home(tmp_path)
    keep_received(home, "openai", _bulletin(1, _record("198.51.100.1")))
    damaged = home.received_dir("openai") / "openai" / "00000002.json"
    damaged.write_bytes(content)
    with pytest.raises(DtixError, match=r"00000002\.json: not a kept bulletin \(") as caught:
        received_bulletins(home, "openai")
    assert str(damaged) in str(caught.value) and "\n" not in str(caught.value)
