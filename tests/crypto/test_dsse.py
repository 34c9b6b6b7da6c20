"""DSSE v1: the PAE known answer, signing, and every way an envelope is refused."""

import base64
import copy

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from sharing.crypto import pae, sign_envelope, verify_envelope
from sharing.errors import BulletinRejected

TYPE = "application/vnd.dtix.bulletin+json"
KEY = Ed25519PrivateKey.generate()
OTHER = Ed25519PrivateKey.generate()
TRUSTED = {"hub": KEY.public_key()}
BODY = b'\xfb\xff\xbf{"id":"b1"}'


def test_pae_known_answer_from_the_dsse_spec() -> None:
    assert (
        pae("http://example.com/HelloWorld", b"hello world")
        == b"DSSEv1 29 http://example.com/HelloWorld 11 hello world"
    )


def test_pae_counts_bytes_not_characters() -> None:
    assert pae("t\u00e9", b"") == b"DSSEv1 3 t\xc3\xa9 0 "


def test_sign_produces_a_standard_base64_envelope() -> None:
    envelope = sign_envelope(TYPE, BODY, KEY, "hub")
    assert envelope["payloadType"] == TYPE
    assert envelope["payload"] == base64.b64encode(BODY).decode()
    assert envelope["payload"].startswith("+/+/")  # the standard alphabet, not base64url
    [signature] = envelope["signatures"]
    assert signature["keyid"] == "hub"
    KEY.public_key().verify(base64.b64decode(signature["sig"]), pae(TYPE, BODY))


def test_verify_returns_type_body_and_signer() -> None:
    envelope = sign_envelope(TYPE, BODY, KEY, "hub")
    assert verify_envelope(envelope, TRUSTED) == (TYPE, BODY, "hub")


def test_a_trusted_signature_among_others_is_enough() -> None:
    envelope = sign_envelope(TYPE, BODY, KEY, "hub")
    stranger = sign_envelope(TYPE, BODY, OTHER, "stranger")["signatures"][0]
    forged = {"keyid": "hub", "sig": stranger["sig"]}
    envelope["signatures"] = [stranger, forged, *envelope["signatures"]]
    assert verify_envelope(envelope, TRUSTED)[2] == "hub"


def _changed(change) -> dict:
    envelope = copy.deepcopy(sign_envelope(TYPE, BODY, KEY, "hub"))
    change(envelope)
    return envelope


REJECTED = {
    "not a dict": None,
    "unknown keyid": _changed(lambda e: e["signatures"][0].update(keyid="nobody")),
    "signed by another key": sign_envelope(TYPE, BODY, OTHER, "hub"),
    "payload changed": _changed(lambda e: e.update(payload=base64.b64encode(b"x").decode())),
    "type changed": _changed(lambda e: e.update(payloadType="text/plain")),
    "no signatures": _changed(lambda e: e.update(signatures=[])),
    "signatures not a list": _changed(lambda e: e.update(signatures={})),
    "signature not an object": _changed(lambda e: e.update(signatures=["sig"])),
    "signature missing sig": _changed(lambda e: e["signatures"][0].pop("sig")),
    "bad base64 payload": _changed(lambda e: e.update(payload="%%%")),
    "non-ascii base64": _changed(lambda e: e.update(payload="\u00e9")),
    "bad base64 sig": _changed(lambda e: e["signatures"][0].update(sig="***")),
    "payload not a string": _changed(lambda e: e.update(payload=1)),
    "type not a string": _changed(lambda e: e.update(payloadType=None)),
    "lone surrogate type": _changed(lambda e: e.update(payloadType="\udc00")),
    "extra field": _changed(lambda e: e.update(extra=1)),
    "keyid not a string": _changed(lambda e: e["signatures"][0].update(keyid=1)),
}


@pytest.mark.parametrize("envelope", list(REJECTED.values()), ids=list(REJECTED))
def test_bad_envelopes_are_rejected(envelope: object) -> None:
    with pytest.raises(BulletinRejected):
        verify_envelope(envelope, TRUSTED)


def test_not_a_dict_is_rejected() -> None:
    for envelope in (None, [], "envelope", 1):
        with pytest.raises(BulletinRejected):
            verify_envelope(envelope, TRUSTED)
