"""Write tests/vectors/bulletin-x25519.json and bulletin-mlkem768x25519.json from fixed inputs.

Keys come from RFC 8032 (Ed25519), RFC 7748 (X25519) and fixed seeds (ML-KEM-768,
ML-DSA-65). Everything is fixed except the HPKE encapsulations in `keys` (random ephemeral
keys), the ML-DSA-65 signature (hedged, randomized) and what depends on them: rerunning
changes those. Run: .venv/bin/python tests/vectors/make_bulletin_vectors.py
"""

import io
import json
import sys
from datetime import UTC, datetime
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.mldsa import MLDSA65PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from sharing.crypto.bulletin import GENESIS_PREV, content_aad, hpke_info, seal_into
from sharing.crypto.bulletin_file import keys_digest
from sharing.crypto.bulletin_header import CONTENT_TYPE, make_header
from sharing.crypto.dsse import pae
from sharing.crypto.hybrid_kem import HybridPrivateKey
from sharing.crypto.key_algs import private_raw
from sharing.crypto.keys import ParticipantKeys, kid_for, public_to_b64
from sharing.crypto.suites import SUITE_PQ, SUITE_X25519
from sharing.encoding import b64url_decode, canonical_json, sha256_hex

HERE = Path(__file__).resolve().parent
FILES = {
    SUITE_X25519: HERE / "bulletin-x25519.json",
    SUITE_PQ: HERE / "bulletin-mlkem768x25519.json",
}
HUB_SIGN = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"  # RFC 8032 7.1 #1
HUB_X25519 = "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"  # RFC 7748 Alice
LAB_SIGN = "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb"  # RFC 8032 7.1 #2
LAB_X25519 = "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb"  # RFC 7748 Bob
HUB_MLKEM_SEED = bytes(range(0x40, 0x80))
LAB_MLKEM_SEED = bytes(range(0x80, 0xC0))
HUB_MLDSA_SEED = bytes(range(0xC0, 0xE0))
DEK = bytes(range(0x20, 0x40))
NONCE = bytes(range(0x00, 0x0C))
ISSUED = datetime(2026, 11, 23, 10, 0, 0, tzinfo=UTC)
EXPIRES = datetime(2026, 11, 30, 10, 0, 0, tzinfo=UTC)
NOW = "2026-11-24T09:30:00Z"
BODY = {
    "id": "openai-000001",
    "stream": "openai",
    "seq": 1,
    "prev": GENESIS_PREV,
    "audience": ["openai"],
    "issued": "2026-11-23T10:00:00Z",
    "expires": "2026-11-30T10:00:00Z",
    "federation": "example",
    "tlp": "amber",
    "indicators": [
        {"type": "ipv4", "value": "203.0.113.7", "tlp": "amber", "confidence": 80,
         "tags": ["proxy-hydra"], "campaign": "example-campaign"},
    ],
}  # fmt: skip


def participants(suite: str) -> tuple[ParticipantKeys, ParticipantKeys]:
    """The hub and the lab of the vector, from the fixed keys above."""
    pq = suite == SUITE_PQ

    def keys(sign: str, x25519: str, mlkem_seed: bytes, mldsa: bytes | None) -> ParticipantKeys:
        dh = X25519PrivateKey.from_private_bytes(bytes.fromhex(x25519))
        encrypt = HybridPrivateKey.from_raw(mlkem_seed + bytes.fromhex(x25519)) if pq else dh
        return ParticipantKeys(
            Ed25519PrivateKey.from_private_bytes(bytes.fromhex(sign)),
            encrypt,
            pq_sign=MLDSA65PrivateKey.from_seed_bytes(mldsa) if pq and mldsa else None,
        )

    hub = keys(HUB_SIGN, HUB_X25519, HUB_MLKEM_SEED, HUB_MLDSA_SEED)
    return hub, keys(LAB_SIGN, LAB_X25519, LAB_MLKEM_SEED, None)


def describe(name: str, keys: ParticipantKeys) -> dict:
    public = keys.public()
    entry = {
        "name": name,
        "sign_private_hex": private_raw(keys.sign).hex(),
        "sign_public": public_to_b64(public.sign),
        "sign_kid": kid_for(public.sign),
        "encrypt_private_hex": private_raw(keys.encrypt).hex(),
        "encrypt_public": public_to_b64(public.encrypt),
        "encrypt_kid": kid_for(public.encrypt),
    }
    if keys.pq_sign is not None and public.pq_sign is not None:
        entry["mldsa_seed_hex"] = private_raw(keys.pq_sign).hex()
        entry["mldsa_public"] = public_to_b64(public.pq_sign)
        entry["mldsa_kid"] = kid_for(public.pq_sign)
    return entry


def header_for(suite: str, hub: ParticipantKeys, recipients: dict) -> dict:
    fields = {"id": BODY["id"], "stream": "openai", "seq": 1, "prev": GENESIS_PREV}
    return make_header(fields, ISSUED, EXPIRES, hub, recipients, nonce=NONCE, suite=suite)


def vector(suite: str) -> dict:
    hub, lab = participants(suite)
    recipients = {kid_for(k.public().encrypt): k.public().encrypt for k in (lab, hub)}
    body = canonical_json(BODY)
    header = header_for(suite, hub, recipients)
    header_bytes = canonical_json(header)
    out = io.BytesIO()
    seal_into(out, header, body, hub, recipients, dek=DEK)
    bulletin = out.getvalue()
    sealed = json.loads(bulletin)
    aad = content_aad(header_bytes, keys_digest(sealed["keys"]))
    envelope = AESGCM(DEK).decrypt(NONCE, b64url_decode(sealed["ciphertext"]), aad)
    return {
        "description": f"dtix-bulletin/1, suite {suite}: the hub seals bulletin 1 of stream "
        "openai to the lab and to itself. `keys` holds HPKE encapsulations with random "
        "ephemeral keys (and, for the post-quantum suite, the envelope an ML-DSA-65 "
        "signature that is randomized); the other values follow from them and the inputs.",
        "suite": suite,
        "sender": describe("hub", hub),
        "recipients": [describe("openai", lab), describe("hub", hub)],
        "now": NOW,
        "header": header,
        "header_bytes": header_bytes.decode(),
        "header_hash": sha256_hex(header_bytes),
        "hpke_info_hex": {kid: hpke_info(kid, header_bytes).hex() for kid in header["recipients"]},
        "dek_hex": DEK.hex(),
        "nonce_hex": NONCE.hex(),
        "body": body.decode(),
        "pae": pae(CONTENT_TYPE, body).decode(),
        "envelope": envelope.decode(),
        "keys": sealed["keys"],
        "keys_jcs": canonical_json(sealed["keys"]).decode(),
        "keys_digest_hex": keys_digest(sealed["keys"]).hex(),
        "aad_hex": aad.hex(),
        "ciphertext": sealed["ciphertext"],
        "bulletin": bulletin.decode(),
    }


def main() -> None:
    for suite, path in FILES.items():
        data = vector(suite)
        path.write_text(json.dumps(data, indent=2) + "\n")
        print(f"wrote {path} ({len(data['bulletin'])}-byte bulletin)")


if __name__ == "__main__":
    main()
