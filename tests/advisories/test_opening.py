"""The lab's side: a sealed advisory opens once, in order, for its lab only; a CLEAR one is
checked by signature; neither is accepted as a bulletin, nor a bulletin as an advisory."""

import base64
import json
from datetime import timedelta

import pytest

from sharing.advisories.envelope import CONTENT_TYPE
from sharing.advisories.opening import open_advisory
from sharing.collect import collect_lab
from sharing.crypto import GENESIS_PREV, generate_keys, kid_for, seal_bulletin, sign_envelope
from sharing.encoding import canonical_json
from sharing.errors import BulletinRejected
from sharing.exchange import Exchange
from sharing.federation import inbox_path
from sharing.publishing import distribute_advisory
from sharing.receiver import receive_bulletin
from sharing.recipient_keys import sealing_keys
from tests.conftest import NOW, write_feed

V7 = "0707070707070707070707070707070707070707070707070707070707070707"

WEEK = timedelta(days=7)
SHARED = [
    {"type": "account_hash", "value": V7, "seen": "2026-11-20T10:00:00Z", "tlp": "amber",
     "tags": ["proxy-hydra"]},
]  # fmt: skip


def _sealed_exchange(home):  # type: ignore[no-untyped-def]
    exchange = Exchange.open(home.root, now=NOW)
    for confidence, lab in enumerate(("anthropic", "google"), start=60):
        records = [{**record, "confidence": confidence} for record in SHARED]  # distinct files
        write_feed(inbox_path(home, exchange.federation.participant(lab)) / "f.jsonl", records)
        collect_lab(exchange, lab, now=NOW)
    return exchange


def _distribute(exchange, lab, days=0):  # type: ignore[no-untyped-def]
    when = NOW + timedelta(days=days)
    path = distribute_advisory(exchange, lab, now=when, period=WEEK)
    assert path is not None
    return path.read_bytes()


def test_a_sealed_advisory_opens_once_and_in_order(home) -> None:  # type: ignore[no-untyped-def]
    exchange = _sealed_exchange(home)
    first, second = _distribute(exchange, "openai"), _distribute(exchange, "openai", days=1)
    with pytest.raises(BulletinRejected, match="gap"):
        open_advisory(home, "openai", second, now=NOW + timedelta(days=1))
    received = open_advisory(home, "openai", first, now=NOW)
    assert received.sealed and received.tlp.value == "amber"
    assert [i["value"] for i in received.indicators] == [V7]
    assert set(received.documents) == {"text/markdown", "text/html", "text/plain"}
    assert received.documents["text/plain"].startswith("TLP:AMBER\n")
    with pytest.raises(BulletinRejected, match="replay"):
        open_advisory(home, "openai", first, now=NOW)
    assert open_advisory(home, "openai", second, now=NOW + timedelta(days=1)).sealed


def test_a_sealed_advisory_is_for_its_lab_only_and_tamper_evident(home) -> None:  # type: ignore[no-untyped-def]
    data = _distribute(_sealed_exchange(home), "openai")
    with pytest.raises(BulletinRejected, match="not for you"):
        open_advisory(home, "google", data, now=NOW)
    sealed = json.loads(data)
    sealed["ciphertext"] = sealed["ciphertext"][:-4] + (
        "AAAA" if sealed["ciphertext"][-4:] != "AAAA" else "BBBB"
    )
    with pytest.raises(BulletinRejected, match="tampered"):
        open_advisory(home, "openai", json.dumps(sealed).encode(), now=NOW)


def test_bulletins_and_advisories_are_never_taken_for_each_other(home) -> None:  # type: ignore[no-untyped-def]
    exchange = _sealed_exchange(home)
    advisory = _distribute(exchange, "openai")
    with pytest.raises(BulletinRejected, match="openai/advisories"):
        receive_bulletin(home, "openai", advisory, now=NOW)
    fields = {"id": "b-1", "stream": "openai", "seq": 1, "prev": GENESIS_PREV}
    body = {**fields, "audience": ["openai"], "issued": "2026-11-23T10:00:00Z",
            "expires": "2026-11-30T10:00:00Z", "indicators": []}  # fmt: skip
    bulletin = seal_bulletin(
        **fields,
        issued=NOW,
        expires=NOW + WEEK,
        body=canonical_json(body),
        sender=exchange.hub_keys(),
        recipients=sealing_keys(exchange.federation.lab("openai"), NOW),
    )
    with pytest.raises(BulletinRejected, match="not an advisory for openai"):
        open_advisory(home, "openai", bulletin, now=NOW)


def test_a_clear_advisory_is_checked_by_its_signature(home) -> None:  # type: ignore[no-untyped-def]
    data = _distribute(Exchange.open(home.root, now=NOW), "google")
    received = open_advisory(home, "google", data, now=NOW)
    assert not received.sealed and received.tlp.value == "clear" and received.indicators == []
    with pytest.raises(BulletinRejected, match="not addressed to openai"):
        open_advisory(home, "openai", data, now=NOW)
    envelope = json.loads(data)
    payload = json.loads(base64.b64decode(envelope["payload"]))
    payload["tlp"] = "red"
    envelope["payload"] = base64.b64encode(canonical_json(payload)).decode()
    with pytest.raises(BulletinRejected):
        open_advisory(home, "google", json.dumps(envelope).encode(), now=NOW)


def test_an_advisory_signed_by_anyone_but_the_hub_is_refused(home) -> None:  # type: ignore[no-untyped-def]
    data = _distribute(Exchange.open(home.root, now=NOW), "google")
    body = base64.b64decode(json.loads(data)["payload"])
    stranger = generate_keys().sign
    forged = sign_envelope(CONTENT_TYPE, body, stranger, kid_for(stranger.public_key()))
    with pytest.raises(BulletinRejected):
        open_advisory(home, "google", json.dumps(forged).encode(), now=NOW)
    with pytest.raises(BulletinRejected, match="not JSON"):
        open_advisory(home, "google", b"\xff not json", now=NOW)
