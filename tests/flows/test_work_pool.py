"""The `dtix` process work pool on a real Prefect server: created once, and `prefect deploy
--all` makes exactly the deployments prefect.yaml declares, for the federation's home."""

import os
import uuid
from pathlib import Path

import pytest
from prefect.client.orchestration import SyncPrefectClient

from flows.work_pool import (
    WORK_POOL,
    declared_deployments,
    deploy_prefect_yaml,
    ensure_process_pool,
)
from sharing.errors import DtixError

pytestmark = pytest.mark.flow


@pytest.fixture
def api_url(prefect_harness) -> str:  # type: ignore[no-untyped-def]
    """The API of the session's Prefect test server (a real server process on SQLite)."""
    from prefect.settings import PREFECT_API_URL

    return str(PREFECT_API_URL.value())


def test_the_pool_is_created_once_as_a_process_pool(api_url: str) -> None:
    name = f"dtix-test-{uuid.uuid4().hex[:8]}"
    assert ensure_process_pool(api_url, name) is True
    assert ensure_process_pool(api_url, name) is False
    with SyncPrefectClient(api_url) as client:
        pool = client.read_work_pool(name)
    assert pool.type == "process"
    assert "working_dir" in pool.base_job_template["variables"]["properties"]


def test_deploy_makes_the_declared_deployments_for_the_home(api_url: str, home) -> None:  # type: ignore[no-untyped-def]
    ensure_process_pool(api_url)
    declared = {spec["name"]: spec for spec in declared_deployments()}
    for _ in range(2):  # deploying again updates the same deployments
        deployed = {d.name: d for d in deploy_prefect_yaml(api_url, home.root, env=os.environ)}
    assert set(deployed) == set(declared) == {"exchange-hourly", "advisories-daily"}
    for name, deployment in deployed.items():
        spec = declared[name]
        assert deployment.entrypoint == spec["entrypoint"]
        assert deployment.parameters == {**spec["parameters"], "home": str(home.root.resolve())}
        assert deployment.work_pool_name == WORK_POOL and not deployment.pull_steps
        assert deployment.global_concurrency_limit is not None
        assert deployment.global_concurrency_limit.limit == 1
    [hourly] = deployed["exchange-hourly"].schedules
    assert hourly.active and hourly.schedule.interval.total_seconds() == 3600
    [daily] = deployed["advisories-daily"].schedules
    assert (daily.schedule.cron, daily.schedule.timezone) == ("0 6 * * *", "UTC")


def test_deploy_without_prefect_yaml_says_where_it_looked(api_url: str, tmp_path: Path) -> None:
    missing = tmp_path / "prefect.yaml"
    with pytest.raises(DtixError, match=r"prefect\.yaml is missing"):
        deploy_prefect_yaml(api_url, tmp_path, env=os.environ, prefect_file=missing)
