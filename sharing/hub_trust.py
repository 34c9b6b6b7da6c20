"""What a party trusts at a given time: the hub's usable signing keys, a lab's own opening
keys, and the keys the hub checks a lab's signatures against.

Active keys are usable; a retired key stays usable until its grace period ends; a revoked
key never is. A bulletin signed by a revoked or expired hub key is refused by name.
"""

from collections.abc import Mapping
from datetime import datetime

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.mldsa import MLDSA65PublicKey

from sharing.crypto import ParticipantKeys, SenderKeys, ed25519_public_from_b64
from sharing.crypto.key_algs import EncryptionKey, public_from_raw
from sharing.encoding import b64url_decode
from sharing.errors import BulletinRejected
from sharing.federation import Participant


def lab_signing_keys(lab: Participant, now: datetime | None = None) -> dict[str, Ed25519PublicKey]:
    """A lab's Ed25519 signing keys by kid that are not revoked (and, given `now`, usable
    then): what its signed submissions and receipts are checked against."""
    return {
        key.kid: ed25519_public_from_b64(key.public)
        for key in lab.keys
        if key.use == "sign"
        and key.alg == "Ed25519"
        and (now is None or key.usable_at(now))
        and key.status != "revoked"
    }


def trusted_senders(hub: Participant, now: datetime) -> dict[str, SenderKeys]:
    """The hub's usable Ed25519 keys by kid, each with the ML-DSA-65 key made alongside it."""
    mldsa = {
        key.created: public_from_raw(key.alg, b64url_decode(key.public))
        for key in hub.keys
        if key.use == "sign" and key.alg == "ML-DSA-65" and key.usable_at(now)
    }
    return {
        key.kid: SenderKeys(ed25519_public_from_b64(key.public), _mldsa(mldsa.get(key.created)))
        for key in hub.keys
        if key.use == "sign" and key.alg == "Ed25519" and key.usable_at(now)
    }


def check_sender(hub: Participant, kid: str, now: datetime) -> None:
    """Refuse, by name, a bulletin whose header names a revoked or expired hub key."""
    record = hub.key(kid)
    if record is None or record.use != "sign":
        return  # unknown keys are refused as untrusted when the bulletin is opened
    if record.status == "revoked":
        raise BulletinRejected(f"revoked key: signed by {kid}, revoked at {record.expires}")
    if not record.usable_at(now):
        raise BulletinRejected(f"expired key: signed by {kid}, retired until {record.expires}")


def opening_keys(
    lab: Participant, keys: ParticipantKeys, recipients: list[str], now: datetime
) -> Mapping[str, EncryptionKey]:
    """Our private keys that may open a bulletin now; refuse one sealed only to unusable keys."""
    usable, refused = {}, []
    for kid, key in keys.decryption_keys().items():
        record = lab.key(kid)
        if record is not None and record.usable_at(now):
            usable[kid] = key
        elif kid in recipients:
            refused.append(f"{kid} ({record.status if record else 'unknown'})")
    if refused and not set(usable) & set(recipients):
        raise BulletinRejected(f"sealed only to keys no longer usable: {', '.join(refused)}")
    return usable


def _mldsa(key: object) -> MLDSA65PublicKey | None:
    return key if isinstance(key, MLDSA65PublicKey) else None
