"""The hub's TAXII 2.1 server: discovery, one API root, two collections per lab.

`taxii_app(home)` builds the FastAPI application over the hub's store; `dtix taxii serve`
runs it with uvicorn. Every request carries a lab's API token (`Authorization: Bearer`,
or HTTP Basic with the token as password) and asks for `application/taxii+json`; every
refusal is a TAXII error message. docs/taxii.md describes the endpoints for outsiders.
"""

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Annotated

from fastapi import Depends, FastAPI, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from sharing.clock import utcnow
from sharing.exchange import Exchange
from sharing.lifetimes import Lifetimes
from sharing.taxii.callers import authenticated_lab
from sharing.taxii.error_message import TaxiiError
from sharing.taxii.inbox import MAX_CONTENT_LENGTH, add_objects, find_status
from sharing.taxii.lab_collections import LabCollection, collections_of, visible_collection
from sharing.taxii.media import STIX_MEDIA, TAXII_MEDIA, accepts_taxii, is_taxii, taxii_time
from sharing.taxii.queries import ObjectQuery
from sharing.taxii.responses import answer_errors_as_taxii, taxii
from sharing.taxii.stored_objects import LabObjects, StoredObject


def taxii_app(
    home: Path | str,
    *,
    clock: Callable[[], datetime] = utcnow,
    max_content_length: int = MAX_CONTENT_LENGTH,
) -> FastAPI:
    """The TAXII 2.1 application over the hub at `home`; `clock` gives "now" per request."""
    exchange = Exchange.open(home, now=clock())
    objects = LabObjects(exchange, Lifetimes.load(exchange.home))
    federation = exchange.federation
    app = FastAPI(title=f"dtix TAXII 2.1 ({federation.name})", openapi_url=None)
    answer_errors_as_taxii(app)

    def caller(request: Request) -> str:
        """The lab the request's token belongs to; 401 without one, 406 for a wrong Accept."""
        lab = authenticated_lab(exchange, request.headers.get("authorization"))
        if not accepts_taxii(request.headers.get("accept")):
            raise TaxiiError(406, f"the Accept header must name {TAXII_MEDIA}")
        return lab

    Lab = Annotated[str, Depends(caller)]

    def collection(lab: str, wanted: str) -> LabCollection:
        found = visible_collection(federation, lab, wanted)
        if found is None:
            raise TaxiiError(404, f"no collection {wanted!r} here")
        return found

    def readable(lab: str, wanted: str) -> list[StoredObject]:
        found = collection(lab, wanted)
        if not found.can_read:
            raise TaxiiError(403, "the inbox collection is write-only")
        return objects.of(lab, clock())

    def versions_of(lab: str, wanted: str, oid: str) -> list[StoredObject]:
        versions = [o for o in readable(lab, wanted) if o.id == oid]
        if not versions:
            raise TaxiiError(404, f"no object {oid!r} in this collection")
        return versions

    @app.get("/taxii2/")
    def discovery(request: Request, lab: Lab) -> JSONResponse:
        root = str(request.url_for("api_root"))
        return taxii(
            {
                "title": f"dtix: {federation.name}",
                "description": "What a dtix hub shares with the labs of its federation.",
                "default": root,
                "api_roots": [root],
            }
        )

    @app.get("/api/")
    def api_root(lab: Lab) -> JSONResponse:
        return taxii(
            {
                "title": f"{federation.name}: indicators for {lab}",
                "description": "One read collection and one inbox per lab.",
                "versions": [TAXII_MEDIA],
                "max_content_length": max_content_length,
            }
        )

    @app.get("/api/collections/")
    def list_collections(lab: Lab) -> JSONResponse:
        return taxii({"collections": [c.resource() for c in collections_of(federation, lab)]})

    @app.get("/api/collections/{cid}/")
    def get_collection(cid: str, lab: Lab) -> JSONResponse:
        return taxii(collection(lab, cid).resource())

    @app.get("/api/collections/{cid}/objects/")
    def get_objects(cid: str, request: Request, lab: Lab) -> JSONResponse:
        query = _query(request)
        page = query.page(query.select(readable(lab, cid)))
        return taxii(page.envelope("objects", [o.obj for o in page.items]), headers=page.headers())

    @app.get("/api/collections/{cid}/objects/{oid}/")
    def get_object(cid: str, oid: str, request: Request, lab: Lab) -> JSONResponse:
        versions = versions_of(lab, cid, oid)
        query = _query(request, ignore=("match[id]", "match[type]"))
        page = query.page(query.select(versions))
        return taxii(page.envelope("objects", [o.obj for o in page.items]), headers=page.headers())

    @app.get("/api/collections/{cid}/objects/{oid}/versions/")
    def get_versions(cid: str, oid: str, request: Request, lab: Lab) -> JSONResponse:
        versions = versions_of(lab, cid, oid)
        query = _query(request, ignore=("match[id]", "match[type]", "match[version]"))
        page = query.page(query.select(versions, by_version=False))
        return taxii(page.envelope("versions", [o.version for o in page.items]), page.headers())

    @app.get("/api/collections/{cid}/manifest/")
    def get_manifest(cid: str, request: Request, lab: Lab) -> JSONResponse:
        query = _query(request)
        page = query.page(query.select(readable(lab, cid)))
        records = [
            {
                "id": o.id,
                "date_added": taxii_time(o.date_added),
                "version": o.version,
                "media_type": STIX_MEDIA,
            }
            for o in page.items
        ]
        return taxii(page.envelope("objects", records), headers=page.headers())

    @app.post("/api/collections/{cid}/objects/")
    async def post_objects(cid: str, request: Request, lab: Lab) -> JSONResponse:
        target = collection(lab, cid)
        if not target.can_write:
            why = "signed submissions only (dtix submit)" if target.kind == "inbox" else "read-only"
            raise TaxiiError(403, f"this collection does not take objects: {why}")
        if not is_taxii(request.headers.get("content-type")):
            raise TaxiiError(415, f"the Content-Type must be {TAXII_MEDIA}")
        body = await _bounded_body(request, max_content_length)
        status = await run_in_threadpool(add_objects, exchange, target, body, now=clock())
        return taxii(status, status=202)

    @app.get("/api/status/{sid}/")
    @app.get("/api/status/{sid}", include_in_schema=False)
    def get_status(sid: str, lab: Lab) -> JSONResponse:
        found = find_status(exchange, lab, sid)
        if found is None:
            raise TaxiiError(404, f"no status {sid!r} here")
        return taxii(found)

    return app


def _query(request: Request, ignore: tuple[str, ...] = ()) -> ObjectQuery:
    params: dict[str, list[str]] = {}
    for name, value in request.query_params.multi_items():
        if name not in ignore:
            params.setdefault(name, []).append(value)
    return ObjectQuery.parse(params)


async def _bounded_body(request: Request, limit: int) -> bytes:
    """The request body; 413 as soon as it is known to be longer than `limit`."""
    too_large = TaxiiError(413, f"the body is larger than max_content_length ({limit} bytes)")
    declared = request.headers.get("content-length", "")
    if declared.isascii() and declared.isdigit() and int(declared) > limit:
        raise too_large
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise too_large
    return bytes(body)
