"""Write tests/vectors/bulletin-x25519.json: a dtix-bulletin/1 test vector from fixed inputs.

Keys come from RFC 8032 (Ed25519) and RFC 7748 (X25519). Everything is fixed except the
HPKE encapsulations in `keys`, whose ephemeral keys are random: rerunning changes them.
Run: .venv/bin/python tests/vectors/make_bulletin_vectors.py
"""

import json
from datetime import UTC, datetime
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

from sharing.crypto.bulletin import CONTENT_TYPE, GENESIS_PREV, _seal, hpke_info
from sharing.crypto.bulletin_header import make_header as _make_header
from sharing.crypto.dsse import pae
from sharing.crypto.keys import ParticipantKeys, kid_for, public_to_b64
from sharing.encoding import b64url_decode, canonical_json, sha256_hex

OUT = Path(__file__).resolve().parent / "bulletin-x25519.json"

HUB_SIGN = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"  # RFC 8032 7.1 #1
HUB_ENCRYPT = "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"  # RFC 7748 Alice
LAB_SIGN = "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb"  # RFC 8032 7.1 #2
LAB_ENCRYPT = "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb"  # RFC 7748 Bob
DEK = bytes(range(0x20, 0x40))
NONCE = bytes(range(0x00, 0x0C))
ISSUED = datetime(2026, 11, 23, 10, 0, 0, tzinfo=UTC)
EXPIRES = datetime(2026, 11, 30, 10, 0, 0, tzinfo=UTC)
NOW = "2026-11-24T09:30:00Z"

BODY = {
    "id": "openai-000001",
    "stream": "openai",
    "seq": 1,
    "audience": ["openai"],
    "issued": "2026-11-23T10:00:00Z",
    "federation": "example",
    "tlp": "amber",
    "indicators": [
        {
            "type": "ipv4",
            "value": "203.0.113.7",
            "tlp": "amber",
            "confidence": 80,
            "tags": ["proxy-hydra"],
            "campaign": "example-campaign",
        },
    ],
}


def _keys(sign_hex: str, encrypt_hex: str) -> ParticipantKeys:
    return ParticipantKeys(
        Ed25519PrivateKey.from_private_bytes(bytes.fromhex(sign_hex)),
        X25519PrivateKey.from_private_bytes(bytes.fromhex(encrypt_hex)),
    )


def _participant(name: str, keys: ParticipantKeys) -> dict:
    public = keys.public()
    return {
        "name": name,
        "sign_private_hex": keys.sign.private_bytes(
            Encoding.Raw, PrivateFormat.Raw, NoEncryption()
        ).hex(),
        "sign_public": public_to_b64(public.sign),
        "sign_kid": kid_for(public.sign),
        "encrypt_private_hex": keys.encrypt.private_bytes(
            Encoding.Raw, PrivateFormat.Raw, NoEncryption()
        ).hex(),
        "encrypt_public": public_to_b64(public.encrypt),
        "encrypt_kid": kid_for(public.encrypt),
    }


def main() -> None:
    hub, lab = _keys(HUB_SIGN, HUB_ENCRYPT), _keys(LAB_SIGN, LAB_ENCRYPT)
    recipients = {kid_for(k.public().encrypt): k.public().encrypt for k in (lab, hub)}
    body = canonical_json(BODY)
    fields = {"id": BODY["id"], "stream": "openai", "seq": 1, "prev": GENESIS_PREV}
    header = _make_header(fields, ISSUED, EXPIRES, hub, recipients, nonce=NONCE)
    header_bytes = canonical_json(header)
    bulletin = _seal(header, body, hub, recipients, dek=DEK)
    sealed = json.loads(bulletin)
    envelope = _decrypt_envelope(sealed["ciphertext"], header_bytes)
    vector = {
        "description": "dtix-bulletin/1, suite HPKE-X25519-SHA256-AES256GCM: the hub seals "
        "bulletin 1 of stream openai to the lab and to itself. `keys` holds HPKE "
        "encapsulations with random ephemeral keys; every other value is reproducible.",
        "sender": _participant("hub", hub),
        "recipients": [_participant("openai", lab), _participant("hub", hub)],
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
        "ciphertext": sealed["ciphertext"],
        "keys": sealed["keys"],
        "bulletin": bulletin.decode(),
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(vector, indent=2) + "\n")
    print(f"wrote {OUT} ({len(bulletin)}-byte bulletin)")


def _decrypt_envelope(ciphertext: str, header_bytes: bytes) -> bytes:
    return AESGCM(DEK).decrypt(NONCE, b64url_decode(ciphertext), header_bytes)


if __name__ == "__main__":
    main()
