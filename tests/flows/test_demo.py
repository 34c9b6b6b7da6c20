"""`dtix demo` from an empty folder: every stage runs and the summary says where things are."""

import io
import json

import pytest
from rich.console import Console

from flows.exchange import exchange
from sharing.demo import run_demo
from sharing.errors import FederationError
from sharing.home import Home

pytestmark = pytest.mark.flow


def _flow(home: Home):  # type: ignore[no-untyped-def]
    return exchange(home=str(home.root))


def test_demo_runs_every_stage_and_can_be_replaced(tmp_path, monkeypatch, prefect_harness) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("DTIX_PASSPHRASE", "demo")
    home = Home(tmp_path / "demo")
    screen = io.StringIO()
    run_demo(home, scale=0.0002, reset=False, run_flow=_flow, console=Console(file=screen))
    text = screen.getvalue()
    assert "audit log verified" in text and "advisories" in text
    for lab in ("anthropic", "openai", "google"):
        assert list((home.root / "outbox" / lab).glob("*.dtix.json"))
        assert list((home.root / "received" / lab).glob("*/*.json"))  # each accepted bulletin
        assert list((home.root / "exports" / lab).glob("*.jsonl"))
        bundle = json.loads((home.root / "exports" / lab / "view.stix.json").read_text())
        assert {"identity", "indicator"} <= {o["type"] for o in bundle["objects"]}
    assert (home.root / "audit" / "checkpoint.txt").read_text().startswith("dtix.local/")
    with pytest.raises(FederationError, match="--reset"):
        run_demo(home, scale=0.0002, reset=False, run_flow=_flow, console=Console(file=screen))


def test_demo_never_replaces_a_folder_it_did_not_create(tmp_path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "precious"
    folder.mkdir()
    (folder / "thesis.txt").write_text("years of work")
    with pytest.raises(FederationError, match="not created by dtix demo"):
        run_demo(Home(folder), scale=0.0002, reset=True, run_flow=_flow, console=Console())
    assert (folder / "thesis.txt").exists()
