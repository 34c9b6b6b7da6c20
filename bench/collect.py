"""Time `dtix collect` on the synthetic campaign: records/s, peak memory, counts in and out.

    .venv/bin/python bench/collect.py --scale 1        # about 16 million records
    .venv/bin/python bench/collect.py --scale 0.125    # about 2 million
    .venv/bin/python bench/collect.py --workers 2      # batches in 2 processes, and the speed-up
    .venv/bin/python bench/collect.py --database-url postgresql+psycopg://postgres@127.0.0.1/test

The feeds are generated once per (scale, seed) under --cache and reused: each run collects
a fresh copy of that federation (hard links, so no data is copied), in a child process
whose wall time and peak resident memory (summed over it and its worker processes, sampled
every 50 ms from /proc) are measured. With --workers N the inbox is collected in batches by
N processes (`dtix collect --workers N`), and once by one process for the speed-up. With
--database-url the store is a fresh schema `dtix_bench` of that PostgreSQL database.
"""

import argparse
import os
import re
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

BIN = Path(sys.executable).parent
ENV = {**os.environ, "DTIX_PASSPHRASE": os.environ.get("DTIX_PASSPHRASE", "bench-passphrase")}
BENCH_SCHEMA = "dtix_bench"
TOTAL = re.compile(
    r"all labs: ([\d,]+) records submitted = ([\d,]+) accepted \+ ([\d,]+) quarantined"
    r" \+ ([\d,]+) screened"
)


def tree_rss_kb(root: int) -> int:
    """Resident memory of a process and all its descendants, from /proc."""
    parents, rss = {}, {}
    for stat in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(
                line.split(":", 1) for line in stat.read_text().splitlines() if ":" in line
            )
        except OSError:
            continue
        pid = int(stat.parent.name)
        parents[pid] = int(fields.get("PPid", "0"))
        rss[pid] = int(fields.get("VmRSS", "0 kB").split()[0])
    total = 0
    for pid in rss:
        walk = pid
        while walk and walk != root:
            walk = parents.get(walk, 0)
        if walk == root:
            total += rss[pid]
    return total


