"""How fast the CSV and STIX readers turn records into sightings, and how fast screening is.

Run as `python -m bench.record_sources [--records N]`.
The records are those of bench/records.py (a campaign's repeated values), written as CSV
and as a STIX 2.1 bundle in memory; screening runs over random distinct addresses and names.
"""

import argparse
import csv
import io
import random
import time

import orjson

from bench.records import synthesize
from sharing.csv_records import CsvRecordReader
from sharing.record_reader import RecordReader
from sharing.records import Sighting
from sharing.screening import Warninglists
from sharing.stix_patterns import pattern_for
from sharing.stix_records import StixRecordReader

_FIELDS = ["type", "value", "seen", "tlp", "confidence", "tags", "campaign"]


def as_csv(records: list[dict]) -> bytes:
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(_FIELDS)
    for r in records:
        writer.writerow([*(r[f] for f in _FIELDS[:5]), ";".join(r["tags"]), r["campaign"]])
    return text.getvalue().encode()


def as_stix(records: list[dict]) -> bytes:
    objects = [
        {
            "type": "indicator",
            "id": f"indicator--{i}",
            "pattern_type": "stix",
            "pattern": pattern_for(r["type"], r["value"]),
            "valid_from": r["seen"],
            "confidence": r["confidence"],
            "labels": r["tags"],
        }
        for i, r in enumerate(records)
    ]
    return orjson.dumps({"type": "bundle", "id": "bundle--1", "objects": objects})


def timed(name: str, reader: object, data: bytes, records: int) -> None:
    start = time.perf_counter()
    accepted = sum(isinstance(r, Sighting) for _, _, r in reader(io.BytesIO(data)))  # type: ignore[operator]
    elapsed = time.perf_counter() - start
    print(
        f"{name}: {records:,} records ({len(data) / 1e6:.0f} MB) in {elapsed:.2f} s, "
        f"{records / elapsed / 1e3:.0f} k records/s, {accepted:,} accepted"
    )


def screening(count: int, seed: int) -> None:
    rng = random.Random(seed)
    start = time.perf_counter()
    lists = Warninglists.load()
    print(f"warninglists: {len(lists.lists)} lists loaded in {time.perf_counter() - start:.3f} s")
    samples = {
        "ipv4": [".".join(str(rng.randrange(256)) for _ in range(4)) for _ in range(count)],
        "ipv6": [
            f"2a0{rng.randrange(10)}:{rng.randrange(65536):x}::{rng.randrange(65536):x}"
            for _ in range(count)
        ],
        "cidr": [
            f"{rng.randrange(1, 224)}.{rng.randrange(256)}.{rng.randrange(256)}.0/24"
            for _ in range(count)
        ],
        "domain": [
            f"relay-{rng.randrange(10**6)}.sub.example-{rng.randrange(99)}.top"
            for _ in range(count)
        ],
    }
    for type_name, values in samples.items():
        start = time.perf_counter()
        hits = sum(lists.match(type_name, v) is not None for v in values)
        micro = (time.perf_counter() - start) / count * 1e6
        print(f"screening {type_name}: {micro:.1f} us a value, {hits:,} of {count:,} screened")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=200_000)
    parser.add_argument("--distinct", type=int, default=25_000, help="distinct values per type")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    lines = synthesize(args.records, args.distinct, args.seed).splitlines()
    records = [orjson.loads(line) for line in lines]
    timed("jsonl (for comparison)", RecordReader, b"\n".join(lines), len(records))
    timed("csv", CsvRecordReader, as_csv(records), len(records))
    timed("stix", StixRecordReader, as_stix(records), len(records))
    screening(50_000, args.seed)


if __name__ == "__main__":
    main()
