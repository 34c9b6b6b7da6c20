"""The collector pulls from a lab's own TAXII 2.1 server (here another dtix hub's server on
loopback) into the lab's inbox; the cursor keeps it from pulling anything twice, and the
pulled bundle is collected like a submitted one."""

import json
import re
from collections import Counter
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select
from typer.testing import CliRunner

from sharing.cli import app
from sharing.collect import collect_lab, pending_submissions
from sharing.errors import FederationError
from sharing.exchange import Exchange
from sharing.federation import load_federation
from sharing.store.taxii_tables import TaxiiCursor
from sharing.taxii.app import taxii_app
from sharing.taxii.lab_collections import collection_id
from sharing.taxii.pull import PullFailed, pull_lab
from sharing.taxii.sources import taxii_sources
from sharing.taxii.tokens import issue_token
from tests.conftest import NOW
from tests.taxii.running import (
    SERVED_AT,
    exchanged,
    founded,
    ip,
    issue_all,
    make_strict,
    serving,
    submit,
)

TOKEN_ENV = "DTIX_TEST_TAXII_TOKEN"


@pytest.fixture
def pulling(tmp_path, monkeypatch) -> Iterator[dict[str, Any]]:  # type: ignore[no-untyped-def]
    """Hub A, whose lab anthropic publishes on a TAXII server: the server of hub B, where
    anthropic's feed is what B's bulletins gave B's openai."""
    with founded(tmp_path / "source") as source, founded(tmp_path / "fed") as home:
        exchanged(source)
        b = Exchange.open(source.root, now=NOW)
        monkeypatch.setenv(TOKEN_ENV, issue_token(b, "openai", now=NOW).token)
        clock = [SERVED_AT]
        with serving(taxii_app(source.root, clock=lambda: clock[0])) as url:
            wanted = collection_id(b.federation, "openai", "bulletins")
            with home.federation_file.open("a") as toml:
                toml.write(
                    f'\n[taxii_sources.anthropic]\nurl = "{url}/api"\n'
                    f'collection = "{wanted}"\ntoken_env = "{TOKEN_ENV}"\n'
                )
            yield {"home": home, "source": source, "clock": clock}


def _kinds(path: Path) -> Counter[str]:
    """How many objects of each type a pulled bundle holds."""
    bundle = json.loads(path.read_text())
    assert bundle["type"] == "bundle"
    return Counter(o["type"] for o in bundle["objects"])


def test_pull_then_collect_then_only_what_is_new(pulling) -> None:  # type: ignore[no-untyped-def]
    exchange = Exchange.open(pulling["home"].root, now=SERVED_AT)
    first = pull_lab(exchange, "anthropic", now=SERVED_AT)
    assert first is not None and len(first.files) == 1
    assert (
        _kinds(first.files[0])["indicator"] == 10
        and first.objects == _kinds(first.files[0]).total()
    )
    assert first.cursor == "2026-11-23T11:00:00.000000Z"
    assert pending_submissions(exchange, "anthropic") == first.files
    report = collect_lab(exchange, "anthropic", now=SERVED_AT)
    assert (report.submissions, report.accepted, report.quarantined) == (1, 10, 0)

    again = pull_lab(exchange, "anthropic", now=SERVED_AT)
    assert again is not None and (again.objects, again.files) == (0, [])
    assert pending_submissions(exchange, "anthropic") == []

    later = SERVED_AT + timedelta(hours=1)
    submit(pulling["source"], "google", "g3.jsonl", [ip("192.0.2.50")], later)
    issue_all(pulling["source"], later)
    pulling["clock"][0] = later + timedelta(minutes=1)
    new = pull_lab(exchange, "anthropic", now=later)
    assert new is not None and _kinds(new.files[0])["indicator"] == 1
    assert new.cursor is not None and new.cursor > first.cursor
    report = collect_lab(exchange, "anthropic", now=later)
    assert (report.accepted, report.indicators_new) == (1, 1)


def test_a_repeated_pull_repeats_the_file_which_is_recognised(pulling) -> None:  # type: ignore[no-untyped-def]
    """As after a crash between writing the bundle and moving the cursor."""
    exchange = Exchange.open(pulling["home"].root, now=SERVED_AT)
    first = pull_lab(exchange, "anthropic", now=SERVED_AT)
    collect_lab(exchange, "anthropic", now=SERVED_AT)
    with exchange.session() as session:
        session.delete(session.exec(select(TaxiiCursor)).one())
        session.commit()
    repeated = pull_lab(exchange, "anthropic", now=SERVED_AT)
    assert first is not None and repeated is not None
    assert [p.name for p in repeated.files] == [p.name for p in first.files]
    assert collect_lab(exchange, "anthropic", now=SERVED_AT).already_collected == 1


