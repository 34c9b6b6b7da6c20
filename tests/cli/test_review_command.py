"""`dtix review`: lists what is held, decides it with who and why, errors in one line."""

from typer.testing import CliRunner

from sharing.cli import app
from sharing.collect import collect_lab
from sharing.exchange import Exchange
from sharing.federation import inbox_path, load_federation
from sharing.issuing import issue_bulletin
from tests.conftest import NOW, write_feed

runner = CliRunner()


def _run(home, *args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["review", *args, "--home", str(home.root)])


def _hold_one(home) -> None:  # type: ignore[no-untyped-def]
    with home.federation_file.open("a") as toml:
        toml.write('\n[review]\nrules = ["single-lab-block"]\n')
    inbox = inbox_path(home, load_federation(home).participant("google"))
    seen = "2026-11-20T10:00:00Z"
    write_feed(
        inbox / "g.jsonl",
        [{"type": "ipv4", "value": "198.51.100.9", "seen": seen, "confidence": 99}],
    )
    exchange = Exchange.open(home.root, now=NOW)
    collect_lab(exchange, "google", now=NOW)
    assert issue_bulletin(exchange, "openai", now=NOW) is None


def test_review_lists_then_decides(home) -> None:  # type: ignore[no-untyped-def]
    assert "nothing is held" in _run(home).output
    _hold_one(home)
    listed = _run(home)
    assert listed.exit_code == 0 and "single-lab-block" in listed.output
    done = _run(home, "--approve", "1", "--by", "dana", "--why", "seen it too")
    assert done.exit_code == 0, done.output
    assert "approved by dana" in done.output
    assert "nothing is held" in _run(home).output


def test_review_errors_are_one_line(home) -> None:  # type: ignore[no-untyped-def]
    _hold_one(home)
    unknown = _run(home, "--reject", "7", "--by", "dana", "--why", "no")
    assert unknown.exit_code == 1 and "no held item 7" in unknown.output
    nameless = _run(home, "--approve", "1")
    assert nameless.exit_code == 1 and "--by" in nameless.output
    assert "Traceback" not in nameless.output
