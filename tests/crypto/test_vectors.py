"""tests/vectors/bulletin-x25519.json: recompute every reproducible value, open the stored file.

The vector is written by tests/vectors/make_bulletin_vectors.py; docs/bulletin-format.md cites it.
"""

import json
from datetime import datetime
from pathlib import Path

import orjson
from cryptography.hazmat.primitives import hpke
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from sharing.crypto import (
    CONTENT_TYPE,
    ParticipantKeys,
    header_hash,
    kid_for,
    open_bulletin,
    pae,
    public_to_b64,
    sign_envelope,
)
from sharing.crypto.bulletin import _seal, hpke_info
from sharing.encoding import b64url, b64url_decode, canonical_json

VECTOR = json.loads((Path(__file__).parent.parent / "vectors" / "bulletin-x25519.json").read_text())
SENDER = VECTOR["sender"]
HUB = ParticipantKeys(
    Ed25519PrivateKey.from_private_bytes(bytes.fromhex(SENDER["sign_private_hex"])),
    X25519PrivateKey.from_private_bytes(bytes.fromhex(SENDER["encrypt_private_hex"])),
)
DEK, NONCE = bytes.fromhex(VECTOR["dek_hex"]), bytes.fromhex(VECTOR["nonce_hex"])
BODY = VECTOR["body"].encode()
HEADER_BYTES = VECTOR["header_bytes"].encode()


def _recipient_keys() -> dict:
    return {
        r["encrypt_kid"]: X25519PrivateKey.from_private_bytes(
            bytes.fromhex(r["encrypt_private_hex"])
        )
        for r in VECTOR["recipients"]
    }


def test_keys_and_kids() -> None:
    public = HUB.public()
    assert public_to_b64(public.sign) == SENDER["sign_public"]
    assert kid_for(public.sign) == SENDER["sign_kid"] == VECTOR["header"]["sender"]
    for kid, key in _recipient_keys().items():
        assert kid_for(key.public_key()) == kid
    assert sorted(_recipient_keys()) == VECTOR["header"]["recipients"]


def test_header_bytes_and_hash() -> None:
    assert canonical_json(VECTOR["header"]) == HEADER_BYTES
    assert header_hash(VECTOR["header"]) == VECTOR["header_hash"]
    assert b64url_decode(VECTOR["header"]["nonce"]) == NONCE


def test_hpke_info() -> None:
    for kid, info in VECTOR["hpke_info_hex"].items():
        assert hpke_info(kid, HEADER_BYTES).hex() == info


def test_signed_envelope_is_reproduced_byte_for_byte() -> None:
    assert pae(CONTENT_TYPE, BODY) == VECTOR["pae"].encode()
    envelope = sign_envelope(CONTENT_TYPE, BODY, HUB.sign, SENDER["sign_kid"])
    assert canonical_json(envelope) == VECTOR["envelope"].encode()
    assert orjson.dumps(envelope, option=orjson.OPT_SORT_KEYS) == VECTOR["envelope"].encode()


def test_ciphertext_is_reproduced_byte_for_byte() -> None:
    ciphertext = AESGCM(DEK).encrypt(NONCE, VECTOR["envelope"].encode(), HEADER_BYTES)
    assert b64url(ciphertext) == VECTOR["ciphertext"]


def test_the_fixed_dek_seam_reproduces_header_and_ciphertext() -> None:
    recipients = {kid: key.public_key() for kid, key in _recipient_keys().items()}
    document = json.loads(_seal(VECTOR["header"], BODY, HUB, recipients, dek=DEK))
    assert canonical_json(document["header"]) == HEADER_BYTES
    assert document["ciphertext"] == VECTOR["ciphertext"]


def test_each_stored_key_entry_yields_the_dek() -> None:
    suite = hpke.Suite(hpke.KEM.X25519, hpke.KDF.HKDF_SHA256, hpke.AEAD.AES_256_GCM)
    for kid, key in _recipient_keys().items():
        info = bytes.fromhex(VECTOR["hpke_info_hex"][kid])
        assert suite.decrypt(b64url_decode(VECTOR["keys"][kid]), key, info=info) == DEK


def test_the_stored_bulletin_opens_for_each_recipient() -> None:
    data = VECTOR["bulletin"].encode()
    assert json.loads(data)["keys"] == VECTOR["keys"]
    now = datetime.fromisoformat(VECTOR["now"])
    for kid, key in _recipient_keys().items():
        opened = open_bulletin(
            data,
            recipient_kid=kid,
            recipient_key=key,
            trusted_senders={SENDER["sign_kid"]: HUB.public().sign},
            now=now,
        )
        assert opened.body == BODY
        assert opened.header == VECTOR["header"]
        assert opened.header_hash == VECTOR["header_hash"]
        assert opened.signer == SENDER["sign_kid"]
