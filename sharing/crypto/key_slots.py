"""Which private key plays which part: the slots of a key file and of `ParticipantKeys`."""

from sharing.crypto.hybrid_kem import PRIVATE_LENGTH as HYBRID_PRIVATE
from sharing.crypto.key_algs import (
    ED25519,
    MLDSA65,
    MLKEM768_X25519,
    X25519,
    PrivateKey,
    alg_of,
)
from sharing.crypto.keys import ParticipantKeys

SLOTS = ("sign", "encrypt", "log", "pq-sign", "retired-encrypt")
PRIVATE_LENGTHS = {ED25519: 32, X25519: 32, MLDSA65: 32, MLKEM768_X25519: HYBRID_PRIVATE}
_ALGS = {
    "sign": (ED25519,),
    "encrypt": (X25519, MLKEM768_X25519),
    "log": (ED25519,),
    "pq-sign": (MLDSA65,),
    "retired-encrypt": (X25519, MLKEM768_X25519),
}


def slots_of(keys: ParticipantKeys) -> list[tuple[str, PrivateKey]]:
    """The keys in file order: sign, encrypt, then the optional ones."""
    slots: list[tuple[str, PrivateKey]] = [("sign", keys.sign), ("encrypt", keys.encrypt)]
    if keys.log is not None:
        slots.append(("log", keys.log))
    if keys.pq_sign is not None:
        slots.append(("pq-sign", keys.pq_sign))
    slots.extend(("retired-encrypt", key) for key in keys.retired)
    return slots


def assemble(slots: list[tuple[str, PrivateKey]]) -> ParticipantKeys:
    """ParticipantKeys from (slot, key) pairs; ValueError if a slot is missing or repeated."""
    single: dict[str, PrivateKey] = {}
    retired = []
    for slot, key in slots:
        if alg_of(key) not in _ALGS[slot]:
            raise ValueError(f"a {alg_of(key)} key cannot be the {slot} key")
        if slot == "retired-encrypt":
            retired.append(key)
        elif slot in single:
            raise ValueError(f"more than one {slot} key")
        else:
            single[slot] = key
    if "sign" not in single or "encrypt" not in single:
        raise ValueError("a sign and an encrypt key are required")
    return ParticipantKeys(
        sign=single["sign"],  # type: ignore[arg-type]
        encrypt=single["encrypt"],  # type: ignore[arg-type]
        log=single.get("log"),  # type: ignore[arg-type]
        pq_sign=single.get("pq-sign"),  # type: ignore[arg-type]
        retired=tuple(retired),  # type: ignore[arg-type]
    )
