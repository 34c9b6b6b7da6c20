"""Refusals over raw HTTP: each is a TAXII error message with the right status code."""

import base64
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sharing.exchange import Exchange
from sharing.taxii.app import taxii_app
from sharing.taxii.callers import authenticated_lab
from sharing.taxii.error_message import TaxiiError
from sharing.taxii.lab_collections import collection_id
from sharing.taxii.media import TAXII_MEDIA
from sharing.taxii.tokens import issue_token, revoke_tokens
from tests.conftest import NOW
from tests.taxii.running import founded, serving

LIMIT = 4096


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    with founded(tmp_path_factory.mktemp("taxii") / "fed") as home:
        exchange = Exchange.open(home.root, now=NOW)
        token = issue_token(exchange, "openai", now=NOW).token
        revoked = issue_token(exchange, "openai", now=NOW)
        revoke_tokens(exchange, ref=revoked.ref, now=NOW)
        federation = exchange.federation
        ids = {
            (lab, kind): collection_id(federation, lab, kind)
            for lab in ("openai", "google")
            for kind in ("bulletins", "inbox")
        }
        app = taxii_app(home.root, clock=lambda: NOW, max_content_length=LIMIT)
        with serving(app) as url, httpx.Client(base_url=url) as client:
            yield {
                "client": client,
                "exchange": exchange,
                "token": token,
                "revoked": revoked.token,
                "ids": ids,
            }


def _headers(token: str | None, **extra: str) -> dict[str, str]:
    headers = {"Accept": TAXII_MEDIA, **extra}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    return headers


def _refused(response: httpx.Response, status: int) -> dict[str, Any]:
    """The TAXII error message of a response that must be refused with `status`."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == TAXII_MEDIA
    body = response.json()
    assert body["http_status"] == str(status) and body["title"] and body["description"]
    return body


def test_no_wrong_or_revoked_token_is_401(hub) -> None:  # type: ignore[no-untyped-def]
    client = hub["client"]
    for token in (None, "not-a-token", hub["revoked"]):
        response = client.get("/api/collections/", headers=_headers(token))
        _refused(response, 401)
        assert "Bearer" in response.headers["www-authenticate"]
    other_scheme = _headers(None, Authorization=f"Token {hub['token']}")
    _refused(client.get("/api/collections/", headers=other_scheme), 401)
    assert client.get("/api/collections/", headers=_headers(hub["token"])).status_code == 200


def test_basic_auth_takes_the_token_as_password(hub) -> None:  # type: ignore[no-untyped-def]
    client = hub["client"]
    ok = client.get("/api/", headers=_headers(None), auth=("openai", hub["token"]))
    assert ok.status_code == 200 and ok.json()["max_content_length"] == LIMIT
    _refused(client.get("/api/", headers=_headers(None), auth=("google", hub["token"])), 401)


def test_accept_must_name_taxii_2_1(hub) -> None:  # type: ignore[no-untyped-def]
    client, token = hub["client"], hub["token"]
    for accept in ("application/json", "*/*", "application/taxii+json;version=2.0"):
        _refused(client.get("/taxii2/", headers=_headers(token, Accept=accept)), 406)
    fine = "text/html, application/taxii+json"
    assert client.get("/taxii2/", headers=_headers(token, Accept=fine)).status_code == 200


def test_unknown_and_other_labs_collections_are_alike_404(hub) -> None:  # type: ignore[no-untyped-def]
    client, headers = hub["client"], _headers(hub["token"])
    unknown = _refused(client.get("/api/collections/nothing/objects/", headers=headers), 404)
    theirs = hub["ids"][("google", "bulletins")]
    other = _refused(client.get(f"/api/collections/{theirs}/objects/", headers=headers), 404)
    assert unknown["title"] == other["title"] == "Not Found"
    ours = hub["ids"][("openai", "bulletins")]
    missing = f"/api/collections/{ours}/objects/indicator--00000000-0000-4000-8000-000000000000/"
    _refused(client.get(missing, headers=headers), 404)
    _refused(client.get("/api/status/00000000-0000-4000-8000-000000000000/", headers=headers), 404)
    _refused(client.get("/api/elsewhere/", headers=headers), 404)


def test_inbox_is_write_only_and_bulletins_read_only(hub) -> None:  # type: ignore[no-untyped-def]
    client, headers = hub["client"], _headers(hub["token"], **{"Content-Type": TAXII_MEDIA})
    inbox, bulletins = hub["ids"][("openai", "inbox")], hub["ids"][("openai", "bulletins")]
    _refused(client.get(f"/api/collections/{inbox}/objects/", headers=headers), 403)
    _refused(client.get(f"/api/collections/{inbox}/manifest/", headers=headers), 403)
    posted = client.post(f"/api/collections/{bulletins}/objects/", headers=headers, content=b"{}")
    _refused(posted, 403)
    _refused(client.delete(f"/api/collections/{bulletins}/objects/", headers=headers), 405)


def test_posts_need_the_taxii_content_type_a_bounded_size_and_an_envelope(hub) -> None:  # type: ignore[no-untyped-def]
    client, token = hub["client"], hub["token"]
    url = f"/api/collections/{hub['ids'][('openai', 'inbox')]}/objects/"
    taxii = _headers(token, **{"Content-Type": TAXII_MEDIA})
    plain = _headers(token, **{"Content-Type": "application/json"})
    _refused(client.post(url, headers=plain, content=b'{"objects": []}'), 415)
    big = b'{"objects": [' + b" " * LIMIT + b"]}"
    _refused(client.post(url, headers=taxii, content=big), 413)

    def chunks() -> Iterator[bytes]:  # no Content-Length: the server counts as it reads
        yield from (b" " * 1024 for _ in range(LIMIT // 1024 + 2))

    _refused(client.post(url, headers=taxii, content=chunks()), 413)
    _refused(client.post(url, headers=taxii, content=b"not json"), 400)
    _refused(client.post(url, headers=taxii, content=b'{"objects": []}'), 422)
    _refused(client.post(url, headers=taxii, content=b'{"more": false}'), 422)


def test_malformed_filters_are_400(hub) -> None:  # type: ignore[no-untyped-def]
    client, headers = hub["client"], _headers(hub["token"])
    url = f"/api/collections/{hub['ids'][('openai', 'bulletins')]}/objects/"
    for params in (
        {"limit": "0"},
        {"limit": "ten"},
        {"next": "garbage!"},
        {"added_after": "yesterday"},
        {"match[version]": "newest"},
    ):
        _refused(client.get(url, headers=headers, params=params), 400)
    assert client.get(url, headers=headers, params={"match[colour]": "red"}).status_code == 200


@settings(max_examples=200, deadline=None)
@given(
    st.one_of(
        st.text(max_size=80),
        st.builds(
            lambda s, t: f"{s} {t}", st.sampled_from(["Bearer", "Basic", "basic"]), st.text()
        ),
        st.binary(max_size=60).map(lambda b: "Basic " + base64.b64encode(b).decode()),
    )
)
def test_any_authorization_header_is_a_lab_or_401(hub, header: str) -> None:  # type: ignore[no-untyped-def]
    try:
        lab = authenticated_lab(hub["exchange"], header)
    except TaxiiError as refused:
        assert refused.status == 401
    else:
        assert lab == "openai"  # the only live token here is openai's
