"""Bulletin suites: what `header.suite` names, how the data key is sealed and the body signed.

`HPKE-X25519-SHA256-AES256GCM` seals to X25519 keys and signs with Ed25519;
`HPKE-MLKEM768X25519-SHA256-AES256GCM` seals to ML-KEM-768+X25519 keys and signs with
Ed25519 and ML-DSA-65, both required.
"""

from dataclasses import dataclass

from cryptography.hazmat.primitives import hpke
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.mldsa import MLDSA65PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey

from sharing.crypto.dsse import require_signature, signature_entry
from sharing.crypto.hybrid_kem import HybridPrivateKey, HybridPublicKey
from sharing.crypto.key_algs import EncryptionKey, EncryptionPublicKey, kid_for
from sharing.crypto.keys import ParticipantKeys
from sharing.errors import BulletinRejected

SUITE_X25519 = "HPKE-X25519-SHA256-AES256GCM"
SUITE_PQ = "HPKE-MLKEM768X25519-SHA256-AES256GCM"


@dataclass(frozen=True)
class SenderKeys:
    """A trusted sender's public keys: Ed25519 always, ML-DSA-65 for the post-quantum suite."""

    sign: Ed25519PublicKey
    pq_sign: MLDSA65PublicKey | None = None


@dataclass(frozen=True)
class Suite:
    """One `header.suite`: how the DEK is sealed to a recipient and how the body is signed."""

    name: str
    kem: hpke.KEM
    public_type: type
    post_quantum: bool

    def _hpke(self) -> hpke.Suite:
        return hpke.Suite(self.kem, hpke.KDF.HKDF_SHA256, hpke.AEAD.AES_256_GCM)

    def seal_dek(self, dek: bytes, public_key: EncryptionPublicKey, info: bytes) -> bytes:
        key = public_key.hpke() if isinstance(public_key, HybridPublicKey) else public_key
        return self._hpke().encrypt(dek, key, info=info)

    def open_dek(self, sealed: bytes, private_key: EncryptionKey, info: bytes) -> bytes:
        """The DEK; InvalidTag if it does not open (ValueError for an impossible `enc`)."""
        if isinstance(private_key, HybridPrivateKey) != self.post_quantum:
            raise BulletinRejected(f"not for you: the recipient key is not a {self.name} key")
        key = private_key.hpke() if isinstance(private_key, HybridPrivateKey) else private_key
        return self._hpke().decrypt(sealed, key, info=info)

    def sign(self, message: bytes, sender: ParticipantKeys) -> list[dict[str, str]]:
        """The DSSE signatures over the PAE `message`: Ed25519, then ML-DSA-65 where required."""
        entries = [signature_entry(sender.sign, kid_for(sender.sign.public_key()), message)]
        if self.post_quantum:
            if sender.pq_sign is None:
                raise ValueError(f"{self.name} needs a sender with an ML-DSA-65 key")
            pq_kid = kid_for(sender.pq_sign.public_key())
            entries.append(signature_entry(sender.pq_sign, pq_kid, message))
        return entries

    def verify(self, signatures: object, message: bytes, sender: str, keys: SenderKeys) -> None:
        """BulletinRejected unless every signature this suite requires verifies."""
        require_signature(signatures, sender, keys.sign, message)
        if self.post_quantum:
            if keys.pq_sign is None:
                raise BulletinRejected(f"sender {sender} has no ML-DSA-65 key to verify with")
            require_signature(signatures, kid_for(keys.pq_sign), keys.pq_sign, message)


SUITES: dict[str, Suite] = {
    SUITE_X25519: Suite(SUITE_X25519, hpke.KEM.X25519, X25519PublicKey, False),
    SUITE_PQ: Suite(SUITE_PQ, hpke.KEM.MLKEM768_X25519, HybridPublicKey, True),
}


def suite_for(recipients: list[EncryptionPublicKey]) -> Suite:
    """The suite that seals to these recipient keys; ValueError if none or of mixed kinds."""
    if not recipients:
        raise ValueError("cannot seal: no recipients")
    for suite in SUITES.values():
        if all(isinstance(key, suite.public_type) for key in recipients):
            return suite
    raise ValueError("recipient keys must all be X25519 or all ML-KEM-768+X25519")
