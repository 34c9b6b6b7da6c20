"""Both suites, the recipient map authenticated as a whole, and bodies larger than one chunk."""

import json
from datetime import UTC, datetime, timedelta

import pytest

from sharing.crypto import (
    GENESIS_PREV,
    SUITE_PQ,
    SUITE_X25519,
    ParticipantKeys,
    SenderKeys,
    generate_keys,
    open_bulletin,
    seal_bulletin,
)
from sharing.encoding import b64url_decode, canonical_json
from sharing.errors import BulletinRejected

NOW = datetime(2026, 11, 23, 10, 0, 0, tzinfo=UTC)
HUB, LAB, OTHER = generate_keys(log=True), generate_keys(), generate_keys()
PQ_HUB, PQ_LAB, PQ_OTHER = (
    generate_keys(log=True, pq=True),
    generate_keys(pq=True),
    generate_keys(pq=True),
)


def _trusted(hub: ParticipantKeys) -> dict[str, SenderKeys]:
    public = hub.public()
    return {public.sign_kid: SenderKeys(public.sign, public.pq_sign)}


def _body(**extra: object) -> bytes:
    return canonical_json({"id": "b-1", "stream": "openai", "seq": 1, **extra})


def _seal(hub: ParticipantKeys, *to: ParticipantKeys, body: bytes | None = None) -> bytes:
    return seal_bulletin(
        id="b-1",
        stream="openai",
        seq=1,
        prev=GENESIS_PREV,
        issued=NOW,
        expires=NOW + timedelta(days=7),
        body=body or _body(),
        sender=hub,
        recipients={k.public().encrypt_kid: k.public().encrypt for k in to},
    )


def _open(data: bytes, keys: ParticipantKeys, hub: ParticipantKeys, **kw: object):
    trusted = kw.pop("trusted", _trusted(hub))
    return open_bulletin(
        data, recipient_keys=keys.decryption_keys(), trusted_senders=trusted, now=NOW
    )


@pytest.mark.parametrize(
    ("hub", "lab", "suite"), [(HUB, LAB, SUITE_X25519), (PQ_HUB, PQ_LAB, SUITE_PQ)]
)
def test_both_suites_round_trip(hub: ParticipantKeys, lab: ParticipantKeys, suite: str) -> None:
    data = _seal(hub, lab)
    opened = _open(data, lab, hub)
    assert opened.header["suite"] == suite and opened.body == _body()
    sealed = b64url_decode(json.loads(data)["keys"][lab.public().encrypt_kid])
    assert len(sealed) == (1120 if suite == SUITE_PQ else 32) + 48


def test_the_post_quantum_envelope_carries_two_signatures_both_required() -> None:
    data = _seal(PQ_HUB, PQ_LAB)
    assert _open(data, PQ_LAB, PQ_HUB).signer == PQ_HUB.public().sign_kid
    without_mldsa = {PQ_HUB.public().sign_kid: SenderKeys(PQ_HUB.public().sign)}
    with pytest.raises(BulletinRejected, match="ML-DSA-65"):
        _open(data, PQ_LAB, PQ_HUB, trusted=without_mldsa)
    wrong_mldsa = {
        PQ_HUB.public().sign_kid: SenderKeys(PQ_HUB.public().sign, PQ_LAB.public().pq_sign)
    }
    with pytest.raises(BulletinRejected, match="no signature by"):
        _open(data, PQ_LAB, PQ_HUB, trusted=wrong_mldsa)


def test_a_post_quantum_suite_needs_an_mldsa_sender_and_one_kind_of_recipient() -> None:
    with pytest.raises(ValueError, match="ML-DSA-65"):
        _seal(HUB, PQ_LAB)
    with pytest.raises(ValueError, match="all be X25519 or all"):
        _seal(PQ_HUB, PQ_LAB, LAB)


def test_an_x25519_key_cannot_open_a_post_quantum_entry() -> None:
    data = _seal(PQ_HUB, PQ_LAB)
    doc = json.loads(data)
    kid = PQ_LAB.public().encrypt_kid
    mixed = ParticipantKeys(LAB.sign, LAB.encrypt)
    with pytest.raises(BulletinRejected):
        open_bulletin(
            json.dumps(doc).encode(),
            recipient_keys={kid: PQ_LAB.encrypt, **mixed.decryption_keys()},
            trusted_senders={},
            now=NOW,
        )


def _flips(data: bytes, start: int, end: int, step: int = 1):
    for position in range(start, end, step):
        yield data[:position] + bytes([data[position] ^ 0x01]) + data[position + 1 :]


@pytest.mark.parametrize(("hub", "keys"), [(HUB, (LAB, OTHER, HUB)), (PQ_HUB, (PQ_LAB, PQ_OTHER))])
def test_any_changed_byte_of_any_recipient_entry_is_refused_by_every_recipient(
    hub: ParticipantKeys, keys: tuple[ParticipantKeys, ...]
) -> None:
    data = _seal(hub, *keys)
    start = data.index(b'"keys":')
    end = data.index(b'"ciphertext"')
    for reader in keys:
        assert _open(data, reader, hub).body == _body()
        for tampered in _flips(data, start, end, step=1 if hub is HUB else 7):
            with pytest.raises(BulletinRejected):
                _open(tampered, reader, hub)


def test_post_quantum_single_byte_changes_are_refused() -> None:
    data = _seal(PQ_HUB, PQ_LAB)
    for tampered in _flips(data, 0, len(data), step=5):
        with pytest.raises(BulletinRejected):
            _open(tampered, PQ_LAB, PQ_HUB)


@pytest.mark.parametrize("size", [3 * 2**20 - 40, 3 * 2**20 + 1, 7 * 2**20 + 2])
def test_bodies_beyond_one_chunk_round_trip_and_stay_authenticated(size: int) -> None:
    body = _body(pad="x" * size)
    data = _seal(HUB, LAB, body=body)
    assert _open(data, LAB, HUB).body == body
    middle = data.index(b'"ciphertext"') + 4 * 2**20 + 3
    for tampered in _flips(data, middle, middle + 2):
        with pytest.raises(BulletinRejected, match=r"tampered|malformed"):
            _open(tampered, LAB, HUB)
