"""Objects a lab adds to its inbox collection become a submission, like a file it dropped.

The objects that are STIX 2.1 objects at all are written as one STIX 2.1 bundle into the
lab's hub inbox (`taxii-<status id>.json`, written under a hidden name and renamed), so
the next `dtix collect` validates, quarantines and merges them exactly as a submitted
bundle. The answer is a TAXII status resource, kept so that it can be asked for again.
"""

import json
import re
import uuid
from datetime import datetime
from typing import Any

from sharing.atomic_files import write_atomically
from sharing.exchange import Exchange
from sharing.store.taxii_tables import TaxiiStatus
from sharing.taxii.error_message import TaxiiError
from sharing.taxii.lab_collections import LabCollection
from sharing.taxii.media import taxii_time

MAX_CONTENT_LENGTH = 10 << 20
_TYPE = re.compile(r"[a-z0-9][a-z0-9-]{1,248}[a-z0-9]")
_UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


def add_objects(
    exchange: Exchange, collection: LabCollection, body: bytes, *, now: datetime
) -> dict[str, Any]:
    """Check the envelope, write what it holds into the lab's inbox, record the status."""
    objects = _envelope_objects(body)
    status_id = str(uuid.uuid4())
    successes, failures, kept = [], [], []
    for index, obj in enumerate(objects):
        problem = _problem(obj)
        if problem is not None:
            ident = obj.get("id") if isinstance(obj, dict) else None
            failures.append({"id": str(ident or f"objects[{index}]"), "message": problem})
            continue
        kept.append(obj)
    name = None
    if kept:
        name = f"taxii-{status_id}.json"
        bundle = {"type": "bundle", "id": f"bundle--{status_id}", "objects": kept}
        write_atomically(exchange.inbox(collection.lab) / name, json.dumps(bundle).encode())
        message = f"submitted as {name}; the hub's next collection validates it"
        successes = [{"id": o["id"], "version": _version(o), "message": message} for o in kept]
    row = TaxiiStatus(
        id=status_id,
        participant=collection.lab,
        collection=collection.id,
        requested=now,
        file=name,
        successes=json.dumps(successes),
        failures=json.dumps(failures),
    )
    with exchange.session() as session:
        session.add(row)
        session.commit()
    return status_resource(row)


def find_status(exchange: Exchange, lab: str, status_id: str) -> dict[str, Any] | None:
    """The status of one of `lab`'s adds; None for an unknown id or another lab's."""
    with exchange.session() as session:
        row = session.get(TaxiiStatus, status_id)
    if row is None or row.participant != lab:
        return None
    return status_resource(row)


def status_resource(row: TaxiiStatus) -> dict[str, Any]:
    """The TAXII status resource of a finished add."""
    successes, failures = json.loads(row.successes), json.loads(row.failures)
    resource: dict[str, Any] = {
        "id": row.id,
        "status": "complete",
        "request_timestamp": taxii_time(row.requested),
        "total_count": len(successes) + len(failures),
        "success_count": len(successes),
        "failure_count": len(failures),
        "pending_count": 0,
    }
    if successes:
        resource["successes"] = successes
    if failures:
        resource["failures"] = failures
    return resource


def _envelope_objects(body: bytes) -> list[Any]:
    try:
        envelope = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise TaxiiError(400, "the request body is not JSON") from None
    objects = envelope.get("objects") if isinstance(envelope, dict) else None
    if not isinstance(objects, list) or not objects:
        raise TaxiiError(422, "the body must be a TAXII envelope with a non-empty 'objects' list")
    return objects


def _problem(obj: Any) -> str | None:
    """Why an object cannot be submitted, or None: it must look like a STIX 2.1 object."""
    if not isinstance(obj, dict):
        return "not a JSON object"
    kind = obj.get("type")
    if not isinstance(kind, str) or not _TYPE.fullmatch(kind) or kind == "bundle":
        return "'type' must name a STIX object type"
    ident = obj.get("id")
    if not isinstance(ident, str) or not re.fullmatch(f"{re.escape(kind)}--{_UUID}", ident):
        return f"'id' must be '{kind}--' followed by a UUID"
    if obj.get("spec_version") != "2.1":
        return "only STIX 2.1 objects are accepted ('spec_version' must be '2.1')"
    return None


def _version(obj: dict[str, Any]) -> str:
    return str(obj.get("modified") or obj.get("created") or "")
