"""`dtix export`: in every format the lab gets exactly what its bulletins carried (the set
the hub's one policy path, `carried_for`, gives), filters by type and bulletin, writes
files atomically, and refuses bad requests in one line."""

import csv
import io
import json
from pathlib import Path

import pytest
from pymisp import MISPEvent
from typer.testing import CliRunner

from sharing.cli import app
from sharing.clock import utcnow
from sharing.exchange import Exchange
from sharing.lab_view import carried_for
from sharing.lifetimes import Lifetimes
from sharing.received_store import ReceivedBulletin, keep_received
from sharing.spreadsheet_safe_csv import FORMULA_STARTS, original
from sharing.stix_patterns import indicator_of
from tests.conftest import NOW
from tests.received_view import FORMULA_UA, two_bulletins
from tests.receiving import bulletin
from tests.stix_validation import assert_valid_stix

runner = CliRunner()
Pair = tuple[str, str]


@pytest.fixture
def opened(home) -> list[ReceivedBulletin]:  # type: ignore[no-untyped-def]
    return two_bulletins(home)


def _export(home, *args: str, lab: str = "openai"):  # type: ignore[no-untyped-def]
    result = runner.invoke(app, ["export", "--as", lab, "--home", str(home.root), *args])
    assert "Traceback" not in result.output
    return result


def _hub_view(home) -> list[dict]:  # type: ignore[no-untyped-def, type-arg]
    """What the hub says openai's bulletins carry, through its one policy path."""
    exchange = Exchange.open(home.root, now=utcnow())
    with exchange.session() as session:
        carried = carried_for(
            exchange,
            session,
            exchange.federation.lab("openai"),
            Lifetimes.load(home),
            utcnow(),
        )
    return [c.record for c in carried]


def _pairs(records: list[dict]) -> set[Pair]:  # type: ignore[type-arg]
    return {(r["type"], r["value"]) for r in records}


def _from_misp(events: list[dict]) -> set[Pair]:  # type: ignore[type-arg]
    found = set()
    for event in events:
        for attribute in event["Event"]["Attribute"]:
            kind = attribute["comment"].split(":")[0].removeprefix("dtix ")
            value = attribute["value"]
            found.add((kind, f"AS{value}" if kind == "asn" else value))
    return found


def test_every_format_exports_exactly_what_the_bulletins_carried(home, opened, tmp_path) -> None:  # type: ignore[no-untyped-def]
    hub = _hub_view(home)
    expected = _pairs(hub)
    carried = _pairs([r for b in opened for r in b.indicators])
    assert expected == carried and len(expected) == 20

    jsonl = _export(home, "--format", "jsonl")
    assert jsonl.exit_code == 0, jsonl.output
    records = [json.loads(line) for line in jsonl.stdout.splitlines()]
    key = lambda r: (r["type"], r["value"])  # noqa: E731
    assert sorted(records, key=key) == sorted(hub, key=key)  # the same form, field by field
    assert next(r for r in records if r["type"] == "domain")["labs"] == 2  # the latest form

    rows = list(csv.reader(io.StringIO(_export(home, "--format", "csv").stdout, newline="")))
    assert {(original(r[0]), original(r[1])) for r in rows[1:]} == expected
    assert rows[[r[1] for r in rows].index("'" + FORMULA_UA)][:2] == [
        "user_agent",
        "'" + FORMULA_UA,
    ]
    assert not any(cell.lstrip(" ")[:1] in FORMULA_STARTS for row in rows for cell in row)

    txt = _export(home, "--format", "txt", "--out", str(tmp_path / "lists"))
    assert txt.exit_code == 0, txt.output
    listed = {
        (path.stem, line)
        for path in (tmp_path / "lists").glob("*.txt")
        for line in path.read_text("utf-8").splitlines()
    }
    assert listed == expected

    misp = _export(home, "--format", "misp")
    events = json.loads(misp.stdout)
    assert len(events) == 2 and _from_misp(events) == expected
    for event in events:
        MISPEvent().load(json.dumps(event))

    stix = _export(home, "--format", "stix")
    assert stix.exit_code == 0, stix.output
    assert_valid_stix(stix.stdout)
    bundle = json.loads(stix.stdout)
    patterns = [o["pattern"] for o in bundle["objects"] if o["type"] == "indicator"]
    assert {indicator_of(p) for p in patterns} == expected
    assert json.loads(_export(home, "--format", "stix").stdout)["id"] == bundle["id"]


