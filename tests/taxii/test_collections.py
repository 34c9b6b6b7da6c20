"""The TAXII server read with taxii2-client over loopback: discovery, each lab's own
collections only, objects paged, filtered by added_after and match[...], the manifest, and
exactly the indicators the lab's bulletins carried (the policy's one code path)."""

from collections.abc import Iterator
from typing import Any

import pytest
from sqlmodel import select
from taxii2client.v21 import ApiRoot, Collection, Server, as_pages

from sharing.exchange import Exchange
from sharing.received_store import current_indicators
from sharing.receiver import receive_bulletin
from sharing.stix_export import stix_objects
from sharing.store.models import Bulletin
from sharing.taxii.app import taxii_app
from sharing.taxii.lab_collections import collection_id
from sharing.taxii.media import taxii_time
from sharing.taxii.tokens import issue_token
from tests.conftest import NOW
from tests.taxii.running import LATER, SERVED_AT, BearerAuth, exchanged, founded, serving

LABS = ("anthropic", "openai", "google")


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """A hub after two rounds, its TAXII server, and one token per lab."""
    with founded(tmp_path_factory.mktemp("taxii") / "fed") as home:
        exchanged(home)
        exchange = Exchange.open(home.root, now=NOW)
        tokens = {lab: issue_token(exchange, lab, now=NOW).token for lab in LABS}
        with serving(taxii_app(home.root, clock=lambda: SERVED_AT)) as url:
            yield {"home": home, "exchange": exchange, "url": url, "tokens": tokens}


def _root(hub: dict[str, Any], lab: str) -> ApiRoot:
    server = Server(f"{hub['url']}/taxii2/", auth=BearerAuth(hub["tokens"][lab]))
    assert server.default is not None
    return server.default


def _bulletins(hub: dict[str, Any], lab: str) -> Collection:
    root = _root(hub, lab)
    return next(c for c in root.collections if c.alias == f"{lab}-bulletins")


def _all(pages: Iterator[dict[str, Any]]) -> list[dict[str, Any]]:
    return [obj for page in pages for obj in page.get("objects", [])]


def test_discovery_and_api_root(hub) -> None:  # type: ignore[no-untyped-def]
    server = Server(f"{hub['url']}/taxii2/", auth=BearerAuth(hub["tokens"]["openai"]))
    assert server.title == "dtix: dtix"
    assert [r.url for r in server.api_roots] == [f"{hub['url']}/api/"]
    root = server.default
    assert root is not None and root.versions == ["application/taxii+json;version=2.1"]
    assert root.max_content_length == 10 << 20


def test_each_lab_sees_its_own_two_collections_only(hub) -> None:  # type: ignore[no-untyped-def]
    federation = hub["exchange"].federation
    for lab in LABS:
        listed = {(c.id, c.alias, c.can_read, c.can_write) for c in _root(hub, lab).collections}
        assert listed == {
            (collection_id(federation, lab, "bulletins"), f"{lab}-bulletins", True, False),
            (collection_id(federation, lab, "inbox"), f"{lab}-inbox", False, True),
        }
    other = collection_id(federation, "google", "bulletins")
    stranger = Collection(
        f"{hub['url']}/api/collections/{other}/", auth=BearerAuth(hub["tokens"]["openai"])
    )
    with pytest.raises(Exception, match="404"):
        stranger.get_objects()


