"""A Prefect API server on this machine, for `dtix serve`: `prefect server start` as a child
process, ready once its /api/health answers.

Its database is SQLite under PREFECT_HOME, or PostgreSQL when
PREFECT_API_DATABASE_CONNECTION_URL is set (postgresql+asyncpg://...).
"""

import sys
import time
from collections.abc import Mapping
from pathlib import Path

import httpx

from flows.child_processes import Child, ChildProcesses
from sharing.errors import DtixError

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 4200
STARTUP_TIMEOUT_SECONDS = 120.0


def prefect_command(*args: str) -> list[str]:
    """The `prefect` command of the Python that runs dtix."""
    return [sys.executable, "-m", "prefect", *args]


def prefect_server_command(*args: str) -> list[str]:
    """`prefect server ARGS`, from the Python that runs dtix."""
    return prefect_command("server", *args)


def api_answers(api_url: str, timeout: float = 2.0) -> bool:
    """Whether a Prefect API at `api_url` (ending in /api) says it is healthy."""
    try:
        response = httpx.get(f"{api_url.rstrip('/')}/health", timeout=timeout)
    except httpx.HTTPError:
        return False
    return response.status_code == 200


def ui_url(api_url: str) -> str:
    """Where a browser finds the UI of the server at `api_url`."""
    return api_url.rstrip("/").removesuffix("/api")


def start_local_server(
    processes: ChildProcesses,
    *,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    env: Mapping[str, str],
    log: Path,
    timeout: float = STARTUP_TIMEOUT_SECONDS,
) -> str:
    """Start `prefect server start` on host:port and return its API URL once it answers."""
    server_env = {"PREFECT_SERVER_ANALYTICS_ENABLED": "false", **env}
    argv = prefect_server_command("start", "--host", host, "--port", str(port))
    child = processes.start("Prefect server", argv, env=server_env, log=log)
    api_url = f"http://{host}:{port}/api"
    wait_until_answers(api_url, child, timeout=timeout)
    return api_url


def wait_until_answers(api_url: str, child: Child, *, timeout: float) -> None:
    """Poll /api/health until it answers; fail with the child's last words if it ends first
    or `timeout` passes (a database migration on first start takes some seconds)."""
    deadline = time.monotonic() + timeout
    while not api_answers(api_url, timeout=1.0):
        if child.process.poll() is not None:
            raise DtixError(
                f"{child.name} stopped (exit {child.process.returncode}) before {api_url} "
                f"answered; see {child.log}:\n{child.log_tail()}"
            )
        if time.monotonic() > deadline:
            raise DtixError(f"{child.name} did not answer at {api_url} within {timeout:.0f} s")
        time.sleep(0.25)
