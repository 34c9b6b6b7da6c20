"""A lab adds objects to its inbox collection with taxii2-client: the status resource says
what was taken, the bundle lands in its hub inbox, and collection merges it like a
submitted file. Under strict_submissions the inbox takes nothing."""

import json
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from sqlmodel import select
from taxii2client.v21 import ApiRoot, Collection

from sharing.collect import collect_lab, pending_submissions
from sharing.exchange import Exchange
from sharing.store.models import Contribution, Indicator, Submission
from sharing.taxii.app import taxii_app
from sharing.taxii.media import TAXII_MEDIA
from sharing.taxii.tokens import issue_token
from tests.conftest import NOW
from tests.taxii.running import BearerAuth, founded, make_strict, serving


def _indicator(value: str) -> dict[str, Any]:
    return {
        "type": "indicator",
        "spec_version": "2.1",
        "id": f"indicator--{uuid.uuid4()}",
        "created": "2026-11-20T10:00:00.000Z",
        "modified": "2026-11-20T10:00:00.000Z",
        "pattern": f"[ipv4-addr:value = '{value}']",
        "pattern_type": "stix",
        "valid_from": "2026-11-20T10:00:00Z",
        "confidence": 80,
    }


@pytest.fixture
def hub(hub_home) -> Iterator[dict[str, Any]]:  # type: ignore[no-untyped-def]
    """A hub on SQLite and, when configured, on PostgreSQL, serving TAXII; google's token."""
    exchange = Exchange.open(hub_home.root, now=NOW)
    token = issue_token(exchange, "google", now=NOW).token
    with serving(taxii_app(hub_home.root, clock=lambda: NOW)) as url:
        root = ApiRoot(f"{url}/api/", auth=BearerAuth(token))
        yield {"home": hub_home, "exchange": exchange, "root": root, "url": url, "token": token}


def _inbox(root: ApiRoot) -> Collection:
    return next(c for c in root.collections if c.alias == "google-inbox")


def test_added_objects_are_collected_like_a_submitted_bundle(hub) -> None:  # type: ignore[no-untyped-def]
    exchange, root = hub["exchange"], hub["root"]
    good = [_indicator("198.51.100.20"), _indicator("198.51.100.21")]
    old = {**_indicator("198.51.100.22"), "spec_version": "2.0"}
    envelope = {"objects": [*good, old, "not an object"]}
    status = _inbox(root).add_objects(envelope)
    assert status.status == "complete"
    assert (status.total_count, status.success_count, status.failure_count) == (4, 2, 2)
    assert [s["id"] for s in status.successes] == [o["id"] for o in good]
    assert status.successes[0]["version"] == "2026-11-20T10:00:00.000Z"
    assert [f["id"] for f in status.failures] == [old["id"], "objects[3]"]
    assert "2.1" in status.failures[0]["message"]
    again = root.get_status(status.id)
    assert again._raw == status._raw

    [waiting] = pending_submissions(exchange, "google")
    assert waiting.name == f"taxii-{status.id}.json"
    assert json.loads(waiting.read_text())["objects"] == good
    report = collect_lab(exchange, "google", now=NOW)
    assert (report.submissions, report.accepted, report.indicators_new) == (1, 2, 2)
    with exchange.session() as session:
        submission = session.exec(select(Submission)).one()
        merged = session.exec(
            select(Indicator.value).join(Contribution).where(Contribution.lab == "google")
        ).all()
    assert submission.filename == waiting.name and submission.signer is None
    assert sorted(merged) == ["198.51.100.20", "198.51.100.21"]


def test_a_lab_cannot_read_another_labs_status(hub) -> None:  # type: ignore[no-untyped-def]
    status = _inbox(hub["root"]).add_objects({"objects": [_indicator("198.51.100.30")]})
    other = issue_token(hub["exchange"], "openai", now=NOW).token
    response = httpx.get(
        f"{hub['url']}/api/status/{status.id}/",
        headers={"Accept": TAXII_MEDIA, "Authorization": f"Bearer {other}"},
    )
    assert response.status_code == 404 and response.json()["http_status"] == "404"


def test_nothing_is_written_when_no_object_is_stix_2_1(hub) -> None:  # type: ignore[no-untyped-def]
    status = _inbox(hub["root"]).add_objects({"objects": [{"type": "bundle", "id": "x"}]})
    assert (status.success_count, status.failure_count) == (0, 1)
    assert pending_submissions(hub["exchange"], "google") == []


def test_strict_submissions_close_the_inbox(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with founded(tmp_path / "fed") as home:
        make_strict(home)
        exchange = Exchange.open(home.root, now=NOW)
        assert exchange.federation.strict_submissions
        token = issue_token(exchange, "google", now=NOW).token
        with serving(taxii_app(home.root, clock=lambda: NOW)) as url:
            inbox = _inbox(ApiRoot(f"{url}/api/", auth=BearerAuth(token)))
            assert inbox.can_write is False
            response = httpx.post(
                inbox.objects_url,
                headers={
                    "Accept": TAXII_MEDIA,
                    "Content-Type": TAXII_MEDIA,
                    "Authorization": f"Bearer {token}",
                },
                content=json.dumps({"objects": [_indicator("198.51.100.40")]}),
            )
        assert (
            response.status_code == 403 and "signed submissions" in response.json()["description"]
        )
        assert pending_submissions(exchange, "google") == []
