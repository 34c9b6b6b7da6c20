"""A participant's key pairs and their key ids (kids).

Every participant signs with Ed25519 and receives with X25519, or with ML-KEM-768+X25519
when it is post-quantum, where it also signs with ML-DSA-65. The hub alone has a log key
(Ed25519) for audit checkpoints. Retired encryption keys stay to open bulletins in flight.
"""

from dataclasses import dataclass, field

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.mldsa import MLDSA65PrivateKey, MLDSA65PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey

from sharing.crypto.hybrid_kem import HybridPrivateKey
from sharing.crypto.key_algs import (
    EncryptionKey,
    EncryptionPublicKey,
    PublicKey,
    kid_for,
    public_from_raw,
    public_raw,
)
from sharing.encoding import b64url, b64url_decode


@dataclass(frozen=True)
class PublicKeys:
    """What a participant publishes: the keys others verify with and the key they seal to."""

    sign: Ed25519PublicKey
    encrypt: EncryptionPublicKey
    log: Ed25519PublicKey | None = None
    pq_sign: MLDSA65PublicKey | None = None

    @property
    def sign_kid(self) -> str:
        return kid_for(self.sign)

    @property
    def encrypt_kid(self) -> str:
        return kid_for(self.encrypt)


@dataclass(frozen=True)
class ParticipantKeys:
    """A participant's private keys; `retired` holds older encryption keys still kept."""

    sign: Ed25519PrivateKey
    encrypt: EncryptionKey
    log: Ed25519PrivateKey | None = None
    pq_sign: MLDSA65PrivateKey | None = None
    retired: tuple[EncryptionKey, ...] = field(default=())

    def public(self) -> PublicKeys:
        return PublicKeys(
            self.sign.public_key(),
            self.encrypt.public_key(),
            self.log.public_key() if self.log else None,
            self.pq_sign.public_key() if self.pq_sign else None,
        )

    @property
    def post_quantum(self) -> bool:
        return isinstance(self.encrypt, HybridPrivateKey)

    def decryption_keys(self) -> dict[str, EncryptionKey]:
        """Every encryption key this participant can still open with, by kid."""
        keys = (self.encrypt, *self.retired)
        return {kid_for(key.public_key()): key for key in keys}


def generate_keys(*, log: bool = False, pq: bool = False) -> ParticipantKeys:
    """Fresh key pairs for one participant: a log key for the hub, PQ keys with `pq`."""
    return ParticipantKeys(
        Ed25519PrivateKey.generate(),
        HybridPrivateKey.generate() if pq else X25519PrivateKey.generate(),
        Ed25519PrivateKey.generate() if log else None,
        MLDSA65PrivateKey.generate() if pq else None,
    )


def public_to_b64(public_key: PublicKey) -> str:
    """Unpadded base64url of the raw public key: how federation.toml and JWKs carry it."""
    return b64url(public_raw(public_key))


def public_from_b64(alg: str, text: str) -> PublicKey:
    """Parse a published public key of `alg` (federation.toml's `public`); ValueError if bad."""
    return public_from_raw(alg, b64url_decode(text, f"{alg} public key"))


def ed25519_public_from_b64(text: str) -> Ed25519PublicKey:
    """Parse an Ed25519 public key written by `public_to_b64`; ValueError if it is not one."""
    raw = b64url_decode(text, "Ed25519 public key", length=32)
    try:
        return Ed25519PublicKey.from_public_bytes(raw)
    except ValueError:
        raise ValueError(f"{text!r} is not a valid Ed25519 public key") from None


def x25519_public_from_b64(text: str) -> X25519PublicKey:
    """Parse an X25519 public key written by `public_to_b64`; ValueError if it is not one."""
    raw = b64url_decode(text, "X25519 public key", length=32)
    return X25519PublicKey.from_public_bytes(raw)


__all__ = [
    "ParticipantKeys",
    "PublicKeys",
    "ed25519_public_from_b64",
    "generate_keys",
    "kid_for",
    "public_from_b64",
    "public_to_b64",
    "x25519_public_from_b64",
]
