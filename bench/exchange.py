"""Time the hub's pipeline in process (no Prefect): synth, collect, issue, deliver, open.

Usage: .venv/bin/python bench/exchange.py [--scale 0.01]. Prints figures; asserts nothing.
"""

import argparse
import os
import resource
import tempfile
import time
from pathlib import Path

from sharing.checkpoints import seal_checkpoint, verify_audit
from sharing.clock import utcnow
from sharing.collect import collect_lab
from sharing.crypto.keystore import Argon2Params
from sharing.delivery import deliver_bulletins
from sharing.demo import synthesize_feeds
from sharing.exchange import Exchange
from sharing.founding import found_federation
from sharing.home import Home
from sharing.issuing import issue_bulletin
from sharing.receiver import receive_bulletin


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=float, default=0.01)
    args = parser.parse_args()
    os.environ.setdefault("DTIX_PASSPHRASE", "bench")
    with tempfile.TemporaryDirectory() as tmp:
        home = Home(Path(tmp) / "fed")
        now = utcnow()
        found_federation(
            home, now=now, argon2=Argon2Params(memory_cost=1024, iterations=1, lanes=1)
        )
        t = time.perf_counter()
        synth = synthesize_feeds(home, scale=args.scale, seed=7, now=now)
        lap("synth", t, synth.total_records)
        exchange = Exchange.open(home.root, now=now)
        t = time.perf_counter()
        records = sum(
            collect_lab(exchange, lab.id, now=now).records for lab in exchange.federation.labs
        )
        lap("collect", t, records)
        t = time.perf_counter()
        issued = [issue_bulletin(exchange, lab.id, now=now) for lab in exchange.federation.labs]
        paths = [
            p
            for lab in exchange.federation.labs
            for p in deliver_bulletins(exchange, lab.id, now=now)
        ]
        lap("issue+deliver", t, sum(b.indicators for b in issued if b))
        t = time.perf_counter()
        opened = sum(
            len(receive_bulletin(home, p.parent.name, p.read_bytes(), now=now).indicators)
            for p in paths
        )
        lap("open", t, opened)
        t = time.perf_counter()
        seal_checkpoint(exchange, now=now)
        report = verify_audit(exchange)
        lap("checkpoint+verify", t, report.size)
        size = sum(p.stat().st_size for p in paths)
        print(f"bulletins: {len(paths)} files, {size:,} bytes")
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak RSS: {peak:,.0f} MiB")


def lap(stage: str, start: float, count: int) -> None:
    seconds = time.perf_counter() - start
    print(f"{stage:18} {count:>12,} items {seconds:8.2f} s {count / max(seconds, 1e-9):>12,.0f}/s")


if __name__ == "__main__":
    main()
