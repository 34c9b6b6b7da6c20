"""The key algorithms dtix uses, their raw encodings and their key ids (kids).

A kid is the RFC 7638 thumbprint of the key's JWK: base64url of SHA-256 over the RFC 8785
bytes of its required members. Ed25519 and X25519 are OKP JWKs (RFC 8037); ML-DSA-65 and
MLKEM768-X25519 use the AKP ("algorithm key pair") JWK, whose required members are
`alg`, `kty` and `pub`.
"""

import hashlib

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.mldsa import MLDSA65PrivateKey, MLDSA65PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)

from sharing.crypto.hybrid_kem import HybridPrivateKey, HybridPublicKey
from sharing.encoding import b64url, canonical_json

ED25519 = "Ed25519"
X25519 = "X25519"
MLKEM768_X25519 = "MLKEM768-X25519"
MLDSA65 = "ML-DSA-65"

PublicKey = Ed25519PublicKey | X25519PublicKey | HybridPublicKey | MLDSA65PublicKey
PrivateKey = Ed25519PrivateKey | X25519PrivateKey | HybridPrivateKey | MLDSA65PrivateKey
EncryptionKey = X25519PrivateKey | HybridPrivateKey
EncryptionPublicKey = X25519PublicKey | HybridPublicKey

_PUBLIC = {
    ED25519: Ed25519PublicKey,
    X25519: X25519PublicKey,
    MLKEM768_X25519: HybridPublicKey,
    MLDSA65: MLDSA65PublicKey,
}
_PRIVATE = {
    ED25519: Ed25519PrivateKey,
    X25519: X25519PrivateKey,
    MLKEM768_X25519: HybridPrivateKey,
    MLDSA65: MLDSA65PrivateKey,
}


def alg_of(key: PublicKey | PrivateKey) -> str:
    """The algorithm name of a public or private key."""
    for table in (_PUBLIC, _PRIVATE):
        for alg, kind in table.items():
            if isinstance(key, kind):
                return alg
    raise TypeError(f"dtix has no algorithm for a {type(key).__name__}")


def public_raw(key: PublicKey) -> bytes:
    """The raw public key bytes (RFC 8032 / 7748, FIPS 204, ML-KEM-768 || X25519)."""
    if isinstance(key, HybridPublicKey):
        return key.raw()
    return key.public_bytes(Encoding.Raw, PublicFormat.Raw)


def private_raw(key: PrivateKey) -> bytes:
    """The raw private key (32-byte seed or scalar; 96 bytes for MLKEM768-X25519)."""
    if isinstance(key, HybridPrivateKey):
        return key.raw()
    return key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())


def public_from_raw(alg: str, raw: bytes) -> PublicKey:
    """Parse raw public key bytes of `alg`; ValueError if they are not such a key."""
    if alg == MLKEM768_X25519:
        return HybridPublicKey.from_raw(raw)
    if alg not in _PUBLIC:
        raise ValueError(f"unknown key algorithm {alg!r}")
    return _PUBLIC[alg].from_public_bytes(raw)  # type: ignore[attr-defined]


def private_from_raw(alg: str, raw: bytes) -> PrivateKey:
    """Parse raw private key bytes of `alg`; ValueError if they are not such a key."""
    if alg == MLKEM768_X25519:
        return HybridPrivateKey.from_raw(raw)
    if alg == MLDSA65:
        return MLDSA65PrivateKey.from_seed_bytes(raw)
    if alg not in _PRIVATE:
        raise ValueError(f"unknown key algorithm {alg!r}")
    return _PRIVATE[alg].from_private_bytes(raw)  # type: ignore[attr-defined]


def jwk_thumbprint_input(key: PublicKey) -> dict[str, str]:
    """The required JWK members of `key`, the input of its RFC 7638 thumbprint."""
    if not isinstance(key, tuple(_PUBLIC.values())):
        raise TypeError(f"no kid for a {type(key).__name__}: kids are of public keys")
    alg, pub = alg_of(key), b64url(public_raw(key))
    if alg in (ED25519, X25519):
        return {"crv": alg, "kty": "OKP", "x": pub}
    return {"alg": alg, "kty": "AKP", "pub": pub}


def kid_for(key: PublicKey) -> str:
    """The key id: base64url SHA-256 of the RFC 8785 bytes of the key's thumbprint members."""
    return b64url(hashlib.sha256(canonical_json(jwk_thumbprint_input(key))).digest())
