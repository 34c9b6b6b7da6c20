"""Opening the exchange mirrors federation.toml into the store and logs each participant
added or changed, with the fields that changed and their previous values."""

from dataclasses import replace

import pytest

from sharing.audit.reading import read_entries
from sharing.exchange import Exchange, engine_for
from sharing.federation import load_federation, save_federation
from sharing.tlp import TLP
from tests.conftest import NOW


def _changes(exchange: Exchange) -> list[dict]:  # type: ignore[type-arg]
    with exchange.session() as session:
        return [e["details"] for e in read_entries(session, actions=["participant-changed"])]


def test_participants_added_then_changed_are_logged_once_each(hub_home) -> None:  # type: ignore[no-untyped-def]
    exchange = Exchange.open(hub_home.root, now=NOW)
    added = _changes(exchange)
    assert [d["id"] for d in added] == ["hub", "anthropic", "openai", "google"]
    assert all(d["change"] == "added" and d["previous"] == {} for d in added)
    Exchange.open(hub_home.root, now=NOW)  # nothing changed: nothing logged
    federation = load_federation(hub_home)
    openai = replace(federation.lab("openai"), clearance=TLP.GREEN, attribution=True)
    save_federation(
        hub_home, replace(federation, participants={**federation.participants, "openai": openai})
    )
    changed = _changes(Exchange.open(hub_home.root, now=NOW))[4:]
    assert [(d["id"], d["change"], d["fields"]) for d in changed] == [
        ("openai", "changed", ["attribution", "clearance"])
    ]
    assert changed[0]["previous"] == {"attribution": False, "clearance": "amber+strict"}
    assert changed[0]["clearance"] == "green"


@pytest.mark.postgres
@pytest.mark.parametrize("hub_home", ["postgres"], indirect=True)  # SQLite: one writer at a time
def test_two_runs_opening_a_new_store_at_once_add_each_participant_once(
    hub_home, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    engine_for(hub_home.database_url)  # the tables, and no participant yet
    changes = Exchange._participant_changes

    def other_run_opens_meanwhile(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        """After this run saw the participants missing, the other run adds them."""
        found = changes(self, *args, **kwargs)
        monkeypatch.setattr(Exchange, "_participant_changes", changes)
        Exchange.open(hub_home.root, now=NOW)
        return found

    monkeypatch.setattr(Exchange, "_participant_changes", other_run_opens_meanwhile)
    exchange = Exchange.open(hub_home.root, now=NOW)
    assert [d["id"] for d in _changes(exchange)] == ["hub", "anthropic", "openai", "google"]
