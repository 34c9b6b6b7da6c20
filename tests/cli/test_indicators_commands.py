"""`dtix indicators normalize`: output, rejects, the summary, and one-line errors."""

from pathlib import Path

import orjson
from typer.testing import CliRunner

from sharing.cli import app

runner = CliRunner()
SEEN = "2026-11-20T10:00:00Z"
FEED = f"type,value,seen\nipv4,203.0.113.7,{SEEN}\nipv4,010.0.0.1,{SEEN}\n"


def test_records_go_to_stdout_and_the_summary_to_stderr(tmp_path: Path) -> None:
    source = tmp_path / "feed.csv"
    source.write_text(FEED)
    result = runner.invoke(app, ["indicators", "normalize", str(source)])
    assert result.exit_code == 0, result.output
    assert [orjson.loads(line)["value"] for line in result.stdout.splitlines()] == ["203.0.113.7"]
    assert "2 records in, 1 out, 1 rejected (write them with --rejects FILE)" in result.stderr


def test_out_and_rejects_files_are_written(tmp_path: Path) -> None:
    source, out, rejects = tmp_path / "feed.csv", tmp_path / "out.jsonl", tmp_path / "rej.jsonl"
    source.write_text(FEED)
    args = ["indicators", "normalize", str(source), "--out", str(out), "--rejects", str(rejects)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert orjson.loads(out.read_bytes())["value"] == "203.0.113.7"
    reject = orjson.loads(rejects.read_bytes())
    assert (reject["line"], "leading zeros" in reject["reason"]) == (3, True)
    assert f"written to {rejects}" in result.stderr


def test_a_bad_file_is_one_line_and_exit_1(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("hello\n")
    for source in (tmp_path / "absent.csv", tmp_path / "notes.txt", tmp_path):
        out = tmp_path / "out.jsonl"
        result = runner.invoke(app, ["indicators", "normalize", str(source), "--out", str(out)])
        assert result.exit_code == 1
        assert result.output.startswith("dtix: error:") and result.output.count("\n") == 1
        assert "Traceback" not in result.output and not out.exists()
