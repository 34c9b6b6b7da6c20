"""Roots and proofs read from the store (tiles + leaves) equal the in-memory tree's, across
tile boundaries of every level, with tiles stored or not yet; a gap in the log is named."""

from datetime import UTC, datetime

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from sharing.audit.log import EntryDraft, append_entries
from sharing.audit.merkle import MerkleTree
from sharing.audit.row_source import outside_transaction
from sharing.audit.stored_tree import StoredTree
from sharing.audit.tables import AuditEntry, AuditTile
from sharing.audit.tiles import extend_tiles, read_leaf_hashes
from sharing.errors import AuditError
from tests.audit.test_log import _tamper

T0 = datetime(2026, 11, 23, tzinfo=UTC)
K = 1024  # the second tile level
SIZE = 2 * K + 300


def _fill(engine: Engine, count: int) -> MerkleTree:
    drafts = [EntryDraft("hub", "bulletin-delivered", T0, details={"n": i}) for i in range(count)]
    with Session(engine) as session:
        append_entries(session, drafts)
        session.commit()
        hashes = session.exec(select(AuditEntry.leaf_hash).order_by(AuditEntry.idx)).all()
    return MerkleTree(bytes.fromhex(h) for h in hashes)


def _tiles(engine: Engine) -> dict[int, list[int]]:
    """The stored tile indices by level."""
    tiles: dict[int, list[int]] = {}
    with Session(engine) as session:
        for level, idx in session.exec(select(AuditTile.level, AuditTile.idx)):
            tiles.setdefault(level, []).append(idx)
    return {level: sorted(indices) for level, indices in tiles.items()}


SIZES = [1, 5, 31, 32, 33, 100, K - 1, K, K + 1, 2 * K, SIZE]


@pytest.mark.parametrize("with_tiles", [True, False])
def test_stored_roots_and_proofs_equal_the_tree(engine: Engine, with_tiles: bool) -> None:
    tree = _fill(engine, SIZE)
    with Session(engine) as session:
        if with_tiles:
            extend_tiles(session, SIZE - 100)  # tiles below the last complete one are stored
            session.commit()
        for size in SIZES:
            stored = StoredTree(session, size)
            assert stored.root() == tree.root(size)
            for index in {0, size // 2, size - 1}:
                assert stored.inclusion_proof(index) == tree.inclusion_proof(index, size)
            for old in {0, 1, size // 3, size - 1, size}:
                assert stored.consistency_proof(old) == tree.consistency_proof(old, size)
    stored = {5: list(range((SIZE - 100) // 32)), 10: [0, 1]}
    assert _tiles(engine) == (stored if with_tiles else {})


def test_tiles_are_written_once_and_only_for_complete_tiles(engine: Engine) -> None:
    _fill(engine, K + 10)
    with Session(engine) as session:
        extend_tiles(session, K - 1)
        session.commit()
    assert _tiles(engine) == {5: list(range(31))}
    with Session(engine) as session:
        extend_tiles(session, K + 10)
        extend_tiles(session, K + 10)
        session.commit()
    assert _tiles(engine) == {5: list(range(32)), 10: [0]}


def test_a_reader_outside_any_transaction_sees_the_same(engine: Engine) -> None:
    tree = _fill(engine, K + 3)
    with Session(engine) as writer:  # holds SQLite's write lock while the reader reads
        writer.connection()
        with outside_transaction(engine) as source:
            assert StoredTree(source, K + 3).root() == tree.root()


def test_a_missing_entry_is_named(engine: Engine) -> None:
    _fill(engine, 40)
    _tamper(engine, "DELETE FROM audit_entry WHERE idx = 17")
    with Session(engine) as session:
        with pytest.raises(AuditError, match="audit entry 17: missing"):
            StoredTree(session, 40).root()
        with pytest.raises(AuditError, match="audit entry 40: missing"):
            read_leaf_hashes(session, 38, 41)
