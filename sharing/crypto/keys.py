"""A participant's key pairs (Ed25519 to sign, X25519 to receive) and their key ids (kids)."""

import hashlib
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from sharing.encoding import b64url, b64url_decode, canonical_json


@dataclass(frozen=True)
class PublicKeys:
    """What a participant publishes: the key others verify with and the key they seal to."""

    sign: Ed25519PublicKey
    encrypt: X25519PublicKey

    @property
    def sign_kid(self) -> str:
        return kid_for(self.sign)

    @property
    def encrypt_kid(self) -> str:
        return kid_for(self.encrypt)


@dataclass(frozen=True)
class ParticipantKeys:
    """A participant's private keys: Ed25519 to sign, X25519 to open what is sealed to it."""

    sign: Ed25519PrivateKey
    encrypt: X25519PrivateKey

    def public(self) -> PublicKeys:
        return PublicKeys(self.sign.public_key(), self.encrypt.public_key())


def generate_keys() -> ParticipantKeys:
    """Fresh signing and encryption key pairs for one participant."""
    return ParticipantKeys(Ed25519PrivateKey.generate(), X25519PrivateKey.generate())


def public_raw(public_key: Ed25519PublicKey | X25519PublicKey) -> bytes:
    """The 32 raw public key bytes (RFC 8032 / RFC 7748 encoding)."""
    return public_key.public_bytes(Encoding.Raw, PublicFormat.Raw)


def public_to_b64(public_key: Ed25519PublicKey | X25519PublicKey) -> str:
    """Unpadded base64url of the raw public key: how federation.toml and JWKs carry it."""
    return b64url(public_raw(public_key))


def kid_for(public_key: Ed25519PublicKey | X25519PublicKey) -> str:
    """RFC 7638 thumbprint of the key's OKP JWK (RFC 8037): base64url SHA-256 of its JCS."""
    if isinstance(public_key, Ed25519PublicKey):
        crv = "Ed25519"
    elif isinstance(public_key, X25519PublicKey):
        crv = "X25519"
    else:
        raise TypeError(f"no kid for a {type(public_key).__name__}")
    jwk = {"crv": crv, "kty": "OKP", "x": public_to_b64(public_key)}
    return b64url(hashlib.sha256(canonical_json(jwk)).digest())


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
