"""Time the audit log at scale: batched appends, a checkpoint, proofs from the store, verify.

Usage: .venv/bin/python bench/audit.py [--entries 1000000] [--batch 1000] [--database-url URL]
Prints figures; asserts nothing. Proofs are timed the way `dtix audit prove` makes them:
a fresh session reading tiles and leaves from the store, nothing cached in memory.
"""

import argparse
import hashlib
import random
import resource
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlmodel import Session

from sharing.audit.log import EntryDraft, append_entries, verify_log, write_checkpoint
from sharing.audit.proofs import verify_consistency, verify_inclusion
from sharing.audit.stored_tree import StoredTree
from sharing.audit.tiles import TILE_LEVELS, read_leaf_hashes
from sharing.store.engine import create_schema, make_engine

ORIGIN = "bench.example/audit"
T0 = datetime(2026, 11, 23, tzinfo=UTC)
LABS = ("anthropic", "openai", "google")


def draft(i: int) -> EntryDraft:
    """An entry shaped like those a run writes: deliveries, submissions, merges."""
    lab = LABS[i % 3]
    sha = hashlib.sha256(i.to_bytes(8, "big")).hexdigest()
    time_ = T0 + timedelta(milliseconds=i)
    if i % 3 == 0:
        details = {"id": f"{i:032x}", "stream": lab, "seq": i, "path": f"outbox/{lab}/{i}.json"}
        return EntryDraft("hub", "bulletin-delivered", time_, sha, [lab], details)
    if i % 3 == 1:
        details = {"lab": lab, "file": f"feed-{i}.jsonl", "size": i * 7, "signer": None}
        return EntryDraft("hub", "submission-received", time_, sha, (), details)
    details = {"lab": lab, "distinct": i % 997, "new": i % 13, "changed": i % 5, "unchanged": 1}
    return EntryDraft("hub", "indicators-merged", time_, sha, (), details)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    key = Ed25519PrivateKey.generate()
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(args.database_url or f"sqlite:///{Path(tmp) / 'audit.db'}")
        create_schema(engine)
        t = time.perf_counter()
        for start in range(0, args.entries, args.batch):
            with Session(engine) as session:
                stop = min(start + args.batch, args.entries)
                append_entries(session, [draft(i) for i in range(start, stop)])
                session.commit()
        seconds = time.perf_counter() - t
        print(
            f"append     {args.entries:,} entries in batches of {args.batch:,}: {seconds:.1f} s, "
            f"{args.entries / seconds:,.0f} appends/s"
        )
        t = time.perf_counter()
        with Session(engine, expire_on_commit=False) as session:
            cp = write_checkpoint(session, origin=ORIGIN, key_name=ORIGIN, key=key, time=T0)
            session.commit()
        print(
            f"checkpoint first at {cp.size:,} (writes {sum(cp.size >> n for n in TILE_LEVELS):,} "
            "tiles): "
            f"{time.perf_counter() - t:.2f} s"
        )
        time_proofs(engine, cp.size, bytes.fromhex(cp.root))
        t = time.perf_counter()
        with Session(engine) as session:
            report = verify_log(
                session, key_name=ORIGIN, public_keys=key.public_key(), origin=ORIGIN
            )
        print(
            f"verify     {report.size:,} entries, {report.checkpoints} checkpoint: "
            f"{time.perf_counter() - t:.1f} s"
        )
        engine.dispose()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS   {peak:.0f} MiB")


def time_proofs(engine, size: int, root: bytes) -> None:  # type: ignore[no-untyped-def]
    """Inclusion and consistency proofs for random indices, each in a fresh session."""
    rng = random.Random(7)
    inclusion, consistency = [], []
    for _ in range(50):
        index, old = rng.randrange(size), rng.randrange(1, size)
        with Session(engine) as session:
            t = time.perf_counter()
            tree = StoredTree(session, size)
            proof = tree.inclusion_proof(index)
            leaf = read_leaf_hashes(session, index, index + 1)[0]
            inclusion.append(time.perf_counter() - t)
            assert verify_inclusion(leaf, index, size, proof, root)
        with Session(engine) as session:
            t = time.perf_counter()
            tree = StoredTree(session, size)
            old_root, proof = tree.root(old), tree.consistency_proof(old)
            consistency.append(time.perf_counter() - t)
            assert verify_consistency(old, size, old_root, root, proof)
    for name, times in (("inclusion", inclusion), ("consistency", consistency)):
        print(
            f"{name:<11}proof at {size:,}: median {statistics.median(times) * 1000:.2f} ms, "
            f"max {max(times) * 1000:.2f} ms (50 random, fresh session each)"
        )


if __name__ == "__main__":
    main()
