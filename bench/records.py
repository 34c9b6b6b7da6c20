"""How fast RecordReader turns JSON Lines into sightings, on a synthetic campaign in memory.

Like the real feeds, many lines repeat a small set of values (a proxy pool, an account farm).
"""

import argparse
import io
import random
import time

import orjson

from sharing.records import RecordReader, Sighting

_TAGS = [["proxy-hydra"], ["account-farming", "rate-limit-evasion"], ["cot-elicitation"], []]


def _value(rng: random.Random, kind: str, distinct: int) -> str:
    n = rng.randrange(distinct)
    if kind == "ipv4":
        return f"203.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}"
    if kind == "account_hash":
        return f"{n:064x}"
    if kind == "domain":
        return f"relay-{n}.Example.NET"
    return f"https://relay-{n % 500}.example.net/v1/chat?session={n}"


def synthesize(records: int, distinct: int, seed: int) -> bytes:
    """`records` lines over about `distinct` values per type and one timestamp per second."""
    rng = random.Random(seed)
    kinds = ["ipv4", "account_hash", "domain", "url"]
    lines = []
    for i in range(records):
        kind = kinds[i % len(kinds)]
        record = {
            "type": kind,
            "value": _value(rng, kind, distinct),
            "seen": f"2026-11-20T{10 + i // 3_600_000 % 10:02d}:{i // 60_000 % 60:02d}:"
            f"{i // 1000 % 60:02d}Z",
            "tlp": "amber",
            "confidence": rng.randrange(40, 100),
            "tags": _TAGS[i % len(_TAGS)],
            "campaign": "crimson-relay",
        }
        lines.append(orjson.dumps(record))
    return b"\n".join(lines) + b"\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--distinct", type=int, default=25_000, help="distinct values per type")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    data = synthesize(args.records, args.distinct, args.seed)
    start = time.perf_counter()
    accepted = sum(isinstance(result, Sighting) for _, _, result in RecordReader(io.BytesIO(data)))
    elapsed = time.perf_counter() - start
    print(f"{args.records:,} records ({len(data) / 1e6:.0f} MB) in {elapsed:.2f} s")
    print(f"{args.records / elapsed:,.0f} records/s; {accepted:,} accepted")


if __name__ == "__main__":
    main()
