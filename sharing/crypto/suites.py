"""Bulletin suites: what `header.suite` names, how the data key is sealed and the body signed.

A post-quantum suite is one more entry in `SUITES`: a subclass with the
ML-KEM-768+X25519 KEM whose `sign` and `verify` add and require an ML-DSA-65 signature.
"""

from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives import hpke
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from sharing.crypto.dsse import sign_envelope, verify_envelope
from sharing.crypto.keys import ParticipantKeys, kid_for

SUITE_X25519 = "HPKE-X25519-SHA256-AES256GCM"


@dataclass(frozen=True)
class Suite:
    """One `header.suite`: how the DEK is sealed to a recipient and how the body is signed."""

    name: str
    kem: hpke.KEM

    def _hpke(self) -> hpke.Suite:
        return hpke.Suite(self.kem, hpke.KDF.HKDF_SHA256, hpke.AEAD.AES_256_GCM)

    def seal_dek(self, dek: bytes, public_key: Any, info: bytes) -> bytes:
        return self._hpke().encrypt(dek, public_key, info=info)

    def open_dek(self, sealed: bytes, private_key: Any, info: bytes) -> bytes:
        return self._hpke().decrypt(sealed, private_key, info=info)

    def sign(self, payload_type: str, body: bytes, sender: ParticipantKeys) -> dict:
        """A DSSE envelope over `body` signed by `sender`."""
        return sign_envelope(payload_type, body, sender.sign, kid_for(sender.sign.public_key()))

    def verify(self, envelope: object, sender: str, key: Ed25519PublicKey) -> tuple[str, bytes]:
        """The envelope's payload type and body; BulletinRejected unless `sender` signed it."""
        payload_type, body, _ = verify_envelope(envelope, {sender: key})
        return payload_type, body


SUITES: dict[str, Suite] = {SUITE_X25519: Suite(SUITE_X25519, hpke.KEM.X25519)}
