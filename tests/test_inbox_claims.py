"""Claims on inbox files: one collector at a time holds a file, until it lets go; a file
set aside meanwhile is not claimed at all."""

from pathlib import Path

import pytest

from sharing.exchange import Exchange
from sharing.federation import inbox_path, load_federation
from sharing.home import Home
from sharing.inbox_claims import CLAIMS, claimed_files, inbox_claims
from tests.conftest import NOW, write_feed


def _dropped(home: Home, name: str) -> Path:
    inbox = inbox_path(home, load_federation(home).participant("openai"))
    record = {"type": "ipv4", "value": "198.51.100.7", "seen": "2026-11-20T10:00:00Z"}
    return write_feed(inbox / name, [record])


def test_a_file_one_collector_holds_is_not_claimed_by_another(hub_home) -> None:  # type: ignore[no-untyped-def]
    exchange = Exchange.open(hub_home.root, now=NOW)
    path = _dropped(hub_home, "a.jsonl")
    with inbox_claims(exchange) as first:
        assert first.claim("openai", path)
        with inbox_claims(exchange) as second:
            assert not second.claim("openai", path)
            assert second.claim("openai", _dropped(hub_home, "b.jsonl"))
    with inbox_claims(exchange) as third:
        assert third.claim("openai", path)
    assert not list((hub_home.root / CLAIMS).glob("*"))  # no lock file outlives its claim


def test_a_file_set_aside_meanwhile_is_not_claimed(hub_home) -> None:  # type: ignore[no-untyped-def]
    exchange = Exchange.open(hub_home.root, now=NOW)
    path = _dropped(hub_home, "a.jsonl")
    path.unlink()
    with inbox_claims(exchange) as claims:
        assert not claims.claim("openai", path)


def test_claims_are_let_go_however_the_block_ends(hub_home) -> None:  # type: ignore[no-untyped-def]
    exchange = Exchange.open(hub_home.root, now=NOW)
    path = _dropped(hub_home, "a.jsonl")
    with pytest.raises(RuntimeError), inbox_claims(exchange) as claims:
        assert claims.claim("openai", path)
        raise RuntimeError("collector failed")
    with inbox_claims(exchange) as claims:
        assert claims.claim("openai", path)


def test_claimed_files_leaves_out_what_another_collector_holds(hub_home) -> None:  # type: ignore[no-untyped-def]
    exchange = Exchange.open(hub_home.root, now=NOW)
    a, b = _dropped(hub_home, "a.jsonl"), _dropped(hub_home, "b.jsonl")
    with inbox_claims(exchange) as other:
        assert other.claim("openai", b)
        assert list(claimed_files(exchange, "openai", [a, b])) == [a]
    assert list(claimed_files(exchange, "openai", [a, b])) == [a, b]