def test_one_bulletin_as_it_was_carried(home, opened, tmp_path) -> None:  # type: ignore[no-untyped-def]
    first, second = opened
    one = _export(home, "--format", "jsonl", "--bulletin", first.header["id"])
    assert one.exit_code == 0, one.output
    records = [json.loads(line) for line in one.stdout.splitlines()]
    assert _pairs(records) == _pairs(first.indicators)
    assert next(r for r in records if r["type"] == "domain")["labs"] == 1  # bulletin 1's form

    event = json.loads(_export(home, "--format", "misp", "--bulletin", second.header["id"]).stdout)
    assert event["Event"]["info"].endswith(f"({second.header['id']})")
    assert _from_misp([event]) == _pairs(second.indicators)

    stix = _export(home, "--format", "stix", "--bulletin", first.header["id"])
    opened_stix = json.loads(stix.stdout)
    assert_valid_stix(stix.stdout)
    from sharing.stix_export import to_bundle

    assert opened_stix == json.loads(to_bundle(first.header, first.indicators))

    folder = tmp_path / "misp"
    assert _export(home, "--format", "misp", "--out", str(folder)).exit_code == 0
    names = sorted(p.name for p in folder.iterdir())
    assert names == sorted(f"{b.header['id']}.json" for b in opened)
    for path in folder.iterdir():
        MISPEvent().load(path.read_text("utf-8"))


def test_type_filters_and_files(home, opened, tmp_path) -> None:  # type: ignore[no-untyped-def]
    picked = _export(home, "--format", "jsonl", "--type", "ipv4, ipv6", "--type", "cidr")
    kinds = [json.loads(line)["type"] for line in picked.stdout.splitlines()]
    assert sorted(kinds) == ["cidr", "cidr", "ipv4", "ipv6"]

    one = _export(home, "--format", "txt", "--type", "user_agent")
    assert one.exit_code == 0, one.output
    assert one.stdout.splitlines() == [
        "=cmd|' /C calc'!A0",
        "@SUM(1+1)*cmd",
        "python-requests/2.31.0",
    ]

    for fmt in ("csv", "jsonl"):
        out = tmp_path / f"view.{fmt}"
        assert _export(home, "--format", fmt, "--out", str(out)).exit_code == 0
        assert out.read_text("utf-8") == _export(home, "--format", fmt).stdout
        assert not list(tmp_path.glob(".*.tmp"))

    lists = tmp_path / "lists"
    lists.mkdir()
    (lists / "proxy_service.txt").write_text("stale.example\n", "utf-8")
    (lists / "notes.md").write_text("kept\n", "utf-8")
    assert _export(home, "--format", "txt", "--type", "ipv4", "--out", str(lists)).exit_code == 0
    assert (lists / "ipv4.txt").read_text("utf-8") == "198.51.100.7\n"
    assert (lists / "proxy_service.txt").read_text("utf-8") == "stale.example\n"  # not selected
    assert _export(home, "--format", "txt", "--type", "asn", "--out", str(lists)).exit_code == 0
    assert (
        _export(
            home, "--format", "txt", "--out", str(lists), "--bulletin", opened[1].header["id"]
        ).exit_code
        == 0
    )
    assert (lists / "proxy_service.txt").read_text("utf-8") == ""  # emptied: none current
    assert (lists / "url.txt").read_text("utf-8") == "https://relay.example.net/v2\n"
    assert (lists / "notes.md").read_text("utf-8") == "kept\n"


