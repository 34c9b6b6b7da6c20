"""`dtix advise`: renders on demand to standard output or a file; every mistake a person
can make is one line on standard error and exit status 1."""

from pathlib import Path

import pytest
from typer.testing import CliRunner

from sharing.cli import app
from tests.advisories.samples import html_errors

runner = CliRunner()


def _advise(home, *args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["advise", "--home", str(home.root), *args])


def test_prints_markdown_to_standard_output_by_default(home) -> None:  # type: ignore[no-untyped-def]
    result = _advise(home)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("**TLP:CLEAR**")
    assert "# Distillation campaign activity" in result.stdout


def test_writes_html_to_a_file_with_out(home, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "advisory.html"
    result = _advise(home, "--format", "html", "--out", str(target), "--period", "24h")
    assert result.exit_code == 0, result.output
    assert result.stdout == "" and str(target) in result.stderr
    assert html_errors(target.read_text()) == []


def test_a_technique_limits_the_advisory_and_titles_it(home) -> None:  # type: ignore[no-untyped-def]
    result = _advise(home, "--technique", "proxy-hydra", "--format", "txt", "--for", "openai")
    assert result.exit_code == 0, result.output
    assert "Distillation campaign activity: Proxy hydra networks" in result.stdout
    assert (
        "Technique: proxy-hydra" in result.stdout and "Proxy hydra networks\n---" in result.stdout
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--period", "7x"], "invalid period '7x'"),
        (["--period", "400d"], "invalid period '400d'"),
        (["--technique", "nope"], "unknown technique 'nope' (expected one of account-farming"),
        (["--format", "docx"], "unknown advisory format 'docx'"),
        (["--format", "pdf"], "--format pdf needs --out FILE"),
        (["--for", "hub"], "is the hub, not a lab"),
    ],
)
def test_mistakes_are_one_line_and_exit_1(home, args: list[str], message: str) -> None:  # type: ignore[no-untyped-def]
    result = _advise(home, *args)
    assert result.exit_code == 1
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.output and result.stdout == ""
