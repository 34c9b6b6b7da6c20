"""Private keys at rest: `dtix-private-keys/1`, AES-256-GCM under an Argon2id-derived key.

Everything but the ciphertext (format, KDF parameters and salt, nonce, public keys) is
the AES-GCM associated data, so none of it can be changed without the unlock failing.
"""

import json
import secrets
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

from sharing.crypto.keys import ParticipantKeys, public_to_b64
from sharing.encoding import b64url, b64url_decode, canonical_json
from sharing.errors import InputError, PassphraseError

FORMAT = "dtix-private-keys/1"
_FIELDS = {"format", "kdf", "aead", "public", "ciphertext"}
_MAX_MEMORY_KIB = 4 * 1024 * 1024


@dataclass(frozen=True)
class Argon2Params:
    """Argon2id cost; the defaults follow RFC 9106's second recommended option (64 MiB)."""

    memory_cost: int = 65536  # KiB
    iterations: int = 3
    lanes: int = 4

    def problem(self) -> str | None:
        """Why these parameters are unusable (or absurd enough to be an attack), else None."""
        values = (self.memory_cost, self.iterations, self.lanes)
        if any(type(v) is not int for v in values):
            return "Argon2id parameters must be integers"
        if not (1 <= self.lanes <= 64 and 1 <= self.iterations <= 64):
            return "Argon2id lanes and iterations must be between 1 and 64"
        if not 8 * self.lanes <= self.memory_cost <= _MAX_MEMORY_KIB:
            return f"Argon2id memory_cost must be between 8*lanes and {_MAX_MEMORY_KIB} KiB"
        return None


def lock_keys(
    keys: ParticipantKeys, passphrase: bytes, *, params: Argon2Params = Argon2Params()
) -> bytes:
    """Encrypt a participant's private keys under `passphrase`; returns the JSON document."""
    if not passphrase:
        raise PassphraseError("refusing to lock private keys with an empty passphrase")
    if (problem := params.problem()) is not None:
        raise ValueError(problem)
    salt, nonce = secrets.token_bytes(16), secrets.token_bytes(12)
    public = keys.public()
    document: dict[str, Any] = {
        "format": FORMAT,
        "kdf": {
            "name": "argon2id",
            "memory_cost": params.memory_cost,
            "iterations": params.iterations,
            "lanes": params.lanes,
            "salt": b64url(salt),
        },
        "aead": {"name": "AES-256-GCM", "nonce": b64url(nonce)},
        "public": {"sign": public_to_b64(public.sign), "encrypt": public_to_b64(public.encrypt)},
    }
    plaintext = _raw_private(keys.sign) + _raw_private(keys.encrypt)
    key = _derive(passphrase, salt, params)
    ciphertext = AESGCM(key).encrypt(nonce, plaintext, canonical_json(document))
    document["ciphertext"] = b64url(ciphertext)
    return json.dumps(document, indent=2).encode() + b"\n"


def unlock_keys(document: bytes, passphrase: bytes, *, where: str) -> ParticipantKeys:
    """Decrypt a `lock_keys` document; `where` (a path) names it in every error."""
    if not passphrase:
        raise PassphraseError(f"no passphrase for {where}")
    try:
        doc, params, salt, nonce, ciphertext = _parse(document)
    except ValueError as exc:
        raise InputError(f"{where}: not a usable private key file: {exc}") from None
    key = _derive(passphrase, salt, params)
    associated = canonical_json({k: v for k, v in doc.items() if k != "ciphertext"})
    try:
        plaintext = AESGCM(key).decrypt(nonce, ciphertext, associated)
    except InvalidTag:
        raise PassphraseError(f"wrong passphrase for {where}") from None
    if len(plaintext) != 64:
        raise InputError(f"{where}: the private keys have the wrong length")
    keys = ParticipantKeys(
        Ed25519PrivateKey.from_private_bytes(plaintext[:32]),
        X25519PrivateKey.from_private_bytes(plaintext[32:]),
    )
    public = keys.public()
    stored = doc["public"]
    if stored != {"sign": public_to_b64(public.sign), "encrypt": public_to_b64(public.encrypt)}:
        raise InputError(f"{where}: the public keys do not match the private keys")
    return keys


def _parse(document: bytes) -> tuple[dict, Argon2Params, bytes, bytes, bytes]:
    """Check the document's shape; ValueError saying what is wrong."""
    try:
        doc = json.loads(document)
    except (ValueError, RecursionError):
        raise ValueError("not JSON") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise ValueError(f"format is not {FORMAT}")
    if set(doc) != _FIELDS:
        raise ValueError(f"expected exactly the fields {sorted(_FIELDS)}")
    kdf = _section(doc, "kdf", {"name", "memory_cost", "iterations", "lanes", "salt"})
    aead = _section(doc, "aead", {"name", "nonce"})
    public = _section(doc, "public", {"sign", "encrypt"})
    if kdf["name"] != "argon2id" or aead["name"] != "AES-256-GCM":
        raise ValueError("only argon2id with AES-256-GCM is supported")
    params = Argon2Params(kdf["memory_cost"], kdf["iterations"], kdf["lanes"])
    if (problem := params.problem()) is not None:
        raise ValueError(problem)
    for name in ("sign", "encrypt"):
        b64url_decode(public[name], f"public.{name}", length=32)
    salt = b64url_decode(kdf["salt"], "kdf.salt", length=16)
    nonce = b64url_decode(aead["nonce"], "aead.nonce", length=12)
    ciphertext = b64url_decode(doc["ciphertext"], "ciphertext", length=64 + 16)
    return doc, params, salt, nonce, ciphertext


def _section(doc: dict, name: str, fields: set[str]) -> dict:
    section = doc[name]
    if not isinstance(section, dict) or set(section) != fields:
        raise ValueError(f"{name} must hold exactly {', '.join(sorted(fields))}")
    return section


def _derive(passphrase: bytes, salt: bytes, params: Argon2Params) -> bytes:
    kdf = Argon2id(
        salt=salt,
        length=32,
        iterations=params.iterations,
        lanes=params.lanes,
        memory_cost=params.memory_cost,
    )
    return kdf.derive(passphrase)


def _raw_private(key: Ed25519PrivateKey | X25519PrivateKey) -> bytes:
    return key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