def test_open_and_export_write_the_same_safe_csv(home, tmp_path) -> None:  # type: ignore[no-untyped-def]
    records = [
        {"type": "user_agent", "value": FORMULA_UA, "tlp": "amber", "tags": ["-dde"]},
        {"type": "proxy_service", "value": "-relay pool", "tlp": "green", "tags": []},
    ]
    path = tmp_path / "openai-000001.dtix.json"
    path.write_bytes(bulletin(home, issued=NOW.replace(year=2099), body={"indicators": records}))
    opened = runner.invoke(
        app, ["open", str(path), "--as", "openai", "--home", str(home.root), "--format", "csv"]
    )
    assert opened.exit_code == 0, opened.output
    rows = list(csv.reader(io.StringIO(opened.stdout, newline="")))
    assert [row[:2] for row in rows[1:]] == [
        ["user_agent", "'" + FORMULA_UA],
        ["proxy_service", "'-relay pool"],
    ]
    assert rows[1][-1] == "'-dde"
    exported = _export(home, "--format", "csv", "--bulletin", "openai-000001")
    first, *rest = exported.stdout.splitlines()
    assert first == opened.stdout.splitlines()[0]
    assert sorted(rest) == sorted(opened.stdout.splitlines()[1:])  # exports sort by type, value


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--as", "nobody", "--format", "csv"], "unknown participant 'nobody'"),
        (["--as", "hub", "--format", "csv"], "'hub' is the hub, not a lab"),
        (["--as", "google", "--format", "csv"], "'google' has accepted no bulletin yet"),
        (
            ["--as", "openai", "--format", "csv", "--bulletin", "b-9"],
            "no bulletin 'b-9' among the 2",
        ),
        (["--as", "openai", "--format", "csv", "--type", "ip,ipv4"], "unknown indicator type 'ip'"),
        (["--as", "openai", "--format", "xml"], "--format must be one of stix, misp, csv"),
        (["--as", "openai", "--format", "txt"], "needs exactly one --type"),
        (["--as", "openai", "--format", "txt", "--type", "ipv4,cidr"], "needs exactly one --type"),
    ],
)
def test_bad_requests_are_one_line(home, opened, args, message) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(app, ["export", "--home", str(home.root), *args])
    assert result.exit_code == 1 and message in result.output, result.output
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1


def test_a_damaged_kept_bulletin_is_named(home, opened) -> None:  # type: ignore[no-untyped-def]
    kept = sorted(Path(home.received_dir("openai")).glob("*/*.json"))[0]
    kept.write_text("{", "utf-8")
    result = _export(home, "--format", "csv")
    assert result.exit_code == 1 and f"{kept.name}: not a kept bulletin" in result.output


def test_odd_kept_values_never_span_lines_nor_name_files_outside(home, tmp_path) -> None:  # type: ignore[no-untyped-def]
    records = [
        {"type": "user_agent", "value": value, "tlp": "amber", "tags": []}
        for value in ("Bot\n1.0", "Bot\u20281.0", "curl/8.5.0")
    ]
    header = {"id": "../escape", "stream": "openai", "seq": 1, "issued": "2026-11-23T10:00:00Z"}
    keep_received(home, "openai", ReceivedBulletin(header, {"indicators": records}))
    listed = _export(home, "--format", "txt", "--type", "user_agent")
    assert listed.exit_code == 0 and listed.stdout == "curl/8.5.0\n"
    assert "2 user_agent value(s) left out" in listed.stderr
    refused = _export(home, "--format", "misp", "--out", str(tmp_path / "events"))
    assert refused.exit_code == 1 and "bulletin id '../escape' cannot name a file" in refused.output
    assert not (tmp_path / "escape.json").exists() and not (tmp_path / "events").exists()
