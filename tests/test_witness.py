"""A lab witnesses the hub's log: it keeps the latest checkpoint seen, accepts one that
provably extends it, and refuses any sign that the log was rewritten."""

import json

import pytest

from sharing.audit.merkle import MerkleTree, leaf_hash
from sharing.audit.note import checkpoint_body, sign_note
from sharing.errors import BulletinRejected, InputError
from sharing.federation import load_federation
from sharing.keyring import load_private_keys
from sharing.witness import load_seen, seen_path, witness_log

LEAVES = [leaf_hash(b"entry %d" % i) for i in range(20)]
HONEST = MerkleTree(LEAVES)
FORKED = MerkleTree([*LEAVES[:4], leaf_hash(b"rewritten"), *LEAVES[5:]])


@pytest.fixture
def lab(home):  # type: ignore[no-untyped-def]
    """The federation, the hub's log key, and a helper to build bulletin bodies."""
    federation = load_federation(home)
    key = load_private_keys(home, "hub").log

    def body(size: int, old: int | None = None, tree: MerkleTree = HONEST) -> dict:  # type: ignore[type-arg]
        note = sign_note(
            checkpoint_body(federation.origin, size, tree.root(size)), federation.origin, key
        )  # type: ignore[arg-type]
        proof = None
        if old is not None:
            proof = {"old_size": old, "proof": [h.hex() for h in tree.consistency_proof(old, size)]}
        return {"log": {"checkpoint": note, "consistency": proof}}

    return home, federation, body


def _witness(lab, body: dict, **kw):  # type: ignore[no-untyped-def, type-arg]
    home, federation, _ = lab
    return witness_log(home, "openai", federation, body, **kw)


def test_first_checkpoint_is_kept_then_each_that_extends_it(lab) -> None:  # type: ignore[no-untyped-def]
    home, _, body = lab
    assert _witness(lab, {"log": None}) is None
    assert not seen_path(home, "openai").exists()
    assert _witness(lab, body(5)).size == 5
    assert _witness(lab, body(12, old=5)).root == HONEST.root(12).hex()
    assert _witness(lab, body(12)).size == 12  # the same checkpoint again
    saved = json.loads(seen_path(home, "openai").read_text())
    assert (saved["size"], saved["root"]) == (12, HONEST.root(12).hex())
    assert load_seen(seen_path(home, "openai")).note == body(12)["log"]["checkpoint"]  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("size", "old", "tree", "message"),
    [
        (12, 8, FORKED, "rewritten: the checkpoint of size 12 is not consistent with size 8"),
        (8, None, FORKED, "rewritten: the checkpoint of size 8 has another root"),
        (6, None, HONEST, "rewritten: the checkpoint of size 6 is smaller than size 8"),
        (12, None, HONEST, "no consistency proof from size 8"),
        (12, 5, HONEST, "proves from size 5, but the last checkpoint seen has size 8"),
    ],
)
def test_a_rewritten_or_unprovable_log_is_refused(lab, size, old, tree, message) -> None:  # type: ignore[no-untyped-def]
    home, _, body = lab
    _witness(lab, body(8))
    before = seen_path(home, "openai").read_bytes()
    with pytest.raises(BulletinRejected, match=message):
        _witness(lab, body(size, old, tree))
    assert seen_path(home, "openai").read_bytes() == before


def test_with_an_accepted_gap_an_unprovable_checkpoint_is_taken(lab) -> None:  # type: ignore[no-untyped-def]
    _, _, body = lab
    _witness(lab, body(8))
    assert _witness(lab, body(12, old=10), gap=True).size == 12
    with pytest.raises(BulletinRejected, match="smaller"):
        _witness(lab, body(11, old=10), gap=True)


def test_checkpoints_not_signed_by_the_hubs_log_key_are_refused(lab, home) -> None:  # type: ignore[no-untyped-def]
    _, federation, body = lab
    sign_key = load_private_keys(home, "hub").sign
    forged = sign_note(
        checkpoint_body(federation.origin, 3, HONEST.root(3)), federation.origin, sign_key
    )
    with pytest.raises(BulletinRejected, match="audit checkpoint does not verify"):
        _witness(lab, {"log": {"checkpoint": forged, "consistency": None}})
    other = body(3)["log"]["checkpoint"].replace(federation.origin, "elsewhere/audit", 1)
    with pytest.raises(BulletinRejected, match="does not verify"):
        _witness(lab, {"log": {"checkpoint": other, "consistency": None}})


def test_a_missing_section_or_malformed_proof_is_refused(lab, home) -> None:  # type: ignore[no-untyped-def]
    _, _, body = lab
    _witness(lab, body(4))
    with pytest.raises(BulletinRejected, match=r"no audit checkpoint \(size 4 was seen"):
        _witness(lab, {})
    bad = body(9)
    bad["log"]["consistency"] = {"old_size": 4, "proof": ["zz"]}
    with pytest.raises(BulletinRejected, match="malformed: the audit consistency proof"):
        _witness(lab, bad)
    with pytest.raises(BulletinRejected, match="malformed"):
        _witness(lab, {"log": ["not", "a", "section"]})
    seen_path(home, "openai").write_text("{not json")
    with pytest.raises(InputError, match="saved audit checkpoint is unreadable"):
        _witness(lab, body(9, old=4))
