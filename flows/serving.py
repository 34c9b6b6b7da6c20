"""Serve the scheduled deployments from this process (`dtix serve`).

Needs a running Prefect server (`prefect server start`, with PREFECT_API_URL pointing at it).
The schedules match prefect.yaml, which deploys the same flows to a work pool instead.
"""

from prefect import serve
from prefect.deployments.runner import RunnerDeployment

from flows.advisories import advisories
from flows.exchange import exchange

EXCHANGE_INTERVAL_SECONDS = 3600
ADVISORIES_CRON = "0 6 * * *"


def scheduled_deployments(home: str) -> list[RunnerDeployment]:
    """The hourly exchange and the daily advisories for the federation in `home`."""
    return [
        exchange.to_deployment(
            name="exchange-hourly",
            interval=EXCHANGE_INTERVAL_SECONDS,
            parameters={"home": home},
            concurrency_limit=1,
        ),
        advisories.to_deployment(
            name="advisories-daily",
            cron=ADVISORIES_CRON,
            parameters={"home": home},
            concurrency_limit=1,
        ),
    ]


def serve_deployments(home: str) -> None:
    """Serve both deployments until interrupted."""
    serve(*scheduled_deployments(home))
