"""Private keys at rest: `dtix-private-keys/2`, AES-256-GCM under an Argon2id-derived key.

Everything but the ciphertext (format, KDF parameters and salt, nonce, the list of keys
with their algorithms and kids) is the AES-GCM associated data, so none of it can be
changed without the unlock failing. The plaintext is the raw private keys, in list order.
"""

import json
import secrets
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from sharing.crypto.argon2_params import Argon2Params, derive_key
from sharing.crypto.key_algs import PrivateKey, alg_of, kid_for, private_from_raw, private_raw
from sharing.crypto.key_slots import PRIVATE_LENGTHS, SLOTS, assemble, slots_of
from sharing.crypto.keys import ParticipantKeys
from sharing.encoding import b64url, b64url_decode, canonical_json
from sharing.errors import InputError, PassphraseError

FORMAT = "dtix-private-keys/2"
_FIELDS = {"format", "kdf", "aead", "keys", "ciphertext"}

__all__ = ["FORMAT", "Argon2Params", "lock_keys", "unlock_keys"]


def lock_keys(
    keys: ParticipantKeys, passphrase: bytes, *, params: Argon2Params = Argon2Params()
) -> bytes:
    """Encrypt a participant's private keys under `passphrase`; returns the JSON document."""
    if not passphrase:
        raise PassphraseError("refusing to lock private keys with an empty passphrase")
    if (problem := params.problem()) is not None:
        raise ValueError(problem)
    salt, nonce = secrets.token_bytes(16), secrets.token_bytes(12)
    slots = slots_of(keys)
    document: dict[str, Any] = {
        "format": FORMAT,
        "kdf": {"name": "argon2id", **params.as_dict(), "salt": b64url(salt)},
        "aead": {"name": "AES-256-GCM", "nonce": b64url(nonce)},
        "keys": [_entry(slot, key) for slot, key in slots],
    }
    plaintext = b"".join(private_raw(key) for _, key in slots)
    key = derive_key(passphrase, salt, params)
    ciphertext = AESGCM(key).encrypt(nonce, plaintext, canonical_json(document))
    document["ciphertext"] = b64url(ciphertext)
    return json.dumps(document, indent=2).encode() + b"\n"


def unlock_keys(document: bytes, passphrase: bytes, *, where: str) -> ParticipantKeys:
    """Decrypt a `lock_keys` document into ParticipantKeys; `where` names it in every error."""
    if not passphrase:
        raise PassphraseError(f"no passphrase for {where}")
    try:
        doc, params, salt, nonce, ciphertext = _parse(document)
    except ValueError as exc:
        raise InputError(f"{where}: not a usable private key file: {exc}") from None
    key = derive_key(passphrase, salt, params)
    associated = canonical_json({k: v for k, v in doc.items() if k != "ciphertext"})
    try:
        plaintext = AESGCM(key).decrypt(nonce, ciphertext, associated)
    except InvalidTag:
        raise PassphraseError(f"wrong passphrase for {where}") from None
    slots: list[tuple[str, PrivateKey]] = []
    offset = 0
    for entry in doc["keys"]:
        length = PRIVATE_LENGTHS[entry["alg"]]
        try:
            private = private_from_raw(entry["alg"], plaintext[offset : offset + length])
        except ValueError:
            raise InputError(f"{where}: a {entry['alg']} private key does not parse") from None
        offset += length
        if kid_for(private.public_key()) != entry["kid"]:
            raise InputError(f"{where}: the key ids do not match the private keys")
        slots.append((entry["slot"], private))
    if offset != len(plaintext):
        raise InputError(f"{where}: the private keys have the wrong length")
    try:
        return assemble(slots)
    except ValueError as exc:
        raise InputError(f"{where}: {exc}") from None


def _entry(slot: str, key: PrivateKey) -> dict[str, str]:
    return {"slot": slot, "alg": alg_of(key), "kid": kid_for(key.public_key())}


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
    if kdf["name"] != "argon2id" or aead["name"] != "AES-256-GCM":
        raise ValueError("only argon2id with AES-256-GCM is supported")
    params = Argon2Params(kdf["memory_cost"], kdf["iterations"], kdf["lanes"])
    if (problem := params.problem()) is not None:
        raise ValueError(problem)
    entries = doc["keys"]
    if not isinstance(entries, list) or not 2 <= len(entries) <= 64:
        raise ValueError("keys must be a list of 2 to 64 entries")
    for entry in entries:
        if not isinstance(entry, dict) or set(entry) != {"slot", "alg", "kid"}:
            raise ValueError("each key entry holds exactly slot, alg and kid")
        slot, alg = entry["slot"], entry["alg"]
        if not isinstance(slot, str) or not isinstance(alg, str):
            raise ValueError("a key entry's slot and alg must be strings")
        if slot not in SLOTS or alg not in PRIVATE_LENGTHS:
            raise ValueError("a key entry has an unknown slot or algorithm")
        b64url_decode(entry["kid"], "kid", length=32)
    salt = b64url_decode(kdf["salt"], "kdf.salt", length=16)
    nonce = b64url_decode(aead["nonce"], "aead.nonce", length=12)
    expected = sum(PRIVATE_LENGTHS[e["alg"]] for e in entries) + 16
    ciphertext = b64url_decode(doc["ciphertext"], "ciphertext", length=expected)
    return doc, params, salt, nonce, ciphertext


def _section(doc: dict, name: str, fields: set[str]) -> dict:
    section = doc[name]
    if not isinstance(section, dict) or set(section) != fields:
        raise ValueError(f"{name} must hold exactly {', '.join(sorted(fields))}")
    return section
