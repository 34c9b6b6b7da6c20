"""Proof checks against the published RFC 6962 vectors, and as properties: every proof the
tree makes verifies, and every altered proof, index, size or root is refused."""

import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from sharing.audit.merkle import EMPTY_ROOT, MerkleTree, leaf_hash, node_hash
from sharing.audit.proofs import verify_consistency, verify_inclusion

VECTORS = json.loads(
    (Path(__file__).parents[1] / "vectors" / "audit-rfc6962.json").read_text("utf-8")
)
LEAVES = [bytes.fromhex(leaf) for leaf in VECTORS["leaves"]]
TREE = MerkleTree(leaf_hash(leaf) for leaf in LEAVES)


def _hex(hashes: list[str]) -> list[bytes]:
    return [bytes.fromhex(h) for h in hashes]


def test_the_published_hashes() -> None:
    known = VECTORS["hashes"]
    assert EMPTY_ROOT.hex() == known["empty_tree"]
    assert leaf_hash(b"").hex() == known["empty_leaf"]
    assert leaf_hash(b"L123456").hex() == known["leaf_L123456"]
    assert node_hash(b"N123", b"N456").hex() == known["node_N123_N456"]


def test_the_published_roots() -> None:
    for size, root in VECTORS["roots"].items():
        assert TREE.root(int(size)).hex() == root


def test_the_published_inclusion_proofs() -> None:
    for case in VECTORS["inclusion"]:
        index, size, proof = case["index"], case["size"], _hex(case["proof"])
        assert TREE.inclusion_proof(index, size) == proof
        root = bytes.fromhex(VECTORS["roots"][str(size)])
        assert verify_inclusion(leaf_hash(LEAVES[index]), index, size, proof, root)


def test_the_published_consistency_proofs() -> None:
    for case in VECTORS["consistency"]:
        old, new, proof = case["old_size"], case["new_size"], _hex(case["proof"])
        assert TREE.consistency_proof(old, new) == proof
        old_root, new_root = (bytes.fromhex(VECTORS["roots"][str(n)]) for n in (old, new))
        assert verify_consistency(old, new, old_root, new_root, proof)


def _tree(n: int) -> MerkleTree:
    return MerkleTree(leaf_hash(i.to_bytes(4, "big")) for i in range(n))


def _altered(proof: list[bytes], at: int, bit: int) -> list[bytes]:
    item = bytearray(proof[at])
    item[bit // 8] ^= 1 << (bit % 8)
    return [*proof[:at], bytes(item), *proof[at + 1 :]]


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_every_inclusion_proof_verifies_and_every_alteration_fails(data: st.DataObject) -> None:
    size = data.draw(st.integers(1, 300), label="size")
    index = data.draw(st.integers(0, size - 1), label="index")
    tree = _tree(size)
    leaf, root = leaf_hash(index.to_bytes(4, "big")), tree.root()
    proof = tree.inclusion_proof(index)
    assert verify_inclusion(leaf, index, size, proof, root)
    if proof:
        at = data.draw(st.integers(0, len(proof) - 1), label="element")
        bit = data.draw(st.integers(0, 255), label="bit")
        assert not verify_inclusion(leaf, index, size, _altered(proof, at, bit), root)
        assert not verify_inclusion(leaf, index, size, proof[:-1], root)
    assert not verify_inclusion(leaf, index, size, [*proof, root], root)
    assert not verify_inclusion(leaf, index, 2 * size + 1, proof, root)
    if size > 1:
        other = data.draw(st.integers(0, size - 1).filter(lambda i: i != index), label="other")
        assert not verify_inclusion(leaf, other, size, proof, root)
    assert not verify_inclusion(_altered([leaf], 0, 0)[0], index, size, proof, root)


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_every_consistency_proof_verifies_and_every_alteration_fails(data: st.DataObject) -> None:
    new = data.draw(st.integers(1, 300), label="new size")
    old = data.draw(st.integers(1, new), label="old size")
    tree = _tree(new)
    old_root, new_root = tree.root(old), tree.root()
    proof = tree.consistency_proof(old)
    assert verify_consistency(old, new, old_root, new_root, proof)
    if old == new:
        assert not verify_consistency(old, new, old_root, new_root, [new_root])
        return
    at = data.draw(st.integers(0, len(proof) - 1), label="element")
    bit = data.draw(st.integers(0, 255), label="bit")
    assert not verify_consistency(old, new, old_root, new_root, _altered(proof, at, bit))
    assert not verify_consistency(old, new, old_root, new_root, proof[:-1])
    assert not verify_consistency(old, new, old_root, new_root, [*proof, new_root])
    assert not verify_consistency(old, new, _altered([old_root], 0, bit)[0], new_root, proof)
    assert not verify_consistency(old, new, old_root, _altered([new_root], 0, bit)[0], proof)
    assert not verify_consistency(old - 1, new, old_root, new_root, proof)
