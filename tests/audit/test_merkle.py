"""The Merkle tree against RFC 9162's recursive definitions, for every size up to 40."""

import hashlib

import pytest

from sharing.audit.merkle import (
    EMPTY_ROOT,
    MerkleTree,
    consistency_proof,
    inclusion_proof,
    leaf_hash,
    node_hash,
    root_hash,
)
from sharing.audit.proofs import verify_consistency, verify_inclusion

SIZES = range(1, 41)
LEAVES = [leaf_hash(f"leaf {i}".encode()) for i in range(40)]


def naive_root(d: list[bytes]) -> bytes:
    """MTH(D[n]) exactly as RFC 9162 2.1.1 writes it."""
    if not d:
        return hashlib.sha256(b"").digest()
    if len(d) == 1:
        return d[0]
    k = 1 << ((len(d) - 1).bit_length() - 1)
    return node_hash(naive_root(d[:k]), naive_root(d[k:]))


def naive_path(m: int, d: list[bytes]) -> list[bytes]:
    """PATH(m, D[n]) (RFC 9162 2.1.3.1)."""
    if len(d) == 1:
        return []
    k = 1 << ((len(d) - 1).bit_length() - 1)
    if m < k:
        return [*naive_path(m, d[:k]), naive_root(d[k:])]
    return [*naive_path(m - k, d[k:]), naive_root(d[:k])]


def naive_subproof(m: int, d: list[bytes], whole: bool) -> list[bytes]:
    """SUBPROOF(m, D[n], b) (RFC 9162 2.1.4.1)."""
    if m == len(d):
        return [] if whole else [naive_root(d)]
    k = 1 << ((len(d) - 1).bit_length() - 1)
    if m <= k:
        return [*naive_subproof(m, d[:k], whole), naive_root(d[k:])]
    return [*naive_subproof(m - k, d[k:], False), naive_root(d[:k])]


def _flip(proof: list[bytes], i: int) -> list[bytes]:
    """The proof with one bit of element i flipped."""
    changed = bytes([proof[i][0] ^ 1]) + proof[i][1:]
    return [*proof[:i], changed, *proof[i + 1 :]]


def test_empty_tree_root_is_the_known_answer() -> None:
    expected = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    assert root_hash([]).hex() == expected
    assert EMPTY_ROOT.hex() == expected
    assert MerkleTree().root().hex() == expected


def test_hashes_are_domain_separated() -> None:
    assert leaf_hash(b"") == hashlib.sha256(b"\x00").digest()
    assert node_hash(b"a", b"b") == hashlib.sha256(b"\x01ab").digest()


@pytest.mark.parametrize("n", SIZES)
def test_roots_match_the_recursive_definition(n: int) -> None:
    tree = MerkleTree(LEAVES[:n])
    assert root_hash(LEAVES[:n]) == naive_root(LEAVES[:n])
    for size in range(n + 1):
        assert tree.root(size) == naive_root(LEAVES[:size])


@pytest.mark.parametrize("n", SIZES)
def test_inclusion_proofs_for_every_index(n: int) -> None:
    d, root = LEAVES[:n], naive_root(LEAVES[:n])
    for m in range(n):
        proof = inclusion_proof(d, m)
        assert proof == naive_path(m, d)
        assert len(proof) <= (n - 1).bit_length()
        assert verify_inclusion(d[m], m, n, proof, root)
        assert not verify_inclusion(LEAVES[(m + 1) % 40], m, n, proof, root)
        assert not verify_inclusion(d[m], m, n, [*proof, root], root)
        for i in range(len(proof)):
            assert not verify_inclusion(d[m], m, n, _flip(proof, i), root)
        if proof:
            assert not verify_inclusion(d[m], m, n, proof[:-1], root)
            if m + 1 < n:
                assert not verify_inclusion(d[m], m + 1, n, proof, root)


@pytest.mark.parametrize("n", SIZES)
def test_consistency_proofs_for_every_old_size(n: int) -> None:
    d, new_root = LEAVES[:n], naive_root(LEAVES[:n])
    for m in range(n + 1):
        old_root = naive_root(d[:m])
        proof = consistency_proof(d, m)
        assert proof == (naive_subproof(m, d, True) if m > 0 else [])
        assert len(proof) <= 2 * n.bit_length()
        assert verify_consistency(m, n, old_root, new_root, proof)
        if m == 0:
            continue
        if m < n:
            forked = naive_root([*d[:-1], leaf_hash(b"forked")])
            assert not verify_consistency(m, n, old_root, forked, proof)
            for i in range(len(proof)):
                assert not verify_consistency(m, n, old_root, new_root, _flip(proof, i))
            assert not verify_consistency(m, n, new_root, new_root, proof)
            assert not verify_consistency(m, n, old_root, old_root, proof)
            assert not verify_consistency(m, n, old_root, new_root, proof[:-1])
            assert not verify_consistency(m, n, old_root, new_root, [*proof, old_root])
            assert not verify_consistency(m, n, old_root, new_root, [])


def test_tree_answers_for_any_smaller_size() -> None:
    tree = MerkleTree(LEAVES)
    for n in SIZES:
        for m in range(n):
            assert tree.inclusion_proof(m, n) == naive_path(m, LEAVES[:n])
            assert tree.consistency_proof(m, n) == (
                naive_subproof(m, LEAVES[:n], True) if m else []
            )


def test_malformed_inputs_are_refused() -> None:
    root = root_hash(LEAVES[:3])
    assert not verify_inclusion(LEAVES[0], -1, 3, inclusion_proof(LEAVES[:3], 0), root)
    assert not verify_inclusion(LEAVES[0], 0, 3, [b"short"], root)
    assert not verify_consistency(3, 2, root, root, [])
    assert not verify_consistency(0, 3, root, root, [])
    assert verify_consistency(0, 3, EMPTY_ROOT, root, [])
    with pytest.raises(ValueError):
        MerkleTree(LEAVES[:3]).root(4)
    with pytest.raises(ValueError):
        inclusion_proof(LEAVES[:3], 3)
    with pytest.raises(ValueError):
        consistency_proof(LEAVES[:3], 4)
    with pytest.raises(ValueError):
        MerkleTree().append(b"\x00" * 31)
