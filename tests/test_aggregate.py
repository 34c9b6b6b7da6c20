"""Aggregating a submission: the columnar block path must agree with reading line by line."""

import hashlib
import io
import json
import random
from pathlib import Path

import orjson
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sharing.aggregate import AggregatedSubmission, aggregate_file
from sharing.record_reader import RecordReader
from tests.test_records import plausible, records

SEENS = [
    "2026-11-20T10:00:00Z",
    "2026-11-20T10:00:00.5+02:00",
    "2026-02-30T10:00:00Z",
    "0000-01-01T00:00:00Z",
    "2026-11-20T10:00:60Z",
    "2026-1-20T10:00:00Z",
    "2026-11-20t10:00:00z",
]
BAD_LINES = [b"", b"   ", b"{", b"\xff\xfe", b"[1, 2]", b'{"type":"ipv4","type":"domain"}', b"null"]


def line_by_line(data: bytes) -> AggregatedSubmission:
    result = AggregatedSubmission()
    for line, raw, outcome in RecordReader(io.BytesIO(data)):
        result.add(line, raw, outcome)
    return result


def assert_same(expected: AggregatedSubmission, got: AggregatedSubmission) -> None:
    assert got.records == expected.records
    assert got.rejected == expected.rejected
    assert got.aggregates.keys() == expected.aggregates.keys()
    for key, want in expected.aggregates.items():
        have = got.aggregates[key]
        assert (have.sightings, have.first_seen, have.last_seen) == (
            want.sightings,
            want.first_seen,
            want.last_seen,
        )
        assert (have.confidence, have.tlp, have.tags, have.campaign) == (
            want.confidence,
            want.tlp,
            want.tags,
            want.campaign,
        )


def written(obj: object, style: int, rng: random.Random) -> bytes:
    """One record as different tools write it: compact, spaced, keys shuffled, escaped."""
    if isinstance(obj, dict) and style % 3 == 1:
        items = list(obj.items())
        rng.shuffle(items)
        obj = dict(items)
    if style % 4 == 2:
        return json.dumps(obj, ensure_ascii=True).encode()
    if style % 4 == 3:
        return json.dumps(obj, ensure_ascii=False, separators=(", ", ": ")).encode(
            "utf-8", "replace"
        )
    return orjson.dumps(obj)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    objs=st.lists(
        st.one_of(
            plausible,
            plausible.map(lambda r: {**r, "seen": SEENS[len(str(r)) % len(SEENS)]}),
            records,
        ),
        max_size=40,
    ),
    styles=st.lists(st.integers(0, 11), min_size=40, max_size=40),
    bad=st.lists(
        st.tuples(
            st.integers(0, 40),
            st.sampled_from(BAD_LINES)
            | st.binary(max_size=40).map(lambda b: b.replace(b"\n", b"")),
        ),
        max_size=5,
    ),
    block_size=st.sampled_from([7, 64, 1 << 20]),
    crlf=st.booleans(),
)
def test_blocks_agree_with_reading_line_by_line(
    tmp_path_factory, objs, styles, bad, block_size, crlf
) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(len(objs))
    lines = [written(o, styles[i], rng) for i, o in enumerate(objs)]
    for where, line in bad:
        lines.insert(min(where, len(lines)), line)
    data = (b"\r\n" if crlf else b"\n").join(lines)
    path = tmp_path_factory.mktemp("agg") / "feed.jsonl"
    path.write_bytes(data)
    got = aggregate_file(path, block_size=block_size, workers=1)
    assert_same(line_by_line(data), got)
    assert got.sha256 == hashlib.sha256(data).hexdigest()


def test_a_feed_in_one_shape_is_read_in_bulk_and_counted_exactly(tmp_path: Path) -> None:
    rows = [
        {
            "type": "ipv4",
            "value": f"198.51.100.{i % 7}",
            "seen": f"2026-11-20T10:{i % 60:02d}:00Z",
            "tlp": ["green", "amber"][i % 2],
            "confidence": i % 101,
            "tags": ["proxy-hydra"] if i % 3 else ["account-farming", "proxy-hydra"],
            "campaign": None if i < 5 else f"c{i % 2}",
            "count": 2,
        }
        for i in range(500)
    ]
    path = tmp_path / "feed.jsonl"
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in rows))
    got = aggregate_file(path, block_size=4096)
    assert got.records == 500 and not got.rejected
    first = got.aggregates[("ipv4", "198.51.100.0")]
    assert first.sightings == 2 * len(range(0, 500, 7))
    assert first.tags == {"account-farming", "proxy-hydra"}
    assert first.campaign == "c1"  # line 8 (i=7) is the first of its lines to name one
    assert_same(line_by_line(path.read_bytes()), got)


def test_an_overlong_line_is_rejected_without_being_held(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    good = orjson.dumps({"type": "asn", "value": "AS64500", "seen": "2026-11-20T10:00:00Z"})
    path.write_bytes(good + b"\n" + b"x" * (3 << 20) + b"\n" + good + b"\n")
    got = aggregate_file(path, block_size=1 << 16)
    assert got.records == 3
    assert [(r.line, r.reason) for r in got.rejected] == [
        (2, "the line is longer than 1048576 bytes")
    ]
    assert got.aggregates[("asn", "AS64500")].sightings == 2


def test_worker_processes_fold_blocks_exactly_as_one_process(tmp_path: Path) -> None:
    rng = random.Random(3)
    lines = [
        orjson.dumps(
            {
                "type": "domain",
                "value": f"relay-{rng.randrange(40)}.example.net",
                "seen": f"2026-11-{rng.randrange(1, 28):02d}T10:00:00Z",
                "campaign": rng.choice([None, "a", "b"]),
            }
        )
        for _ in range(3000)
    ]
    lines[1234] = b'{"type":"domain","value":"bad domain"'
    path = tmp_path / "feed.jsonl"
    path.write_bytes(b"\n".join(lines))
    alone = aggregate_file(path, block_size=8192, workers=1)
    pooled = aggregate_file(path, block_size=8192, workers=2)
    assert_same(alone, pooled)
    assert [r.line for r in pooled.rejected] == [1235]


def test_personal_data_in_free_text_is_caught_on_the_bulk_path(tmp_path: Path) -> None:
    good = {"type": "asn", "value": "AS64500", "seen": "2026-11-20T10:00:00Z"}
    rows = [good] * 50 + [{**good, "description": "signed up as jane.doe@mail.example"}]
    path = tmp_path / "feed.jsonl"
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in rows))
    got = aggregate_file(path, workers=1)
    assert got.aggregates[("asn", "AS64500")].records == 50
    (rejected,) = got.rejected
    assert rejected.line == 51 and "jane.doe" not in rejected.reason
