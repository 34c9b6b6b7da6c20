"""The schedules: what `dtix serve` serves and what prefect.yaml deploys agree."""

from pathlib import Path

import yaml

from flows.serving import ADVISORIES_CRON, EXCHANGE_INTERVAL_SECONDS, scheduled_deployments

ROOT = Path(__file__).resolve().parents[2]


def test_served_deployments_have_schedules_and_run_one_at_a_time() -> None:
    exchange, advisories = scheduled_deployments("/srv/dtix")
    assert exchange.name == "exchange-hourly" and advisories.name == "advisories-daily"
    assert exchange.parameters == {"home": "/srv/dtix"}
    assert exchange.schedules[0].schedule.interval.total_seconds() == EXCHANGE_INTERVAL_SECONDS
    assert advisories.schedules[0].schedule.cron == ADVISORIES_CRON
    assert exchange.concurrency_limit == advisories.concurrency_limit == 1


def test_prefect_yaml_points_at_real_flows_with_the_same_schedules() -> None:
    document = yaml.safe_load((ROOT / "prefect.yaml").read_text())
    by_name = {d["name"]: d for d in document["deployments"]}
    assert by_name["exchange-hourly"]["schedules"][0]["interval"] == EXCHANGE_INTERVAL_SECONDS
    assert by_name["advisories-daily"]["schedules"][0]["cron"] == ADVISORIES_CRON
    for deployment in by_name.values():
        assert deployment["concurrency_limit"] == 1
        path, function = deployment["entrypoint"].split(":")
        assert f"def {function}(" in (ROOT / path).read_text()