def test_strict_submissions_pull_nothing(pulling) -> None:  # type: ignore[no-untyped-def]
    make_strict(pulling["home"])
    exchange = Exchange.open(pulling["home"].root, now=SERVED_AT)
    with pytest.raises(PullFailed, match="strict_submissions"):
        pull_lab(exchange, "anthropic", now=SERVED_AT)
    assert pending_submissions(exchange, "anthropic") == []


def test_a_refused_token_names_the_source_and_the_reason(pulling, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    exchange = Exchange.open(pulling["home"].root, now=SERVED_AT)
    monkeypatch.setenv(TOKEN_ENV, "wrong")
    with pytest.raises(PullFailed, match="HTTP 401: Unauthorized: a valid API token"):
        pull_lab(exchange, "anthropic", now=SERVED_AT)
    monkeypatch.delenv(TOKEN_ENV)
    with pytest.raises(FederationError, match=TOKEN_ENV):
        pull_lab(exchange, "anthropic", now=SERVED_AT)
    assert pull_lab(exchange, "google", now=SERVED_AT) is None  # no source for google


def test_dtix_taxii_pull(pulling) -> None:  # type: ignore[no-untyped-def]
    root = str(pulling["home"].root)
    result = CliRunner().invoke(app, ["taxii", "pull", "--home", root, "--lab", "anthropic"])
    assert result.exit_code == 0, result.output
    assert re.search(r"anthropic: \d+ objects from http://127\.0\.0\.1:\d+/api/", result.output)
    assert "taxii-pull-" in result.output
    result = CliRunner().invoke(app, ["taxii", "pull", "--home", root])
    assert result.exit_code == 0 and "0 objects" in result.output and "nothing new" in result.output


def test_dtix_taxii_pull_without_sources(home) -> None:  # type: ignore[no-untyped-def]
    result = CliRunner().invoke(app, ["taxii", "pull", "--home", str(home.root)])
    assert result.exit_code == 0 and "no TAXII source to pull" in result.output


@pytest.mark.parametrize(
    ("table", "error"),
    [
        ('[taxii_sources.hub]\nurl = "https://x/api/"', "is the hub"),
        ('[taxii_sources.mistral]\nurl = "https://x/api/"', "unknown participant"),
        ('[taxii_sources.openai]\nurl = "ftp://x/"', "url must be"),
        (
            '[taxii_sources.openai]\nurl = "https://x/"\ncollection = "a b"',
            "collection must be",
        ),
        (
            '[taxii_sources.openai]\nurl = "https://x/"\ncollection = "c"\ntoken_env = "A-B"',
            "token_env must name",
        ),
        (
            '[taxii_sources.openai]\nurl = "https://x/"\ncollection = "c"\ntoken_env = "T"\n'
            'token = "secret"',
            "unknown key 'token'",
        ),
        ('taxii_sources = "none"', "must be a table"),
    ],
)
def test_source_tables_are_checked(home, table: str, error: str) -> None:  # type: ignore[no-untyped-def]
    text = home.federation_file.read_text()
    home.federation_file.write_text(
        table + "\n" + text if table.startswith("taxii_sources =") else text + "\n" + table + "\n"
    )
    with pytest.raises(FederationError, match=error):
        taxii_sources(home, load_federation(home))


def test_a_source_table_survives_saving_the_federation(home) -> None:  # type: ignore[no-untyped-def]
    from sharing.federation import save_federation

    with home.federation_file.open("a") as toml:
        toml.write('\n[taxii_sources.openai]\nurl = "https://x/api"\ncollection = "c"\n')
        toml.write('token_env = "T"\n')
    save_federation(home, load_federation(home))
    [source] = taxii_sources(home, load_federation(home)).values()
    assert (source.lab, source.objects_url) == ("openai", "https://x/api/collections/c/objects/")


def test_the_exchange_flows_pull_task(pulling) -> None:  # type: ignore[no-untyped-def]
    """The scheduled exchange pulls each lab that has a source before collecting."""
    from flows.exchange import pull

    root = str(pulling["home"].root)
    assert pull.fn(root, "anthropic", SERVED_AT) > 10
    assert pull.fn(root, "google", SERVED_AT) == 0  # no source
    inbox = Exchange.open(root, now=SERVED_AT).inbox("anthropic")
    assert len(list(inbox.glob("taxii-pull-*.json"))) == 1
