"""Proofs served from the store check against the signed checkpoints, and only signed
sizes are offered; the export is the leaves, one per line."""

import io
import json

import pytest
from sqlmodel import Session

from sharing.audit.log import latest_checkpoint
from sharing.audit.log_keys import trusted_log_keys
from sharing.audit.merkle import leaf_hash
from sharing.audit.note import parse_checkpoint, verify_note
from sharing.audit.proofs import verify_consistency, verify_inclusion
from sharing.audit.proving import consistency, inclusion
from sharing.audit.reading import export_leaves, read_entries
from sharing.errors import AuditError
from sharing.exchange import Exchange
from tests.audit.runs import at, run_once, run_times


def _signed(exchange: Exchange, session: Session) -> tuple[int, bytes]:
    note = latest_checkpoint(session).note  # type: ignore[union-attr]
    fed = exchange.federation
    _, size, root = parse_checkpoint(verify_note(note, fed.origin, trusted_log_keys(fed.hub)))
    return size, root


def test_every_entry_is_proved_against_the_signed_root(hub_home) -> None:  # type: ignore[no-untyped-def]
    run_times(hub_home, 3)
    exchange = Exchange.open(hub_home.root, now=at(3))
    with exchange.session() as session:
        size, root = _signed(exchange, session)
        buffer = io.BytesIO()
        assert export_leaves(session, buffer) == size
        leaves = buffer.getvalue().split(b"\n")
        assert leaves[-1] == b"" and len(leaves) == size + 1
        for index in range(size):
            proof = inclusion(session, index)
            assert proof["leaf_hash"] == leaf_hash(leaves[index]).hex()
            path = [bytes.fromhex(h) for h in proof["path"]]
            assert verify_inclusion(leaf_hash(leaves[index]), index, size, path, root)
        assert [e["index"] for e in read_entries(session)] == list(range(size))


def test_consistency_between_checkpoints(hub_home) -> None:  # type: ignore[no-untyped-def]
    run_once(hub_home, 0)
    exchange = Exchange.open(hub_home.root, now=at(0))
    with exchange.session() as session:
        old_size, old_root = _signed(exchange, session)
    run_times(hub_home, 3)
    with exchange.session() as session:
        new_size, new_root = _signed(exchange, session)
        answer = consistency(session, old_size)
        assert (answer["old_root"], answer["new_root"]) == (old_root.hex(), new_root.hex())
        proof = [bytes.fromhex(h) for h in answer["proof"]]
        assert verify_consistency(old_size, new_size, old_root, new_root, proof)
        assert json.loads(json.dumps(answer)) == answer


def test_only_signed_sizes_are_proved(hub_home) -> None:  # type: ignore[no-untyped-def]
    exchange = Exchange.open(hub_home.root, now=at(0))
    with exchange.session() as session, pytest.raises(AuditError, match="no checkpoint yet"):
        inclusion(session, 0)
    run_once(hub_home, 0)
    run_once(hub_home, 1, checkpoint=False)  # entries past the last checkpoint
    with exchange.session() as session:
        size, _ = _signed(exchange, session)
        with pytest.raises(AuditError, match=f"entry {size} is not in the signed tree"):
            inclusion(session, size)
        with pytest.raises(AuditError, match=f"outside the signed log \\(0..{size}\\)"):
            inclusion(session, 0, size + 1)
        with pytest.raises(AuditError, match="old size"):
            consistency(session, size, size - 1)
        assert inclusion(session, 0, 1)["path"] == []
