"""RFC 9162 section 2.1 Merkle tree: hashes, roots, inclusion and consistency proofs.

`MerkleTree` keeps every complete subtree hash in memory, so a root or a proof at any
size up to its own costs O(log n) hashes; `TreeView` holds the proof algorithms for any
source of subtree hashes (sharing.audit.tiles reads them from the store). Checking a
proof needs no tree: see sharing.audit.proofs.
"""

import hashlib
from collections.abc import Iterable, Sequence

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()


def leaf_hash(leaf: bytes) -> bytes:
    """SHA-256(0x00 || leaf): leaves and nodes never collide."""
    return hashlib.sha256(b"\x00" + leaf).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """SHA-256(0x01 || left || right)."""
    return hashlib.sha256(b"\x01" + left + right).digest()


def _split(n: int) -> int:
    """The largest power of two smaller than n (n >= 2): where RFC 9162 splits a tree."""
    return 1 << ((n - 1).bit_length() - 1)


class TreeView:
    """Roots and proofs of a tree that can name any complete aligned subtree's hash.

    A subclass says how many leaves it has and what `_complete(level, index)` is, the hash
    over leaves [index * 2^level, (index + 1) * 2^level); everything else follows from it.
    """

    def __len__(self) -> int:
        raise NotImplementedError

    def _complete(self, level: int, index: int) -> bytes:
        raise NotImplementedError

    def _subtree(self, start: int, end: int) -> bytes:
        """MTH(D[start:end]) for a range the RFC recursion produces (start aligned)."""
        pieces = []
        while start < end:
            level = (end - start).bit_length() - 1
            pieces.append(self._complete(level, start >> level))
            start += 1 << level
        root = pieces.pop()
        while pieces:
            root = node_hash(pieces.pop(), root)
        return root

    def _size(self, size: int | None) -> int:
        n = len(self) if size is None else size
        if not 0 <= n <= len(self):
            raise ValueError(f"tree size {n} is outside 0..{len(self)}")
        return n

    def root(self, size: int | None = None) -> bytes:
        """MTH of the first `size` leaves (all of them by default)."""
        n = self._size(size)
        return self._subtree(0, n) if n else EMPTY_ROOT

    def inclusion_proof(self, index: int, size: int | None = None) -> list[bytes]:
        """PATH(index, D[size]), nearest sibling first (RFC 9162 2.1.3.1)."""
        n = self._size(size)
        if not 0 <= index < n:
            raise ValueError(f"leaf index {index} is outside a tree of size {n}")
        path: list[bytes] = []
        lo, hi = 0, n
        while hi - lo > 1:
            k = _split(hi - lo)
            if index < lo + k:
                path.append(self._subtree(lo + k, hi))
                hi = lo + k
            else:
                path.append(self._subtree(lo, lo + k))
                lo += k
        return path[::-1]

    def consistency_proof(self, old_size: int, new_size: int | None = None) -> list[bytes]:
        """PROOF(old_size, D[new_size]) (RFC 9162 2.1.4.1); empty when the sizes match or
        the old tree is empty."""
        n = self._size(new_size)
        if not 0 <= old_size <= n:
            raise ValueError(f"old size {old_size} is outside 0..{n}")
        if old_size in (0, n):
            return []
        proof: list[bytes] = []
        lo, hi, m, whole = 0, n, old_size, True
        while m != hi - lo:
            k = _split(hi - lo)
            if m <= k:
                proof.append(self._subtree(lo + k, hi))
                hi = lo + k
            else:
                proof.append(self._subtree(lo, lo + k))
                lo, m, whole = lo + k, m - k, False
        if not whole:
            proof.append(self._subtree(lo, hi))
        return proof[::-1]


class MerkleTree(TreeView):
    """Leaf hashes appended in order, with every complete subtree above them in memory."""

    def __init__(self, leaf_hashes: Iterable[bytes] = ()) -> None:
        self._levels: list[bytearray] = [bytearray()]
        for h in leaf_hashes:
            self.append(h)

    def __len__(self) -> int:
        return len(self._levels[0]) // HASH_SIZE

    def append(self, leaf_hash: bytes) -> None:
        """Add the next leaf hash and every subtree it completes."""
        if len(leaf_hash) != HASH_SIZE:
            raise ValueError("a leaf hash is 32 bytes")
        node, level = bytes(leaf_hash), 0
        while True:
            if level == len(self._levels):
                self._levels.append(bytearray())
            row = self._levels[level]
            row += node
            if len(row) % (2 * HASH_SIZE):
                return
            node, level = node_hash(bytes(row[-2 * HASH_SIZE : -HASH_SIZE]), node), level + 1

    def complete(self, level: int, index: int) -> bytes:
        """The hash of the complete subtree of 2^level leaves at position `index`."""
        row = self._levels[level]
        return bytes(row[index * HASH_SIZE : (index + 1) * HASH_SIZE])

    _complete = complete


def root_hash(leaf_hashes: Sequence[bytes]) -> bytes:
    """MTH over the leaf hashes; SHA-256 of the empty string for no leaves."""
    return MerkleTree(leaf_hashes).root()


def inclusion_proof(leaf_hashes: Sequence[bytes], index: int) -> list[bytes]:
    """The audit path for leaf `index` in the tree of all `leaf_hashes`."""
    return MerkleTree(leaf_hashes).inclusion_proof(index)


def consistency_proof(leaf_hashes: Sequence[bytes], old_size: int) -> list[bytes]:
    """The proof that the first `old_size` leaves are a prefix of all `leaf_hashes`."""
    return MerkleTree(leaf_hashes).consistency_proof(old_size)