def test_pages_follow_on_and_hold_every_object_once(hub) -> None:  # type: ignore[no-untyped-def]
    collection = _bulletins(hub, "openai")
    whole = collection.get_objects()["objects"]
    pages = list(as_pages(collection.get_objects, per_request=3))
    sizes = [3] * (len(whole) // 3) + ([len(whole) % 3] if len(whole) % 3 else [])
    assert [len(p["objects"]) for p in pages] == sizes and len(pages) > 3
    assert [p["more"] for p in pages] == [True] * (len(pages) - 1) + [False]
    assert [o["id"] for p in pages for o in p["objects"]] == [o["id"] for o in whole]
    assert len({(o["id"], o.get("modified")) for o in whole}) == len(whole)
    kinds = [o["type"] for o in whole]
    assert kinds.count("indicator") == 10 and kinds.count("marking-definition") == 2


def test_added_after_returns_the_later_bulletin_only(hub) -> None:  # type: ignore[no-untyped-def]
    collection = _bulletins(hub, "openai")
    later = collection.get_objects(added_after=NOW)["objects"]
    indicators = sorted(o["name"] for o in later if o["type"] == "indicator")
    assert indicators == ["ipv4 192.0.2.8", "ipv4 192.0.2.9"]
    assert all(o["modified"] == "2026-11-23T11:00:00.000Z" for o in later)
    assert collection.get_objects(added_after=LATER).get("objects") is None


def test_match_type_id_and_version(hub) -> None:  # type: ignore[no-untyped-def]
    collection = _bulletins(hub, "openai")
    markings = collection.get_objects(type="marking-definition")["objects"]
    assert {m["name"] for m in markings} == {"TLP:AMBER", "TLP:GREEN"}
    first = collection.get_objects(type="indicator")["objects"][0]
    assert collection.get_objects(id=first["id"])["objects"] == [first]
    assert collection.get_object(first["id"])["objects"] == [first]
    assert collection.get_objects(id=first["id"], version="first")["objects"] == [first]
    assert collection.get_objects(id=first["id"], version=first["modified"])["objects"] == [first]
    assert (
        collection.get_objects(id=first["id"], version="2020-01-01T00:00:00Z").get("objects")
        is None
    )
    assert collection.get_objects(spec_version="2.0").get("objects") is None
    versions = collection.object_versions(first["id"])
    assert versions == {"more": False, "versions": [first["modified"]]}


def test_manifest_lists_date_added_and_versions(hub) -> None:  # type: ignore[no-untyped-def]
    collection = _bulletins(hub, "openai")
    manifest = _all(as_pages(collection.get_manifest, per_request=5))
    objects = collection.get_objects()["objects"]
    assert [m["id"] for m in manifest] == [o["id"] for o in objects]
    assert {m["media_type"] for m in manifest} == {"application/stix+json;version=2.1"}
    added = {m["id"]: m["date_added"] for m in manifest}
    later = {o["id"] for o in objects if o.get("modified") == "2026-11-23T11:00:00.000Z"}
    assert {added[i] for i in later} == {taxii_time(LATER)}
    assert {added[i] for i in added if i not in later} == {taxii_time(NOW)}


def test_a_collection_holds_what_the_labs_bulletins_carried(hub) -> None:  # type: ignore[no-untyped-def]
    """The indicators each lab's collection serves are the STIX objects of the records its
    own bulletins gave it, opened the way the lab opens them: one code path for policy."""
    home, exchange = hub["home"], hub["exchange"]
    for lab in LABS:
        with exchange.session() as session:
            sealed = session.exec(
                select(Bulletin.sealed).where(Bulletin.stream == lab).order_by(Bulletin.seq)
            ).all()
        received = [receive_bulletin(home, lab, data, now=SERVED_AT) for data in sealed]
        assert received, f"{lab} got no bulletin"
        latest: dict[str, dict[str, Any]] = {}
        for bulletin in received:
            made = stix_objects(
                bulletin.indicators,
                created=bulletin.header["issued"],
                federation=exchange.federation.name,
            )
            for obj in made:
                latest[obj["id"]] = obj
        current = current_indicators(received, SERVED_AT)
        names = {f"{r['type']} {r['value']}" for r in current}
        expected = sorted(
            (o for o in latest.values() if o["type"] == "indicator" and o["name"] in names),
            key=lambda o: o["id"],
        )
        served = _all(as_pages(_bulletins(hub, lab).get_objects, per_request=4))
        indicators = sorted((o for o in served if o["type"] == "indicator"), key=lambda o: o["id"])
        assert indicators == expected
        assert {
            o["id"]: o for o in served
        } == latest  # every object, as the lab's bundles last had it
        refs = {ref for o in indicators for ref in o["object_marking_refs"]}
        assert refs <= {o["id"] for o in served if o["type"] == "marking-definition"}
    openai = {o["name"] for o in _all(as_pages(_bulletins(hub, "openai").get_objects))}
    assert "ipv4 203.0.113.9" not in openai  # only openai reported it: not sent back to it
    assert "ipv4 198.51.100.99" not in openai  # RED without an audience
