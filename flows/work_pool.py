"""The `dtix` process work pool: create it, deploy prefect.yaml's deployments to it, start
its worker. `dtix serve` and an operator's `prefect` commands do the same (docs/operations.md).
"""

import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from prefect.client.orchestration import SyncPrefectClient
from prefect.client.schemas.actions import WorkPoolCreate
from prefect.client.schemas.filters import (
    DeploymentFilter,
    DeploymentFilterName,
    WorkPoolFilter,
    WorkPoolFilterName,
)
from prefect.client.schemas.responses import DeploymentResponse
from prefect.client.schemas.sorting import DeploymentSort
from prefect.exceptions import ObjectNotFound
from prefect.workers.process import ProcessWorker

from flows.child_processes import Child, ChildProcesses
from flows.local_server import prefect_command
from sharing.errors import DtixError

PREFECT_FILE = Path(__file__).resolve().parents[1] / "prefect.yaml"
WORK_POOL = "dtix"
DEPLOY_TIMEOUT_SECONDS = 300.0


def declared_deployments(prefect_file: Path = PREFECT_FILE) -> list[dict[str, Any]]:
    """The deployments prefect.yaml declares, as written there."""
    if not prefect_file.is_file():
        raise DtixError(f"{prefect_file} is missing: `dtix serve` runs from a dtix source tree")
    return list(yaml.safe_load(prefect_file.read_text("utf-8"))["deployments"])


def ensure_process_pool(api_url: str, name: str = WORK_POOL) -> bool:
    """Create the `process` work pool `name` unless it exists; whether it was created."""
    with SyncPrefectClient(api_url) as client:
        try:
            client.read_work_pool(name)
            return False
        except ObjectNotFound:
            template = ProcessWorker.get_default_base_job_template()
            client.create_work_pool(
                WorkPoolCreate(name=name, type="process", base_job_template=template)
            )
            return True


def deploy_prefect_yaml(
    api_url: str, home: Path, *, env: Mapping[str, str], prefect_file: Path = PREFECT_FILE
) -> list[DeploymentResponse]:
    """`prefect deploy --all` for the federation in `home`; the deployments it made."""
    names = [d["name"] for d in declared_deployments(prefect_file)]
    deploy_env = {**env, "DTIX_HOME": str(home.resolve()), "PREFECT_API_URL": api_url}
    argv = prefect_command("--no-prompt", "deploy", "--all", "--prefect-file", str(prefect_file))
    try:
        done = subprocess.run(
            argv,
            env=deploy_env,
            cwd=prefect_file.parent,
            capture_output=True,
            text=True,
            timeout=DEPLOY_TIMEOUT_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise DtixError(
            f"`prefect deploy --all` did not finish within {DEPLOY_TIMEOUT_SECONDS:.0f} s"
        ) from None
    deployed = _read_deployments(api_url, names) if done.returncode == 0 else []
    if {d.name for d in deployed} != set(names):
        output = "\n".join((done.stdout + done.stderr).splitlines()[-20:])
        raise DtixError(
            f"`prefect deploy --all` (exit {done.returncode}) did not deploy "
            f"{', '.join(names)} from {prefect_file}:\n{output}"
        )
    return deployed


def _read_deployments(api_url: str, names: list[str]) -> list[DeploymentResponse]:
    with SyncPrefectClient(api_url) as client:
        return client.read_deployments(
            deployment_filter=DeploymentFilter(name=DeploymentFilterName(any_=names)),
            work_pool_filter=WorkPoolFilter(name=WorkPoolFilterName(any_=[WORK_POOL])),
            limit=len(names) + 10,
            sort=DeploymentSort.NAME_ASC,
        )


def start_worker(
    processes: ChildProcesses,
    api_url: str,
    *,
    env: Mapping[str, str],
    pool: str = WORK_POOL,
    log: Path | None = None,
) -> Child:
    """`prefect worker start --pool POOL`; its flow runs inherit `env` (DTIX_*, passphrase)."""
    argv = prefect_command("worker", "start", "--pool", pool, "--type", "process")
    return processes.start("Prefect worker", argv, env={**env, "PREFECT_API_URL": api_url}, log=log)
