"""Serve the scheduled deployments from this process (`dtix serve`).

Needs a running Prefect server (`prefect server start`, with PREFECT_API_URL pointing at it).
"""

from prefect import serve

from flows.advisories import advisories
from flows.exchange import exchange

EXCHANGE_INTERVAL_SECONDS = 3600
ADVISORIES_CRON = "0 6 * * *"


def serve_deployments(home: str) -> None:
    """Hourly exchange and daily advisories for the federation in `home`, until interrupted."""
    serve(
        exchange.to_deployment(
            name="exchange-hourly", interval=EXCHANGE_INTERVAL_SECONDS, parameters={"home": home}
        ),
        advisories.to_deployment(
            name="advisories-daily", cron=ADVISORIES_CRON, parameters={"home": home}
        ),
    )
