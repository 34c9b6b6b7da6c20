"""The real `review` flow: it pauses for input while items are held; resumed with an
analyst's decision it applies it and issues the approved item. Nothing goes out before."""

import threading
import time

import pytest
from sqlmodel import select

from flows.approval import ReviewInput, review
from sharing.approval import pending_items
from sharing.collect import collect_lab
from sharing.exchange import Exchange
from sharing.federation import inbox_path, load_federation
from sharing.issuing import issue_bulletin
from sharing.store.models import Bulletin
from tests.conftest import NOW, write_feed

pytestmark = pytest.mark.flow


def _paused_run_id(deadline: float):  # type: ignore[no-untyped-def]
    from prefect import get_client
    from prefect.client.schemas.sorting import FlowRunSort

    with get_client(sync_client=True) as client:
        while time.monotonic() < deadline:
            for run in client.read_flow_runs(sort=FlowRunSort.START_TIME_DESC, limit=20):
                if run.flow_id and run.state and run.state.is_paused():
                    return run.id
            time.sleep(0.5)
    raise AssertionError("the review flow never paused")


def test_review_flow_pauses_then_applies_the_decision(home, prefect_harness) -> None:  # type: ignore[no-untyped-def]
    from prefect.flow_runs import resume_flow_run

    with home.federation_file.open("a") as toml:
        toml.write('\n[review]\nrules = ["single-lab-block"]\n')
    seen = "2026-11-20T10:00:00Z"
    inbox = inbox_path(home, load_federation(home).participant("google"))
    write_feed(
        inbox / "g.jsonl",
        [{"type": "ipv4", "value": "198.51.100.9", "seen": seen, "confidence": 99}],
    )
    exchange = Exchange.open(home.root, now=NOW)
    collect_lab(exchange, "google", now=NOW)
    assert issue_bulletin(exchange, "openai", now=NOW) is None
    (item,) = pending_items(exchange)
    result: dict[str, object] = {}
    runner = threading.Thread(
        target=lambda: result.update(n=review(str(home.root), timeout_seconds=120, now=NOW))
    )
    runner.start()
    run_id = _paused_run_id(time.monotonic() + 90)
    with exchange.session() as session:
        assert session.exec(select(Bulletin)).all() == []  # paused: nothing sent yet
    decision = ReviewInput(by="dana", why="confirmed by our own logs", approve=[item.id])
    resume_flow_run(run_id, run_input=decision.model_dump())
    runner.join(timeout=120)
    assert result.get("n") == 1
    assert pending_items(exchange) == []
    with exchange.session() as session:
        streams = {row.stream for row in session.exec(select(Bulletin))}
    assert streams == {"anthropic", "openai"}  # google reported it; the others receive it
