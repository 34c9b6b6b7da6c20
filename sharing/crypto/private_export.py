"""PKCS#8 PEM of a participant's private keys, for backup and for other tools.

Each key is one PEM block (encrypted PKCS#8 under the passphrase unless asked otherwise),
preceded by a line naming its part, algorithm and kid. An ML-KEM-768+X25519 key is
written as its two parts, ML-KEM-768 then X25519.
"""

from cryptography.hazmat.primitives.serialization import (
    BestAvailableEncryption,
    Encoding,
    KeySerializationEncryption,
    NoEncryption,
    PrivateFormat,
)

from sharing.crypto.hybrid_kem import HybridPrivateKey
from sharing.crypto.key_algs import PrivateKey, alg_of, kid_for
from sharing.crypto.key_slots import slots_of
from sharing.crypto.keys import ParticipantKeys


def export_pkcs8(keys: ParticipantKeys, who: str, passphrase: bytes | None) -> str:
    """PEM text of every private key; encrypted under `passphrase` unless it is None."""
    encryption: KeySerializationEncryption = (
        BestAvailableEncryption(passphrase) if passphrase else NoEncryption()
    )
    blocks = []
    for slot, key in slots_of(keys):
        label = f"{who} {slot} {alg_of(key)} kid={kid_for(key.public_key())}"
        for part, private in _parts(key):
            pem = private.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, encryption)
            blocks.append(f"# {label}{part}\n{pem.decode('ascii')}")
    return "".join(blocks)


def _parts(key: PrivateKey) -> list[tuple[str, PrivateKey]]:
    if isinstance(key, HybridPrivateKey):
        return [(" (ML-KEM-768 part)", key.mlkem), (" (X25519 part)", key.x25519)]  # type: ignore[list-item]
    return [("", key)]
