"""`dtix serve`: the deployments of prefect.yaml on a Prefect server, run by a worker of the
`process` work pool, the same way on a laptop as on a cluster (docs/operations.md).

Uses the server PREFECT_API_URL names, or starts one on this machine; then creates the work
pool if missing, runs `prefect deploy --all` with DTIX_HOME set, and starts a worker. On
Ctrl-C or SIGTERM it stops every process it started.
"""

import os
import signal
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

from prefect.settings import get_current_settings

from flows.child_processes import ChildProcesses
from flows.local_server import DEFAULT_HOST, DEFAULT_PORT, api_answers, start_local_server, ui_url
from flows.work_pool import WORK_POOL, deploy_prefect_yaml, ensure_process_pool, start_worker
from sharing.errors import DtixError


def serve(
    home: Path, *, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, say: Callable[[str], None]
) -> None:
    """Serve the deployments for the federation in `home` until Ctrl-C or SIGTERM, then stop
    every process started here."""
    processes = ChildProcesses()
    try:
        with _signals_interrupt():
            _start(processes, home.resolve(), host=host, port=port, say=say)
            say("Ctrl-C stops the worker and any server `dtix serve` started")
            while (ended := processes.first_exited()) is None:
                time.sleep(1.0)
            tail = ended.log_tail()
            raise DtixError(f"{ended.name} stopped (exit {ended.process.returncode})\n{tail}")
    except KeyboardInterrupt:
        say("stopping")
    finally:
        with _signals_ignored():
            processes.stop()


def _start(
    processes: ChildProcesses, home: Path, *, host: str, port: int, say: Callable[[str], None]
) -> None:
    configured = get_current_settings().api.url  # PREFECT_API_URL, from the environment or profile
    env = dict(os.environ)
    api_url = configured or f"http://{host}:{port}/api"
    if api_answers(api_url):
        say(f"using the Prefect server at {api_url}")
    elif configured is not None:
        raise DtixError(
            f"PREFECT_API_URL is {configured}, which does not answer: start that server,"
            " or unset PREFECT_API_URL and `dtix serve` starts one on this machine"
        )
    else:  # Prefect's database and logs beside the federation, as for `dtix demo`
        env.setdefault("PREFECT_HOME", str(home / "prefect"))
        log = Path(env["PREFECT_HOME"]) / "server.log"
        say(f"starting a Prefect server on {host}:{port} (log: {log})")
        api_url = start_local_server(processes, host=host, port=port, env=env, log=log)
    if ensure_process_pool(api_url):
        say(f"created the process work pool {WORK_POOL!r}")
    for deployment in deploy_prefect_yaml(api_url, home, env=env):
        say(f"deployed {deployment.name} (home {home}) on work pool {WORK_POOL!r}")
    worker = start_worker(processes, api_url, env=env)
    say(f"started a worker of {WORK_POOL!r} (pid {worker.process.pid})")
    say(f"Prefect UI: {ui_url(api_url)}   PREFECT_API_URL={api_url}")


@contextmanager
def _signals_interrupt() -> Iterator[None]:
    """Treat SIGTERM like Ctrl-C, so that the children are stopped either way."""

    def interrupt(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextmanager
def _signals_ignored() -> Iterator[None]:
    """A second Ctrl-C must not cut the stopping short and leave children running."""
    previous = {s: signal.signal(s, signal.SIG_IGN) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
