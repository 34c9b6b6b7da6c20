"""What a Prefect server's scheduler made for a deployment, for the serving tests."""

import time
from uuid import UUID

from prefect.client.orchestration import SyncPrefectClient
from prefect.client.schemas.filters import (
    FlowRunFilter,
    FlowRunFilterDeploymentId,
    FlowRunFilterState,
    FlowRunFilterStateType,
)
from prefect.client.schemas.objects import FlowRun, StateType


def scheduled_runs(client: SyncPrefectClient, deployment_id: UUID) -> list[FlowRun]:
    """The runs the server's scheduler made for the deployment (it runs every few seconds
    after a deployment changes); waits up to a minute for the first."""
    only_scheduled = FlowRunFilter(
        deployment_id=FlowRunFilterDeploymentId(any_=[deployment_id]),
        state=FlowRunFilterState(type=FlowRunFilterStateType(any_=[StateType.SCHEDULED])),
    )
    for _ in range(120):
        if runs := client.read_flow_runs(flow_run_filter=only_scheduled, limit=10):
            return runs
        time.sleep(0.5)
    return []
