"""Roots and proofs straight from the store: the tree of the stored log, read through its
tiles (sharing.audit.tiles), so that a proof at a million entries reads a few dozen rows.
"""

from collections.abc import Callable

from sharing.audit.merkle import HASH_SIZE, TreeView
from sharing.audit.row_source import RowSource
from sharing.audit.tiles import TILE_HEIGHT, Source, read_leaf_hashes, read_tiles, subtree_root


def _ranges_sql(table: str, columns: str, per_range: str, count: int) -> str:
    where = " OR ".join(f"({per_range})" for _ in range(count))
    return f"SELECT {columns} FROM {table} WHERE {where}"


class StoredTree(TreeView):
    """The first `size` entries of the stored log, as a tree view over tiles and leaves.

    A root or proof is worked out twice: once only to learn which stored hashes it needs,
    which are then read in two queries, and once for real."""

    def __init__(self, source: Source, size: int) -> None:
        self._source, self._count = RowSource.of(source), size
        self._leaves: dict[int, bytes] = {}
        self._tiles: dict[tuple[int, int], bytes] = {}
        self._wanted: list[tuple[int, int]] | None = None

    def __len__(self) -> int:
        return self._count

    def root(self, size: int | None = None) -> bytes:
        self._prefetch(lambda: TreeView.root(self, size))
        return TreeView.root(self, size)

    def inclusion_proof(self, index: int, size: int | None = None) -> list[bytes]:
        self._prefetch(lambda: TreeView.inclusion_proof(self, index, size))
        return TreeView.inclusion_proof(self, index, size)

    def consistency_proof(self, old_size: int, new_size: int | None = None) -> list[bytes]:
        self._prefetch(lambda: TreeView.consistency_proof(self, old_size, new_size))
        return TreeView.consistency_proof(self, old_size, new_size)

    def _prefetch(self, work: Callable[[], object]) -> None:
        self._wanted = []
        try:
            work()
        finally:
            wanted, self._wanted = self._wanted, None
        leaves, tiles = [], []
        for level, index in set(wanted):
            base = level - level % TILE_HEIGHT
            first, count = index << (level - base), 1 << (level - base)
            (
                tiles.append((base, first, first + count))
                if base
                else leaves.append((first, first + count))
            )
        if leaves:
            sql = _ranges_sql(
                "audit_entry", "idx, leaf_hash", "idx >= {p} AND idx < {p}", len(leaves)
            )
            rows = self._source.fetch(sql, *(n for r in leaves for n in r))
            self._leaves.update((idx, bytes.fromhex(h)) for idx, h in rows if len(h) == 64)
        if tiles:
            per = "level = {p} AND idx >= {p} AND idx < {p}"
            sql = _ranges_sql("audit_tile", "level, idx, hash", per, len(tiles))
            rows = self._source.fetch(sql, *(n for r in tiles for n in r))
            self._tiles.update(((level, idx), bytes.fromhex(h)) for level, idx, h in rows)

    def _complete(self, level: int, index: int) -> bytes:
        if self._wanted is not None:  # the first pass only learns what will be needed
            self._wanted.append((level, index))
            return bytes(HASH_SIZE)
        base = level - level % TILE_HEIGHT
        first, count = index << (level - base), 1 << (level - base)
        if base == 0:
            return subtree_root(self._leaf_hashes(first, first + count))
        return subtree_root([self._tile(base, i) for i in range(first, first + count)])

    def _leaf_hashes(self, start: int, end: int) -> list[bytes]:
        if all(i in self._leaves for i in range(start, end)):
            return [self._leaves[i] for i in range(start, end)]
        return read_leaf_hashes(self._source, start, end)  # names what is missing

    def _tile(self, level: int, index: int) -> bytes:
        """A stored tile, or one not stored yet (entries after the last checkpoint) from
        the level below."""
        if (level, index) in self._tiles:
            return self._tiles[level, index]
        fan, below = 1 << TILE_HEIGHT, level - TILE_HEIGHT
        first = index * fan
        if below == 0:
            return subtree_root(read_leaf_hashes(self._source, first, first + fan))
        self._tiles.update(
            ((below, i), h) for i, h in read_tiles(self._source, below, first, first + fan).items()
        )
        return subtree_root([self._tile(below, i) for i in range(first, first + fan)])
