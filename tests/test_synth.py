"""Synthetic campaign feeds: deterministic, linear in scale, shared across labs, well formed
except for the counted bad lines, published atomically, and spelled differently per lab."""

import ipaddress
import json
import os
import re
import subprocess
import sys
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from sharing.errors import DtixError
from sharing.records import RecordReader, RecordRejected
from sharing.synth import SynthReport, synthesize
from sharing.synth.bad import BAD_KINDS, bad_line
from sharing.synth.feeds import FeedWriter

NOW = datetime(2026, 11, 23, 10, 30, tzinfo=UTC)
LABS = ("anthropic", "google", "openai")
HEX = {"account_hash", "email_hash", "payment_fingerprint", "prompt_fingerprint"}
HEX |= {"api_key_fingerprint"}
PROXY = {"ipv4", "ipv6", "cidr", "asn", "proxy_service"}
TECHNIQUES = {"account-farming", "proxy-hydra", "rate-limit-evasion", "cot-elicitation"}
TECHNIQUES |= {"rubric-harvesting", "payment-fraud"}
TYPES = HEX | PROXY | {"tls_fingerprint", "user_agent", "domain"}
SEEN = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")
Feeds = tuple[SynthReport, dict[str, list[dict]]]
JA4 = re.compile(r"[tq]1[23]d\d{4}(h2|h1|00)_[0-9a-f]{12}_[0-9a-f]{12}")


def run(root: Path, scale: float = 0.0005, seed: int = 7, **kw: int) -> SynthReport:
    return synthesize({lab: root / lab for lab in LABS}, scale=scale, seed=seed, now=NOW, **kw)


def canon(type_: str, value: str) -> str:
    """The canonical spelling the hub's normalization is expected to produce."""
    if type_ in HEX:
        return value.lower()
    if type_ == "asn":
        return "AS" + value[2:]
    if type_ == "ipv6":
        return ipaddress.IPv6Address(value).compressed
    if type_ == "cidr":
        return ipaddress.ip_network(value).compressed
    return value.lower().rstrip(".") if type_ == "domain" else value


def check(record: object) -> None:
    """Raises unless `record` is a well-formed sighting."""
    assert isinstance(record, dict) and record["type"] in TYPES and SEEN.fullmatch(record["seen"])
    type_, value = record["type"], record["value"]
    if type_ in HEX:
        assert re.fullmatch(r"[0-9a-fA-F]{64}", value)
    elif type_ == "ipv4":
        ipaddress.IPv4Address(value)  # rejects leading zeros
    elif type_ == "ipv6":
        ipaddress.IPv6Address(value)
    elif type_ == "cidr":
        ipaddress.ip_network(value)
    elif type_ == "asn":
        assert re.fullmatch(r"(?i)as\d+", value)
    elif type_ == "tls_fingerprint":
        assert JA4.fullmatch(value)
    assert record.get("tlp", "red") in ("clear", "green", "amber", "amber+strict", "red")
    assert 0 <= record.get("confidence", 0) <= 100 and record.get("count", 1) >= 1
    assert set(record.get("tags", ())) <= TECHNIQUES


def read(report: SynthReport) -> tuple[dict[str, list[dict]], dict[str, int]]:
    """Every good record per lab, and how many lines per lab failed `check`."""
    good: dict[str, list[dict]] = defaultdict(list)
    bad: dict[str, int] = defaultdict(int)
    for lab, files in report.files.items():
        for line in (line for f in files for line in f.read_text().splitlines()):
            try:
                record = json.loads(line)
                check(record)
                good[lab].append(record)
            except (ValueError, KeyError, AssertionError):
                bad[lab] += 1
    return good, bad


@pytest.fixture(scope="module")
def feeds(tmp_path_factory: pytest.TempPathFactory) -> Feeds:
    report = run(tmp_path_factory.mktemp("synth"))
    good, bad = read(report)
    assert dict(bad) == report.bad_records and all(n >= 1 for n in bad.values())
    return report, good


def test_same_inputs_give_identical_bytes_and_another_seed_differs(tmp_path: Path) -> None:
    a, b, c = run(tmp_path / "a"), run(tmp_path / "b"), run(tmp_path / "c", seed=8)
    for lab in LABS:
        assert [f.name for f in a.files[lab]] == [f.name for f in b.files[lab]]
        assert [f.read_bytes() for f in a.files[lab]] == [f.read_bytes() for f in b.files[lab]]
        assert a.files[lab][0].read_bytes() != c.files[lab][0].read_bytes()


