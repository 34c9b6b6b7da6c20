"""The public face of dtix's cryptography: keys, sealed bulletins, DSSE envelopes, key files.

Seal and open bulletins, sign and verify envelopes, lock and unlock private keys; the
choice of primitives stays inside. Every bad input raises a `sharing.errors` error.
"""

from sharing.crypto.bulletin import (
    GENESIS_PREV,
    OpenedBulletin,
    check_inner,
    open_bulletin,
    read_header,
    seal_bulletin,
)
from sharing.crypto.bulletin_file import FORMAT
from sharing.crypto.bulletin_header import CONTENT_TYPE, header_hash
from sharing.crypto.dsse import pae, sign_envelope, verify_envelope
from sharing.crypto.keys import (
    ParticipantKeys,
    PublicKeys,
    ed25519_public_from_b64,
    generate_keys,
    kid_for,
    public_from_b64,
    public_to_b64,
    x25519_public_from_b64,
)
from sharing.crypto.keystore import Argon2Params, lock_keys, unlock_keys
from sharing.crypto.suites import SUITE_PQ, SUITE_X25519, SenderKeys

__all__ = [
    "CONTENT_TYPE",
    "FORMAT",
    "GENESIS_PREV",
    "SUITE_PQ",
    "SUITE_X25519",
    "Argon2Params",
    "OpenedBulletin",
    "ParticipantKeys",
    "PublicKeys",
    "SenderKeys",
    "check_inner",
    "ed25519_public_from_b64",
    "generate_keys",
    "header_hash",
    "kid_for",
    "lock_keys",
    "open_bulletin",
    "pae",
    "public_from_b64",
    "public_to_b64",
    "read_header",
    "seal_bulletin",
    "sign_envelope",
    "unlock_keys",
    "verify_envelope",
    "x25519_public_from_b64",
]
