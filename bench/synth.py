"""How fast `dtix synth` writes a campaign: records/s, MB/s and peak RSS at a given scale.

Usage: .venv/bin/python bench/synth.py [--scale 0.05] [--labs anthropic,openai,google]
"""

import argparse
import resource
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from sharing.synth import synthesize

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=0.05)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--labs", default="anthropic,openai,google")
    parser.add_argument("--keep", type=Path, help="write here and keep the files")
    args = parser.parse_args(argv)
    root = args.keep or Path(tempfile.mkdtemp(prefix="dtix-bench-synth-"))
    inboxes = {lab: root / "inbox" / lab for lab in args.labs.split(",")}
    try:
        start = time.perf_counter()
        report = synthesize(inboxes, scale=args.scale, seed=args.seed, now=NOW)
        elapsed = time.perf_counter() - start
        size = sum(f.stat().st_size for files in report.files.values() for f in files)
    finally:
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    n_files = sum(len(files) for files in report.files.values())
    print(f"scale {args.scale:g}, seed {args.seed}, labs {len(inboxes)}")
    bad = sum(report.bad_records.values())
    print(f"records  {report.total_records:,} in {n_files} files ({bad:,} bad)")
    print(f"accounts {report.accounts:,}; distinct indicators {sum(report.indicators.values()):,}")
    print(f"time     {elapsed:.2f} s")
    print(
        f"rate     {report.total_records / elapsed:,.0f} records/s, {size / elapsed / 1e6:.1f} MB/s"
    )
    print(f"written  {size / 1e6:,.1f} MB")
    print(f"peak RSS {peak_kib / 1024:.1f} MiB")


if __name__ == "__main__":
    sys.exit(main())
