"""`dtix-advisory/1` envelopes: a fixed test vector (docs/advisories.md), and the checks a
reader runs on the signature, the content type, the shape and the audience.

Regenerate the vector deliberately with
`DTIX_UPDATE_GOLDEN=1 pytest tests/advisories/test_envelope.py -k vector`."""

import base64
import json
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from sharing.advisories.envelope import advisory_payload, sign_advisory, verify_advisory
from sharing.crypto import CONTENT_TYPE as BULLETIN_CONTENT_TYPE
from sharing.crypto import kid_for, sign_envelope
from sharing.encoding import canonical_json
from sharing.errors import BulletinRejected
from tests.advisories.samples import facts

VECTOR = Path(__file__).parents[1] / "golden" / "advisory-envelope.json"
SEED = bytes(range(32))
KEY = Ed25519PrivateKey.from_private_bytes(SEED)
TRUSTED = {kid_for(KEY.public_key()): KEY.public_key()}


def _payload() -> bytes:
    return advisory_payload(
        facts(indicators=facts().indicators[:1]),
        {"txt": "TLP:AMBER\nA short advisory.\nTLP:AMBER\n"},
        id="00000000-0000-4000-8000-000000000047",
        audience=["openai"],
        issued=datetime(2026, 11, 23, 10, 0, tzinfo=UTC),
    )


def test_matches_the_published_test_vector() -> None:
    vector = {
        "ed25519_seed_hex": SEED.hex(),
        "kid": kid_for(KEY.public_key()),
        "payload": _payload().decode("utf-8"),
        "envelope": sign_advisory(_payload(), KEY),
    }
    if os.environ.get("DTIX_UPDATE_GOLDEN") == "1":
        VECTOR.write_text(json.dumps(vector, indent=2, ensure_ascii=False) + "\n", "utf-8")
    assert vector == json.loads(VECTOR.read_text("utf-8"))
    payload = verify_advisory(vector["envelope"], TRUSTED, reader="openai")
    assert payload["format"] == "dtix-advisory/1" and payload["tlp"] == "amber"
    assert payload["documents"] == {"text/plain": "TLP:AMBER\nA short advisory.\nTLP:AMBER\n"}


def _resigned(change) -> dict:  # type: ignore[no-untyped-def,type-arg]
    payload = json.loads(_payload())
    change(payload)
    return sign_advisory(canonical_json(payload), KEY)


@pytest.mark.parametrize(
    ("envelope", "reason"),
    [
        (sign_envelope(BULLETIN_CONTENT_TYPE, _payload(), KEY, next(iter(TRUSTED))), "not an adv"),
        (_resigned(lambda p: p.update(format="dtix-advisory/2")), "not dtix-advisory/1"),
        (_resigned(lambda p: p.pop("indicators")), "not dtix-advisory/1"),
        (_resigned(lambda p: p.update(audience=["google"])), "not addressed to openai"),
        (_resigned(lambda p: p.update(tlp="purple")), "marking 'purple'"),
        (_resigned(lambda p: p.update(documents={"text/plain": 7})), "not text"),
        (sign_advisory(b"[1]", KEY), "not dtix-advisory/1"),
        (sign_advisory(b"\xff", KEY), "not JSON"),
    ],
)
def test_a_reader_refuses_what_is_not_an_advisory_for_it(envelope: dict, reason: str) -> None:  # type: ignore[type-arg]
    with pytest.raises(BulletinRejected, match=reason):
        verify_advisory(envelope, TRUSTED, reader="openai")


def test_the_content_type_is_signed() -> None:
    envelope = sign_advisory(_payload(), KEY)
    envelope["payloadType"] = BULLETIN_CONTENT_TYPE
    with pytest.raises(BulletinRejected):
        verify_advisory(envelope, TRUSTED, reader="openai")
    assert base64.b64decode(envelope["payload"]) == _payload()
