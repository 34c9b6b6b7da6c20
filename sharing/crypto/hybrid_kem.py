"""ML-KEM-768+X25519 key pairs for the HPKE `MLKEM768-X25519` KEM, kept as their two parts.

cryptography's HPKE key objects do not give their parts back, so dtix keeps the parts and
builds the HPKE key when sealing or opening. A public key is ML-KEM-768's 1184-byte
encapsulation key followed by the 32-byte X25519 key.
"""

from dataclasses import dataclass

from cryptography.hazmat.primitives import hpke
from cryptography.hazmat.primitives.asymmetric.mlkem import MLKEM768PrivateKey, MLKEM768PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

MLKEM_PUBLIC = 1184
MLKEM_SEED = 64
PUBLIC_LENGTH = MLKEM_PUBLIC + 32
PRIVATE_LENGTH = MLKEM_SEED + 32


@dataclass(frozen=True)
class HybridPublicKey:
    mlkem: MLKEM768PublicKey
    x25519: X25519PublicKey

    def raw(self) -> bytes:
        return self.mlkem.public_bytes_raw() + self.x25519.public_bytes_raw()

    def hpke(self) -> hpke.MLKEM768X25519PublicKey:
        return hpke.MLKEM768X25519PublicKey(self.mlkem, self.x25519)

    @classmethod
    def from_raw(cls, raw: bytes) -> "HybridPublicKey":
        if len(raw) != PUBLIC_LENGTH:
            raise ValueError(f"an MLKEM768-X25519 public key is {PUBLIC_LENGTH} bytes")
        return cls(
            MLKEM768PublicKey.from_public_bytes(raw[:MLKEM_PUBLIC]),
            X25519PublicKey.from_public_bytes(raw[MLKEM_PUBLIC:]),
        )


@dataclass(frozen=True)
class HybridPrivateKey:
    mlkem: MLKEM768PrivateKey
    x25519: X25519PrivateKey

    @classmethod
    def generate(cls) -> "HybridPrivateKey":
        return cls(MLKEM768PrivateKey.generate(), X25519PrivateKey.generate())

    def public_key(self) -> HybridPublicKey:
        return HybridPublicKey(self.mlkem.public_key(), self.x25519.public_key())

    def raw(self) -> bytes:
        """The 64-byte ML-KEM seed (d || z, FIPS 203) followed by the X25519 private key."""
        raw = Encoding.Raw, PrivateFormat.Raw, NoEncryption()
        return self.mlkem.private_bytes(*raw) + self.x25519.private_bytes(*raw)

    def hpke(self) -> hpke.MLKEM768X25519PrivateKey:
        return hpke.MLKEM768X25519PrivateKey(self.mlkem, self.x25519)

    @classmethod
    def from_raw(cls, raw: bytes) -> "HybridPrivateKey":
        if len(raw) != PRIVATE_LENGTH:
            raise ValueError(f"an MLKEM768-X25519 private key is {PRIVATE_LENGTH} bytes")
        return cls(
            MLKEM768PrivateKey.from_seed_bytes(raw[:MLKEM_SEED]),
            X25519PrivateKey.from_private_bytes(raw[MLKEM_SEED:]),
        )
