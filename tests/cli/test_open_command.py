"""`dtix open`: the three output formats, --accept-gap, and refusals as one line."""

import json

from stix2patterns.validator import validate
from typer.testing import CliRunner

from sharing.cli import app
from tests.conftest import NOW
from tests.receiving import stream
from tests.stix_validation import assert_valid_stix

runner = CliRunner()


def _open(home, path, *extra: str):  # type: ignore[no-untyped-def]
    args = ["open", str(path), "--as", "openai", "--home", str(home.root), *extra]
    return runner.invoke(app, args)


def _files(home, tmp_path, count: int):  # type: ignore[no-untyped-def]
    paths = []
    for i, data in enumerate(stream(home, count, issued=NOW.replace(year=2099)), start=1):
        path = tmp_path / f"openai-{i:06d}.dtix.json"
        path.write_bytes(data)
        paths.append(path)
    return paths


def test_stix_output_is_a_bundle_with_tlp_markings(home, tmp_path) -> None:  # type: ignore[no-untyped-def]
    [path] = _files(home, tmp_path, 1)
    result = _open(home, path, "--format", "stix")
    assert result.exit_code == 0, result.output
    assert_valid_stix(result.stdout)
    bundle = json.loads(result.stdout)
    kinds = [o["type"] for o in bundle["objects"]]
    assert bundle["type"] == "bundle" and kinds.count("indicator") == 1
    marking, indicator = bundle["objects"][0], bundle["objects"][kinds.index("indicator")]
    assert marking["name"] == "TLP:AMBER"
    assert indicator["object_marking_refs"] == [marking["id"]]
    assert indicator["pattern"] == "[ipv4-addr:value = '45.155.205.1']"
    assert validate(indicator["pattern"], stix_version="2.1")


def test_jsonl_and_csv(home, tmp_path) -> None:  # type: ignore[no-untyped-def]
    first, second = _files(home, tmp_path, 2)
    jsonl = _open(home, first)
    assert jsonl.exit_code == 0 and json.loads(jsonl.stdout)["value"] == "45.155.205.1"
    csv = _open(home, second, "--format", "csv")
    assert csv.exit_code == 0 and csv.stdout.splitlines()[1].startswith("ipv4,45.155.205.2")


def test_a_gap_is_refused_in_one_line_unless_accepted(home, tmp_path) -> None:  # type: ignore[no-untyped-def]
    first, _, third = _files(home, tmp_path, 3)
    assert _open(home, first).exit_code == 0
    refused = _open(home, third)
    assert refused.exit_code == 1 and "gap: openai seq 3 follows seq 1" in refused.output
    assert "Traceback" not in refused.output
    assert _open(home, third, "--accept-gap").exit_code == 0
    assert "replay" in _open(home, third).output
    assert _open(home, third, "--format", "xml").exit_code != 0
