"""Tiles: the stored hashes that let roots and proofs skip reading the whole log.

The hash of every complete, aligned run of 2^5, 2^10, 2^15, ... entries (a *tile*) is
kept in `audit_tile`, written when a checkpoint is signed. Any subtree hash a root or a
proof needs then combines at most 16 stored hashes of one level, or at most 16 leaf
hashes (sharing.audit.stored_tree). Tiles are derived data; `verify` recomputes and
checks every one.
"""

from sqlalchemy import insert
from sqlmodel import Session

from sharing.audit.merkle import HASH_SIZE, node_hash
from sharing.audit.row_source import RowSource
from sharing.audit.tables import AuditTile
from sharing.errors import AuditError

TILE_HEIGHT = 5
TILE_LEVELS = range(TILE_HEIGHT, 64, TILE_HEIGHT)
_CHUNK = 1 << 15  # children read per query when tiles are written
Source = Session | RowSource

_LEAVES = "SELECT idx, leaf_hash FROM audit_entry WHERE idx >= {p} AND idx < {p} ORDER BY idx"
_TILES = (
    "SELECT idx, hash FROM audit_tile WHERE level = {p} AND idx >= {p} AND idx < {p} ORDER BY idx"
)


def subtree_root(hashes: list[bytes]) -> bytes:
    """MTH over a power-of-two number of hashes, level by level."""
    while len(hashes) > 1:
        hashes = [node_hash(hashes[i], hashes[i + 1]) for i in range(0, len(hashes), 2)]
    return hashes[0]


def read_leaf_hashes(source: Source, start: int, end: int) -> list[bytes]:
    """The stored leaf hashes of entries [start, end), refusing a gap or a malformed hash."""
    hashes = []
    rows = RowSource.of(source).fetch(_LEAVES, start, end)
    for expected, (idx, hex_hash) in enumerate(rows, start):
        if idx != expected:
            raise AuditError(f"audit entry {expected}: missing (the next index is {idx})")
        digest = bytes.fromhex(hex_hash) if len(hex_hash) == 2 * HASH_SIZE else b""
        if len(digest) != HASH_SIZE:
            raise AuditError(f"audit entry {idx}: leaf hash is not 32 bytes of hex")
        hashes.append(digest)
    if len(hashes) != end - start:
        raise AuditError(f"audit entry {start + len(hashes)}: missing (the log ends before {end})")
    return hashes


def read_tiles(source: Source, level: int, start: int, end: int) -> dict[int, bytes]:
    """The stored tiles of `level` with index in [start, end), by index."""
    rows = RowSource.of(source).fetch(_TILES, level, start, end)
    return {idx: bytes.fromhex(hex_hash) for idx, hex_hash in rows}


def _children(source: RowSource, level: int, start: int, end: int) -> list[bytes]:
    """The hashes one tile level below `level` (leaves under the first), [start, end)."""
    if level == TILE_HEIGHT:
        return read_leaf_hashes(source, start, end)
    stored = read_tiles(source, level - TILE_HEIGHT, start, end)
    if len(stored) != end - start:
        raise AuditError(f"audit tiles of level {level - TILE_HEIGHT} are missing below {end}")
    return [stored[i] for i in range(start, end)]


def extend_tiles(session: Session, size: int) -> None:
    """Store every tile complete below `size` that is not stored yet, level by level (the
    caller holds the append lock and commits)."""
    source, fan = RowSource.of(session), 1 << TILE_HEIGHT
    for level in TILE_LEVELS:
        complete = size >> level
        if complete == 0:
            return
        rows = source.fetch("SELECT MAX(idx) FROM audit_tile WHERE level = {p}", level)
        first = 0 if rows[0][0] is None else rows[0][0] + 1
        for start in range(first, complete, _CHUNK // fan):
            end = min(start + _CHUNK // fan, complete)
            children = _children(source, level, start * fan, end * fan)
            new = [
                {
                    "level": level,
                    "idx": t,
                    "hash": subtree_root(children[i * fan : (i + 1) * fan]).hex(),
                }
                for i, t in enumerate(range(start, end))
            ]
            session.execute(insert(AuditTile), new)
