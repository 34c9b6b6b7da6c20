"""dtix on a real Prefect server: `prefect server start` on its own PostgreSQL database, the
`dtix` process work pool, the deployments of prefect.yaml and a worker, each a real process.
A run of the exchange deployment, triggered through the API, delivers bulletins that every
lab opens and leaves an audit log that verifies; the scheduler creates the scheduled runs.

The dtix store is on a PostgreSQL schema of its own (DTIX_DATABASE_URL), as on a cluster.
"""

import os
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from uuid import UUID

import psycopg
import pytest
from prefect.client.orchestration import SyncPrefectClient
from prefect.client.schemas.filters import (
    LogFilter,
    LogFilterFlowRunId,
)
from prefect.client.schemas.objects import FlowRun, StateType
from sqlalchemy.engine import make_url

from flows.child_processes import ChildProcesses, descendants
from flows.local_server import start_local_server
from flows.work_pool import deploy_prefect_yaml, ensure_process_pool, start_worker
from sharing.audit.reading import read_entries
from sharing.checkpoints import verify_audit
from sharing.clock import utcnow
from sharing.demo import synthesize_feeds
from sharing.exchange import Exchange
from sharing.founding import found_federation
from sharing.home import Home
from sharing.receiver import receive_bulletin
from tests.conftest import fast_argon2, postgres_store
from tests.flows.local_processes import ended, free_port
from tests.flows.scheduled_runs import scheduled_runs

POSTGRES_URL = os.environ.get("DTIX_TEST_POSTGRES_URL")
RUN_TIMEOUT_SECONDS = 150.0
LABS = ("anthropic", "openai", "google")


@pytest.mark.postgres
@pytest.mark.flow
@pytest.mark.skipif(not POSTGRES_URL, reason="DTIX_TEST_POSTGRES_URL is not set")
def test_an_exchange_run_on_a_prefect_server_with_a_worker(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, prefect_database: str, store_schema: str
) -> None:
    monkeypatch.setenv("DTIX_PASSPHRASE", "correct horse battery staple")
    monkeypatch.delenv("DTIX_HOME", raising=False)
    home = Home(tmp_path / "federation")
    found_federation(home, now=utcnow(), argon2=fast_argon2())
    feeds = synthesize_feeds(home, scale=0.0002, seed=7, now=utcnow())
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env |= {
        "PREFECT_HOME": str(tmp_path / "prefect"),
        "PREFECT_API_DATABASE_CONNECTION_URL": prefect_database,
        "PREFECT_WORKER_QUERY_SECONDS": "1",  # pick the run up at once, not within 10 s
    }
    processes = ChildProcesses()
    started: list[tuple[int, str]] = []
    try:
        server_log = tmp_path / "server.log"
        api_url = start_local_server(processes, port=free_port(), env=env, log=server_log)
        assert ensure_process_pool(api_url) is True
        deployed = {d.name: d for d in deploy_prefect_yaml(api_url, home.root, env=env)}
        worker = start_worker(processes, api_url, env=env, log=tmp_path / "worker.log")
        exchange = deployed["exchange-hourly"]
        with SyncPrefectClient(api_url) as client:
            run = client.create_flow_run_from_deployment(exchange.id)
            finished = _wait_until_final(client, run.id, processes)
            started = [(c.process.pid, "") for c in processes.children]
            started += [p for c in processes.children for p in descendants(c.process.pid)]
            summary = _summary_logged(client, run.id)
            scheduled = scheduled_runs(client, exchange.id)
        assert finished.state is not None
        assert finished.state.type == StateType.COMPLETED, worker.log_tail(40)
        assert summary.startswith(f"collected {len(feeds.files)} submissions"), summary
        assert scheduled, f"the scheduler made no run:\n{_tail(server_log)}"
        assert all(r.parameters["home"] == str(home.root.resolve()) for r in scheduled)
    finally:
        processes.stop()
    assert [pid for pid, _ in started if not ended(pid)] == []

    opened = {lab: _open_every_bulletin(home, lab) for lab in LABS}
    assert all(count > 0 for count in opened.values()), opened
    exchange_store = Exchange.open(home.root, now=utcnow())
    report = verify_audit(exchange_store)
    assert report.checkpoints == 1
    with exchange_store.session() as session:
        actions = [entry["action"] for entry in read_entries(session)]
    assert actions.count("submission-received") == sum(len(f) for f in feeds.files.values())
    assert actions.count("bulletin-issued") == actions.count("bulletin-delivered") == len(LABS)
    assert {"indicators-merged", "advisory-published"} <= set(actions)
    assert report.size == len(actions)


@pytest.fixture
def prefect_database() -> Iterator[str]:
    """A PostgreSQL database of its own for the Prefect server, dropped at the end."""
    assert POSTGRES_URL
    name = f"dtix_prefect_{uuid.uuid4().hex[:12]}"
    admin = make_url(POSTGRES_URL).set(drivername="postgresql", query={})
    conninfo = admin.render_as_string(hide_password=False)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        url = admin.set(drivername="postgresql+asyncpg", database=name)
        yield url.render_as_string(hide_password=False)
    finally:
        with psycopg.connect(conninfo, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def store_schema(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The dtix store on a PostgreSQL schema of its own; the worker's flow runs inherit
    DTIX_DATABASE_URL from the environment, as they would on a cluster."""
    with postgres_store(monkeypatch) as schema:
        yield schema


def _wait_until_final(
    client: SyncPrefectClient, run_id: UUID, processes: ChildProcesses
) -> FlowRun:
    """The run once it has ended; bounded, and cut short if the server or worker dies."""
    deadline = time.monotonic() + RUN_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        run = client.read_flow_run(run_id)
        if run.state is not None and run.state.is_final():
            return run
        if (ended := processes.first_exited()) is not None:
            raise AssertionError(f"{ended.name} stopped:\n{ended.log_tail(40)}")
        time.sleep(0.5)
    raise AssertionError(f"flow run {run_id} did not end within {RUN_TIMEOUT_SECONDS:.0f} s")


def _summary_logged(client: SyncPrefectClient, run_id: UUID) -> str:
    """The run summary the flow logs last (the run's process sends its logs in batches, so
    they may arrive just after its final state); bounded."""
    of_the_run = LogFilter(flow_run_id=LogFilterFlowRunId(any_=[run_id]))
    for _ in range(60):
        messages = [log.message for log in client.read_logs(of_the_run, limit=200, offset=0)]
        if summary := next((m for m in messages if m.startswith("collected ")), None):
            return summary
        time.sleep(0.5)
    return ""


def _open_every_bulletin(home: Home, lab: str) -> int:
    """Open the lab's bulletins in order, as the lab would; how many indicators they held."""
    bulletins = sorted((home.root / "outbox" / lab).glob("*.dtix.json"))
    return sum(
        len(receive_bulletin(home, lab, path.read_bytes(), now=utcnow()).indicators)
        for path in bulletins
    )


def _tail(path: Path, lines: int = 40) -> str:
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
