"""tests/vectors/bulletin-*.json: rebuild every reproducible value, open the stored files.

The vectors are written by tests/vectors/make_bulletin_vectors.py from fixed keys, DEK and
nonce; docs/bulletin-format.md cites them. HPKE encapsulation (and ML-DSA-65 signing) is
randomized, so those parts are checked by opening and verifying; everything else is
rebuilt byte for byte, the whole file included.
"""

import base64
import hashlib
import io
import json
from datetime import datetime
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import hpke
from cryptography.hazmat.primitives.asymmetric.mldsa import MLDSA65PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from sharing.crypto import CONTENT_TYPE, SUITE_PQ, SenderKeys, header_hash, kid_for, pae
from sharing.crypto.bulletin import content_aad, hpke_info, open_bulletin, seal_into
from sharing.crypto.bulletin_file import FILE_SUFFIX, file_prefix
from sharing.crypto.dsse import signature_entry
from sharing.crypto.key_algs import private_from_raw
from sharing.encoding import b64url, b64url_decode, canonical_json
from tests.vectors.make_bulletin_vectors import FILES, header_for, participants

VECTORS = {suite: json.loads(path.read_text()) for suite, path in FILES.items()}
SUITES = sorted(VECTORS)


@pytest.fixture(params=SUITES)
def case(request: pytest.FixtureRequest) -> tuple[str, dict]:
    return request.param, VECTORS[request.param]


def _recipient_keys(vector: dict) -> dict:
    alg = "MLKEM768-X25519" if vector["suite"] == SUITE_PQ else "X25519"
    return {
        r["encrypt_kid"]: private_from_raw(alg, bytes.fromhex(r["encrypt_private_hex"]))
        for r in vector["recipients"]
    }


def _trusted(vector: dict) -> dict[str, SenderKeys]:
    hub, _ = participants(vector["suite"])
    public = hub.public()
    return {public.sign_kid: SenderKeys(public.sign, public.pq_sign)}


def test_the_vectors_are_the_documented_suites() -> None:
    assert [Path(p).name for p in FILES.values()] == [
        "bulletin-x25519.json",
        "bulletin-mlkem768x25519.json",
    ]
    assert {v["header"]["suite"] for v in VECTORS.values()} == set(FILES)


def test_keys_and_kids(case) -> None:  # type: ignore[no-untyped-def]
    suite, vector = case
    hub, lab = participants(suite)
    assert kid_for(hub.public().sign) == vector["sender"]["sign_kid"] == vector["header"]["sender"]
    assert kid_for(lab.public().encrypt) == vector["recipients"][0]["encrypt_kid"]
    for kid, key in _recipient_keys(vector).items():
        assert kid_for(key.public_key()) == kid
    assert sorted(_recipient_keys(vector)) == vector["header"]["recipients"]


def test_header_bytes_hash_and_info_are_rebuilt(case) -> None:  # type: ignore[no-untyped-def]
    suite, vector = case
    hub, _ = participants(suite)
    recipients = {kid: key.public_key() for kid, key in _recipient_keys(vector).items()}
    assert header_for(suite, hub, recipients) == vector["header"]
    header_bytes = vector["header_bytes"].encode()
    assert canonical_json(vector["header"]) == header_bytes
    assert header_hash(vector["header"]) == vector["header_hash"]
    for kid, info in vector["hpke_info_hex"].items():
        assert hpke_info(kid, header_bytes).hex() == info


def test_aad_is_header_bytes_then_the_digest_of_the_keys(case) -> None:  # type: ignore[no-untyped-def]
    _, vector = case
    assert canonical_json(vector["keys"]).decode() == vector["keys_jcs"]
    digest = hashlib.sha256(vector["keys_jcs"].encode()).digest()
    assert digest.hex() == vector["keys_digest_hex"]
    aad = content_aad(vector["header_bytes"].encode(), digest)
    assert aad.hex() == vector["aad_hex"]


def test_signatures_are_rebuilt_or_verified(case) -> None:  # type: ignore[no-untyped-def]
    suite, vector = case
    hub, _ = participants(suite)
    body = vector["body"].encode()
    message = pae(CONTENT_TYPE, body)
    assert message == vector["pae"].encode()
    envelope = json.loads(vector["envelope"])
    assert canonical_json(envelope) == vector["envelope"].encode()
    ed25519 = signature_entry(hub.sign, vector["sender"]["sign_kid"], message)
    assert envelope["signatures"][0] == ed25519
    if suite == SUITE_PQ:
        entry = envelope["signatures"][1]
        assert entry["keyid"] == vector["sender"]["mldsa_kid"]
        public = MLDSA65PublicKey.from_public_bytes(b64url_decode(vector["sender"]["mldsa_public"]))
        public.verify(base64.b64decode(entry["sig"]), message)
    else:
        assert len(envelope["signatures"]) == 1


def test_ciphertext_and_file_are_rebuilt_byte_for_byte(case) -> None:  # type: ignore[no-untyped-def]
    _, vector = case
    dek, nonce = bytes.fromhex(vector["dek_hex"]), bytes.fromhex(vector["nonce_hex"])
    aad = bytes.fromhex(vector["aad_hex"])
    ciphertext = AESGCM(dek).encrypt(nonce, vector["envelope"].encode(), aad)
    assert b64url(ciphertext) == vector["ciphertext"]
    rebuilt = file_prefix(vector["header"], vector["keys"]) + vector["ciphertext"].encode()
    assert rebuilt + FILE_SUFFIX == vector["bulletin"].encode()


def test_the_sealing_code_rebuilds_the_x25519_file_exactly() -> None:
    vector = VECTORS["HPKE-X25519-SHA256-AES256GCM"]
    hub, _ = participants(vector["suite"])
    recipients = {kid: key.public_key() for kid, key in _recipient_keys(vector).items()}
    out = io.BytesIO()
    seal_into(
        out,
        vector["header"],
        vector["body"].encode(),
        hub,
        recipients,
        dek=bytes.fromhex(vector["dek_hex"]),
        sealed_keys=vector["keys"],
    )
    assert out.getvalue() == vector["bulletin"].encode()


def test_each_stored_key_entry_yields_the_dek(case) -> None:  # type: ignore[no-untyped-def]
    suite, vector = case
    kem = hpke.KEM.MLKEM768_X25519 if suite == SUITE_PQ else hpke.KEM.X25519
    hpke_suite = hpke.Suite(kem, hpke.KDF.HKDF_SHA256, hpke.AEAD.AES_256_GCM)
    for kid, key in _recipient_keys(vector).items():
        info = bytes.fromhex(vector["hpke_info_hex"][kid])
        private = key.hpke() if hasattr(key, "hpke") else key
        sealed = b64url_decode(vector["keys"][kid])
        assert hpke_suite.decrypt(sealed, private, info=info).hex() == vector["dek_hex"]


def test_the_stored_bulletin_opens_for_each_recipient(case) -> None:  # type: ignore[no-untyped-def]
    _, vector = case
    data = vector["bulletin"].encode()
    now = datetime.fromisoformat(vector["now"])
    for kid, key in _recipient_keys(vector).items():
        opened = open_bulletin(
            data, recipient_keys={kid: key}, trusted_senders=_trusted(vector), now=now
        )
        assert opened.body == vector["body"].encode()
        assert opened.header == vector["header"]
        assert opened.header_hash == vector["header_hash"]
        assert opened.signer == vector["sender"]["sign_kid"]