def test_output_does_not_depend_on_the_process_hash_seed(tmp_path: Path) -> None:
    here = run(tmp_path / "here", scale=0.0001)
    code = (
        "import sys, datetime as d; from pathlib import Path; from sharing.synth import synthesize;"
        f"synthesize({{lab: Path(sys.argv[1], lab) for lab in {LABS!r}}}, scale=0.0001,"
        f" now=d.datetime.fromisoformat({NOW.isoformat()!r}))"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    root = Path(__file__).resolve().parents[1]
    subprocess.run([sys.executable, "-c", code, tmp_path / "there"], env=env, cwd=root, check=True)
    for lab in LABS:
        for f in here.files[lab]:
            assert (tmp_path / "there" / lab / f.name).read_bytes() == f.read_bytes()


def test_records_and_accounts_grow_linearly_with_scale(tmp_path: Path) -> None:
    small, large = run(tmp_path / "s", scale=0.0001), run(tmp_path / "l", scale=0.0004)
    assert small.total_records == 1600 and large.total_records == 6400
    assert (small.accounts, large.accounts) == (2, 10)
    tiny = run(tmp_path / "t", scale=1e-7)
    assert tiny.accounts == 1 and all(5 <= n < 100 for n in tiny.records.values())


def test_every_line_is_a_valid_sighting_in_the_window_except_the_counted_bad_ones(
    feeds: Feeds,
) -> None:
    report, good = feeds
    end = NOW.replace(minute=0)
    for records in good.values():
        seen = {datetime.fromisoformat(r["seen"]) for r in records}
        assert end - timedelta(days=14) <= min(seen) and max(seen) < end
    assert report.total_records == sum(map(len, good.values())) + sum(report.bad_records.values())
    assert report.total_records == 8000 and report.accounts == 12
    values = {(r["type"], canon(r["type"], r["value"])) for rs in good.values() for r in rs}
    assert sum(report.indicators.values()) == len(values)


def test_the_hub_reader_rejects_exactly_the_bad_lines_and_merges_the_spellings(
    feeds: Feeds,
) -> None:
    report, _ = feeds
    values: set[tuple[str, str]] = set()
    for lab, files in report.files.items():
        rejected = 0
        for f in files:
            with f.open("rb") as stream:
                for _, _, read in RecordReader(stream):
                    if isinstance(read, RecordRejected):
                        rejected += 1
                    else:
                        values.add((read.type, read.value))
        assert rejected == report.bad_records[lab]
    per_type = {t: sum(1 for v in values if v[0] == t) for t in report.indicators}
    assert per_type == report.indicators


def test_campaign_records_are_mostly_accounts_and_addresses(feeds: Feeds) -> None:
    _, good = feeds
    records = [r for rs in good.values() for r in rs]
    types = [r["type"] for r in records]
    assert sum(t in ("account_hash", "ipv4", "ipv6") for t in types) > len(types) / 2
    tlps = [r["tlp"] for r in records if "campaign" in r]
    assert tlps.count("amber") + tlps.count("green") > 0.6 * len(tlps)
    assert {"clear", "amber+strict", "red"} <= set(tlps)
    assert any(r["value"] == "8.8.8.8" for r in records)  # screening bait in the noise


def test_proxies_and_cards_are_seen_by_several_labs(feeds: Feeds) -> None:
    _, good = feeds
    labs_of: dict[tuple[str, str], set[str]] = defaultdict(set)
    for lab, records in good.items():
        for r in records:
            if "campaign" in r or r["type"] in ("account_hash", "payment_fingerprint"):
                labs_of[r["type"], canon(r["type"], r["value"])].add(lab)
    proxies = [labs for (t, _), labs in labs_of.items() if t in PROXY]
    cards = [labs for (t, _), labs in labs_of.items() if t == "payment_fingerprint"]
    assert sum(len(labs) >= 2 for labs in proxies) >= 0.5 * len(proxies)
    assert any(len(labs) >= 2 for labs in cards)
    assert any(len(labs) == 1 for labs in proxies)


def test_labs_spell_the_same_value_differently(feeds: Feeds) -> None:
    _, good = feeds
    spellings: dict[tuple[str, str], set[str]] = defaultdict(set)
    for r in (r for rs in good.values() for r in rs):
        spellings[r["type"], canon(r["type"], r["value"])].add(r["value"])
    varied = {t for (t, value), raw in spellings.items() if raw - {value}}
    assert {"account_hash", "asn", "ipv6", "domain"} <= varied
    assert any(len(raw) >= 2 for raw in spellings.values())


def test_files_are_split_named_and_published_without_leftovers(tmp_path: Path) -> None:
    report = run(tmp_path, scale=0.0001, max_lines=250)
    for lab in LABS:
        names = sorted(p.name for p in (tmp_path / lab).iterdir())
        assert names == [f"synth-7-{lab}-{i:03d}.jsonl" for i in range(1, len(names) + 1)]
        assert [f.name for f in report.files[lab]] == names
        lines = [len(f.read_text().splitlines()) for f in report.files[lab]]
        assert max(lines) == 250 and sum(lines) == report.records[lab]


def test_a_failed_write_leaves_no_partial_file(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError), FeedWriter(tmp_path, "synth-7-x", max_lines=2) as writer:
        writer.write(["{}\n"] * 3)
        raise RuntimeError("disk full")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["synth-7-x-001.jsonl"]


@pytest.mark.parametrize("kind", range(len(BAD_KINDS)))
def test_each_kind_of_bad_line_fails_validation(kind: int) -> None:
    line = bad_line(kind, "2026-11-20T10:00:00Z", {"ipv4": "45.83.12.9", "domain": "mail.top"})
    with pytest.raises((ValueError, KeyError, AssertionError)):
        check(json.loads(line))


@pytest.mark.parametrize("scale", [0, -1, float("nan"), float("inf")])
def test_a_scale_that_is_not_positive_is_refused(tmp_path: Path, scale: float) -> None:
    with pytest.raises(DtixError, match="scale"):
        run(tmp_path, scale=scale)
