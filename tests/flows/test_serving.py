"""`dtix serve` (`make serve`): prefect.yaml declares real flows and their parameters; the
command says what is missing instead of failing; and a real `dtix serve` process starts a
Prefect server, the work pool, both deployments and a worker, and stops them all on SIGTERM."""

import importlib
import inspect
import os
import signal
import subprocess
import sys
import time
from contextlib import suppress
from pathlib import Path

import pytest
from prefect import Flow
from prefect.client.orchestration import SyncPrefectClient
from prefect.settings import PREFECT_API_URL, temporary_settings
from typer.testing import CliRunner

from flows import serving
from flows.child_processes import descendants
from flows.work_pool import WORK_POOL, declared_deployments
from sharing.cli import app
from sharing.errors import DtixError
from tests.flows.local_processes import ended, free_port
from tests.flows.scheduled_runs import scheduled_runs

READY = "Ctrl-C stops"


def _flow(entrypoint: str) -> Flow:  # type: ignore[type-arg]
    module, name = entrypoint.rsplit(".", 1)
    found = getattr(importlib.import_module(module), name)
    assert isinstance(found, Flow), entrypoint
    return found


def test_prefect_yaml_declares_real_flows_with_their_parameters() -> None:
    by_name = {spec["name"]: spec for spec in declared_deployments()}
    assert set(by_name) == {"exchange-hourly", "advisories-daily"}
    for spec in by_name.values():
        accepted = inspect.signature(_flow(spec["entrypoint"]).fn).parameters
        assert set(spec["parameters"]) <= set(accepted), spec["name"]
        assert spec["parameters"]["home"] == "{{ $DTIX_HOME }}"
        assert spec["concurrency_limit"] == 1 and spec["work_pool"]["name"] == WORK_POOL
    assert by_name["exchange-hourly"]["schedules"] == [{"interval": 3600, "active": True}]
    [daily] = by_name["advisories-daily"]["schedules"]
    assert (daily["cron"], daily["timezone"]) == ("0 6 * * *", "UTC")


def test_serve_without_a_federation_says_how_to_make_one(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["serve", "--home", str(tmp_path / "demo-output")])
    assert result.exit_code == 1
    assert "make demo" in result.output and "dtix init" in result.output
    assert "Traceback" not in result.output


def test_serve_refuses_a_prefect_api_url_that_does_not_answer(home) -> None:  # type: ignore[no-untyped-def]
    closed = f"http://127.0.0.1:{free_port()}/api"
    said: list[str] = []
    with temporary_settings({PREFECT_API_URL: closed}), pytest.raises(DtixError) as raised:
        serving.serve(home.root, say=said.append)
    assert closed in str(raised.value) and "does not answer" in str(raised.value)


@pytest.mark.flow
def test_dtix_serve_starts_everything_and_stops_it_on_sigterm(home, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env["PREFECT_HOME"] = str(tmp_path / "prefect")
    output = tmp_path / "serve.out"
    dtix = Path(sys.executable).parent / "dtix"
    argv = [str(dtix), "serve", "--home", str(home.root)]
    with output.open("wb") as out:
        serve = subprocess.Popen(
            [*argv, "--port", str(port)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    started: list[tuple[int, str]] = []
    try:
        _wait_for(output, READY, serve)
        started = descendants(serve.pid)
        api_url = f"http://127.0.0.1:{port}/api"
        with SyncPrefectClient(api_url) as client:
            assert client.read_work_pool(WORK_POOL).type == "process"
            deployment = client.read_deployment_by_name("exchange/exchange-hourly")
            assert scheduled_runs(client, deployment.id), "the scheduler made no run"
        assert deployment.parameters["home"] == str(home.root.resolve())
        text = output.read_text()
        assert f"Prefect UI: http://127.0.0.1:{port}" in text
        assert (tmp_path / "prefect" / "server.log").is_file()
        commands = [_command(pid) for pid, _ in started]
        assert any("prefect server start" in c for c in commands), commands
        assert any("worker start --pool dtix" in c for c in commands), commands

        serve.send_signal(signal.SIGTERM)
        assert serve.wait(timeout=60) == 0
        assert "stopping" in output.read_text()
        assert [pid for pid, _ in started if not ended(pid)] == []
    finally:
        _kill_everything(serve, started)


def _wait_for(output: Path, text: str, process: subprocess.Popen[bytes]) -> None:
    """Until `process` has written `text` (bounded: a first start migrates a database)."""
    for _ in range(1200):
        if text in output.read_text(errors="replace"):
            return
        if process.poll() is not None:
            raise AssertionError(f"dtix serve ended early:\n{output.read_text()}")
        time.sleep(0.1)
    raise AssertionError(f"dtix serve was not ready:\n{output.read_text()}")


def _command(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def _kill_everything(process: subprocess.Popen[bytes], started: list[tuple[int, str]]) -> None:
    """What a failed test leaves behind: the `dtix serve` group and each child's group."""
    for pid in [process.pid, *(pid for pid, _ in started)]:
        with suppress(ProcessLookupError, PermissionError):
            os.killpg(pid, signal.SIGKILL)
    process.wait()
