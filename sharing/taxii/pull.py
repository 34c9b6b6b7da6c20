"""The collector for labs that publish over TAXII 2.1: pull what is new, drop it in the inbox.

It pages through the source collection with `added_after` set to a cursor kept in the
hub's store (the X-TAXII-Date-Added-Last of the last complete pull), writes the objects
as STIX 2.1 bundles into the lab's hub inbox, and only then moves the cursor: a crash in
between pulls the same objects again, into a file with the same name and bytes, which
collection recognises. `dtix collect` then validates and quarantines them like any
submitted bundle. Under `strict_submissions` nothing is pulled: pulled objects carry no
lab signature, and the federation has asked for signed submissions only.
"""

import hashlib
import json
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
from sqlmodel import select

from sharing.atomic_files import write_atomically
from sharing.errors import DtixError
from sharing.exchange import Exchange
from sharing.store.taxii_tables import TaxiiCursor
from sharing.taxii.media import TAXII_MEDIA, is_taxii, parse_taxii_time
from sharing.taxii.sources import TaxiiSource, taxii_sources

PAGE_SIZE = 500
MAX_PAGES = 10_000
OBJECTS_PER_FILE = 50_000
_NAMESPACE = uuid.UUID("5b1e7c0a-94d2-5f3e-8c61-3a7d0e9b2f48")


class PullFailed(DtixError):
    """A TAXII source could not be read; the message names the source and why."""


@dataclass(frozen=True)
class PullReport:
    lab: str
    objects: int
    files: list[Path] = field(default_factory=list)
    cursor: str | None = None  # the added_after the next pull starts from


def pull_lab(exchange: Exchange, lab: str, *, now: datetime) -> PullReport | None:
    """Pull `lab`'s TAXII source, or None when federation.toml names none for it."""
    source = taxii_sources(exchange.home, exchange.federation).get(lab)
    return None if source is None else pull_source(exchange, source, now=now)


def pull_source(
    exchange: Exchange, source: TaxiiSource, *, now: datetime, client: httpx.Client | None = None
) -> PullReport:
    """Pull everything added to `source` since the last pull into the lab's inbox."""
    if exchange.federation.strict_submissions:
        raise PullFailed(
            f"TAXII source of '{source.lab}': not pulled, since strict_submissions takes "
            "signed submissions only and objects pulled over TAXII carry no lab signature"
        )
    token = source.token()
    cursor = _cursor(exchange, source)
    owned = client is None
    client = client or httpx.Client(timeout=60.0)
    try:
        objects, last = _fetch(client, source, token, cursor.added_after if cursor else None)
    finally:
        if owned:
            client.close()
    files = [
        _write_bundle(exchange.inbox(source.lab), objects[start : start + OBJECTS_PER_FILE])
        for start in range(0, len(objects), OBJECTS_PER_FILE)
    ]
    if last is not None:
        _save_cursor(exchange, source, cursor, last, now)
    return PullReport(source.lab, len(objects), files, last)


def _fetch(
    client: httpx.Client, source: TaxiiSource, token: str, added_after: str | None
) -> tuple[list[dict[str, Any]], str | None]:
    """Every object (each version once) added after `added_after`, and the new cursor."""
    headers = {"Accept": TAXII_MEDIA, "Authorization": f"Bearer {token}"}
    params = {"limit": str(PAGE_SIZE), **({"added_after": added_after} if added_after else {})}
    found: dict[tuple[str, str], dict[str, Any]] = {}
    last = added_after
    for _ in range(MAX_PAGES):
        envelope, page_last = _page(client, source, headers, params)
        for obj in envelope.get("objects", []):
            found[(obj["id"], str(obj.get("modified") or obj.get("created") or ""))] = obj
        last = page_last or last
        if envelope.get("more") is not True:
            return list(found.values()), last
        params.pop("next", None)
        if isinstance(envelope.get("next"), str) and envelope["next"]:
            params["next"] = envelope["next"]
        elif page_last:
            params["added_after"] = page_last
        else:
            raise PullFailed(f"{source.objects_url}: 'more' without 'next' or a date added")
    raise PullFailed(f"{source.objects_url}: more than {MAX_PAGES} pages; pull again later")


def _page(
    client: httpx.Client, source: TaxiiSource, headers: dict[str, str], params: dict[str, str]
) -> tuple[dict[str, Any], str | None]:
    where = source.objects_url
    try:
        response = client.get(where, headers=headers, params=params)
    except httpx.HTTPError as exc:
        raise PullFailed(f"{where}: {exc}") from None
    if response.status_code != 200:
        raise PullFailed(f"{where}: HTTP {response.status_code}{_described(response)}")
    if not is_taxii(response.headers.get("content-type")):
        raise PullFailed(f"{where}: answered {response.headers.get('content-type')!r}, not TAXII")
    try:
        envelope = response.json()
    except ValueError:
        raise PullFailed(f"{where}: the envelope is not JSON") from None
    objects = envelope.get("objects", []) if isinstance(envelope, dict) else None
    if not isinstance(objects, list) or not all(
        isinstance(o, dict) and isinstance(o.get("id"), str) for o in objects
    ):
        raise PullFailed(f"{where}: not a TAXII envelope of STIX objects")
    last = response.headers.get("X-TAXII-Date-Added-Last")
    if objects and (last is None or parse_taxii_time(last) is None):
        raise PullFailed(f"{where}: objects without an X-TAXII-Date-Added-Last timestamp")
    return envelope, last


def _described(response: httpx.Response) -> str:
    """': <title>: <description>' of a TAXII error message, when the body is one."""
    try:
        body = response.json()
    except ValueError:
        return ""
    if not isinstance(body, dict) or "title" not in body:
        return ""
    return f": {body['title']}: {body.get('description', '')}".rstrip(": ")


def _write_bundle(inbox: Path, objects: list[dict[str, Any]]) -> Path:
    """A STIX 2.1 bundle named after its content, so a repeated pull repeats the file."""
    content = json.dumps(objects, sort_keys=True).encode()
    digest = hashlib.sha256(content).hexdigest()
    bundle = {
        "type": "bundle",
        "id": f"bundle--{uuid.uuid5(_NAMESPACE, digest)}",
        "objects": objects,
    }
    path = inbox / f"taxii-pull-{digest[:16]}.json"
    write_atomically(path, json.dumps(bundle, sort_keys=True).encode())
    return path


def _cursor(exchange: Exchange, source: TaxiiSource) -> TaxiiCursor | None:
    with exchange.session() as session:
        query = select(TaxiiCursor).where(
            TaxiiCursor.lab == source.lab, TaxiiCursor.source == source.objects_url
        )
        return session.exec(query).first()


def _save_cursor(
    exchange: Exchange, source: TaxiiSource, cursor: TaxiiCursor | None, last: str, now: datetime
) -> None:
    with exchange.session() as session:
        row = cursor or TaxiiCursor(
            lab=source.lab, source=source.objects_url, added_after=last, pulled=now
        )
        row.added_after, row.pulled = last, now
        session.add(row)
        session.commit()