def timed_collect(home: Path, workers: int | None) -> tuple[str, float, int, float]:
    """Run `dtix collect`; its output, wall seconds, peak summed RSS (kB) of its tree and
    the CPU seconds (user + system) of all its processes."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    parallel = ["--workers", str(workers)] if workers else []
    child = subprocess.Popen(
        [str(BIN / "dtix"), "collect", "--home", str(home), *parallel],
        env=ENV,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    peak = 0
    while child.poll() is None:
        peak = max(peak, tree_rss_kb(child.pid))
        time.sleep(0.05)
    seconds = time.perf_counter() - started
    output, errors = child.communicate()
    if child.returncode != 0:
        sys.exit(f"dtix collect failed:\n{errors}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return output, seconds, peak, cpu


def dtix(*args: str) -> str:
    done = subprocess.run(
        [str(BIN / "dtix"), *args], env=ENV, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        sys.exit(f"dtix {' '.join(args)} failed:\n{done.stderr}")
    return done.stdout


def feeds(cache: Path, scale: float, seed: int) -> Path:
    """A federation home whose inboxes hold the synthetic feeds, made once."""
    home = cache / f"feeds-s{scale:g}-seed{seed}"
    if not (home / ".complete").exists():
        shutil.rmtree(home, ignore_errors=True)
        started = time.perf_counter()
        dtix("init", "--home", str(home))
        dtix("synth", "--scale", str(scale), "--seed", str(seed), "--home", str(home))
        (home / ".complete").touch()
        print(f"generated feeds in {time.perf_counter() - started:.1f} s: {home}")
    return home


def fresh_copy(feeds_home: Path, target: Path) -> None:
    shutil.rmtree(target, ignore_errors=True)
    subprocess.run(["cp", "-al", str(feeds_home), str(target)], check=True)
    for key in (target / "keys").iterdir():  # keys are rewritten, never shared
        data = key.read_bytes()
        key.unlink()
        key.write_bytes(data)
        key.chmod(0o600)


def fresh_store(database_url: str | None) -> None:
    """A store of its own for the next run: SQLite in the home, or an emptied PG schema."""
    if not database_url:
        ENV.pop("DTIX_DATABASE_URL", None)
        return
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url)
    with engine.begin() as connection:
        connection.execute(text(f"DROP SCHEMA IF EXISTS {BENCH_SCHEMA} CASCADE"))
        connection.execute(text(f"CREATE SCHEMA {BENCH_SCHEMA}"))
    engine.dispose()
    sep = "&" if "?" in database_url else "?"
    ENV["DTIX_DATABASE_URL"] = f"{database_url}{sep}options=-csearch_path%3D{BENCH_SCHEMA}"


def store_counts(home: Path) -> tuple[int, int]:
    """Indicators and contributions in the store the run wrote."""
    from sqlalchemy import create_engine, text

    engine = create_engine(ENV.get("DTIX_DATABASE_URL") or f"sqlite:///{home / 'dtix.db'}")
    with engine.connect() as connection:
        indicators = connection.execute(text("SELECT count(*) FROM indicator")).scalar_one()
        contributions = connection.execute(text("SELECT count(*) FROM contribution")).scalar_one()
    engine.dispose()
    return indicators, contributions


def measure(args: argparse.Namespace, source: Path, workers: int | None, run: int) -> float:
    """One timed collection of a fresh copy of the feeds; prints its figures, returns seconds."""
    inbox_bytes = sum(p.stat().st_size for p in (source / "inbox").rglob("*.jsonl"))
    home = args.cache / "collect-run"
    fresh_copy(source, home)
    fresh_store(args.database_url)
    output, seconds, peak_kb, cpu = timed_collect(home, workers)
    match = TOTAL.search(output)
    if match is None:
        sys.exit(f"unexpected output:\n{output}")
    submitted, accepted, quarantined, screened = (int(g.replace(",", "")) for g in match.groups())
    indicators, contributions = store_counts(home)
    how = f"{workers} collecting processes" if workers else "one process, a reader per core"
    store = "PostgreSQL" if args.database_url else "SQLite"
    print(
        f"run {run}: scale {args.scale:g}, {how}, {store},"
        f" {submitted:,} records ({inbox_bytes / 1e9:.2f} GB)"
        f" in {seconds:.1f} s = {submitted / seconds:,.0f} records/s;"
        f" peak RSS {peak_kb / 1024:,.0f} MB (all its processes together);"
        f" CPU {cpu:.1f} s (user + system, all its processes)"
    )
    balanced = submitted == accepted + quarantined + screened
    print(
        f"  in {submitted:,} = {accepted:,} accepted + {quarantined:,} quarantined"
        f" + {screened:,} screened ({'balanced' if balanced else 'UNBALANCED'});"
        f" out {indicators:,} indicators, {contributions:,} contributions"
    )
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=0.125)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--cache", type=Path, default=Path("/tmp/dtix-bench"))
    parser.add_argument(
        "--workers",
        type=int,
        default=0,
        help="collect in batches by this many processes, and once by one for the speed-up"
        " (default: one process with a reader per core)",
    )
    parser.add_argument("--database-url", help="a PostgreSQL store instead of SQLite")
    args = parser.parse_args()
    source = feeds(args.cache, args.scale, args.seed)
    for run in range(1, args.runs + 1):
        if not args.workers:
            measure(args, source, None, run)
            continue
        alone = measure(args, source, 1, run)
        parallel = measure(args, source, args.workers, run) if args.workers > 1 else alone
        print(f"  speed-up with {args.workers} processes: {alone / parallel:.2f}x")


if __name__ == "__main__":
    main()
