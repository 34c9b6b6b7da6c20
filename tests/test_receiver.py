"""The lab's side: a bulletin opens once, in order; a replay, a gap, a truncated or changed
file, a bulletin for another lab, a forwarded one or one past its time is refused by name
and leaves the saved state unchanged."""

import hashlib
import json
from datetime import timedelta

import pytest
from cryptography.hazmat.primitives import hpke
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from sharing.crypto import public_from_b64
from sharing.crypto.bulletin import content_aad, hpke_info
from sharing.crypto.bulletin_file import keys_digest
from sharing.encoding import b64url, b64url_decode, canonical_json
from sharing.errors import BulletinRejected, InputError
from sharing.federation import load_federation
from sharing.keyring import load_private_keys
from sharing.receiver import StreamState, receive_bulletin
from tests.conftest import NOW
from tests.receiving import bulletin, stream


def _state(home):  # type: ignore[no-untyped-def]
    return StreamState.load(home.receiver_state("openai")).streams


def test_open_saves_the_state_then_a_replay_is_refused(home) -> None:  # type: ignore[no-untyped-def]
    [data] = stream(home, 1)
    received = receive_bulletin(home, "openai", data, now=NOW)
    assert [i["value"] for i in received.indicators] == ["45.155.205.1"]
    saved = _state(home)["openai"]
    assert (
        saved["seq"] == 1
        and saved["header_hash"] == hashlib.sha256(canonical_json(received.header)).hexdigest()
    )
    with pytest.raises(BulletinRejected, match=r"^replay: openai seq 1"):
        receive_bulletin(home, "openai", data, now=NOW)


def test_reordering_is_a_gap_until_the_missing_one_is_opened(home) -> None:  # type: ignore[no-untyped-def]
    first, second, third = stream(home, 3)
    receive_bulletin(home, "openai", first, now=NOW)
    with pytest.raises(BulletinRejected, match=r"^gap: openai seq 3 follows seq 1; bulletin 2 is"):
        receive_bulletin(home, "openai", third, now=NOW)
    assert _state(home)["openai"]["seq"] == 1
    receive_bulletin(home, "openai", second, now=NOW)
    assert receive_bulletin(home, "openai", third, now=NOW).header["seq"] == 3


def test_an_accepted_gap_is_recorded_and_the_skipped_bulletin_is_then_a_replay(home) -> None:  # type: ignore[no-untyped-def]
    first, second, third = stream(home, 3)
    receive_bulletin(home, "openai", first, now=NOW)
    receive_bulletin(home, "openai", third, now=NOW, accept_gap=True)
    assert _state(home)["openai"]["gaps"] == [[2, 2]]
    with pytest.raises(BulletinRejected, match=r"^replay"):
        receive_bulletin(home, "openai", second, now=NOW)


def test_a_bulletin_that_does_not_chain_to_the_last_one_is_refused(home) -> None:  # type: ignore[no-untyped-def]
    receive_bulletin(home, "openai", stream(home, 1)[0], now=NOW)
    forked = bulletin(home, seq=2, prev="ab" * 32)
    with pytest.raises(BulletinRejected, match=r"^broken chain"):
        receive_bulletin(home, "openai", forked, now=NOW)


@pytest.mark.parametrize("cut", [1, 2, 3, 17, 200])
def test_truncated_files_are_refused(home, cut) -> None:  # type: ignore[no-untyped-def]
    [data] = stream(home, 1)
    with pytest.raises(BulletinRejected, match=r"^(malformed|tampered)"):
        receive_bulletin(home, "openai", data[:-cut], now=NOW)
    assert _state(home) == {}


def test_changed_bytes_anywhere_are_refused_and_nothing_is_saved(home) -> None:  # type: ignore[no-untyped-def]
    [data] = stream(home, 1)
    for position in range(0, len(data), 23):
        changed = data[:position] + bytes([data[position] ^ 0x01]) + data[position + 1 :]
        with pytest.raises(BulletinRejected):
            receive_bulletin(home, "openai", changed, now=NOW)
    assert _state(home) == {}


def test_a_bulletin_for_another_lab_is_refused(home) -> None:  # type: ignore[no-untyped-def]
    [data] = stream(home, 1)
    with pytest.raises(BulletinRejected, match=r"^not for you"):
        receive_bulletin(home, "google", data, now=NOW)


def test_a_bulletin_sealed_to_us_but_about_another_stream_is_refused(home) -> None:  # type: ignore[no-untyped-def]
    data = bulletin(home, "openai", to="google")
    with pytest.raises(BulletinRejected, match=r"^another participant's bulletin"):
        receive_bulletin(home, "google", data, now=NOW)


def _forward(home, data: bytes, *, by: str, to: str, stream_name: str) -> bytes:  # type: ignore[no-untyped-def]
    """What a dishonest recipient can do: re-encrypt the hub's signed envelope to a third lab."""
    doc = json.loads(data)
    keys = load_private_keys(home, by)
    kid = keys.public().encrypt_kid
    header_bytes = canonical_json(doc["header"])
    suite = hpke.Suite(hpke.KEM.X25519, hpke.KDF.HKDF_SHA256, hpke.AEAD.AES_256_GCM)
    dek = suite.decrypt(
        b64url_decode(doc["keys"][kid]), keys.encrypt, info=hpke_info(kid, header_bytes)
    )
    nonce = b64url_decode(doc["header"]["nonce"])
    aad = content_aad(header_bytes, keys_digest(doc["keys"]))
    envelope = AESGCM(dek).decrypt(nonce, b64url_decode(doc["ciphertext"]), aad)
    target = load_federation(home).lab(to).active_key("encrypt")
    header = {**doc["header"], "stream": stream_name, "recipients": [target.kid]}
    header_bytes = canonical_json(header)
    public = public_from_b64(target.alg, target.public)
    new_keys = {
        target.kid: b64url(suite.encrypt(dek, public, info=hpke_info(target.kid, header_bytes)))
    }
    aad = content_aad(header_bytes, keys_digest(new_keys))
    ciphertext = AESGCM(dek).encrypt(nonce, envelope, aad)
    forwarded = {"format": doc["format"], "header": header, "keys": new_keys}
    return json.dumps({**forwarded, "ciphertext": b64url(ciphertext)}).encode()


def test_surreptitious_forwarding_is_refused(home) -> None:  # type: ignore[no-untyped-def]
    [data] = stream(home, 1)
    as_is = _forward(home, data, by="openai", to="google", stream_name="openai")
    with pytest.raises(BulletinRejected, match=r"^another participant's bulletin"):
        receive_bulletin(home, "google", as_is, now=NOW)
    relabelled = _forward(home, data, by="openai", to="google", stream_name="google")
    with pytest.raises(BulletinRejected, match=r"^header/body mismatch: inner and outer stream"):
        receive_bulletin(home, "google", relabelled, now=NOW)
    assert StreamState.load(home.receiver_state("google")).streams == {}


def test_an_expired_bulletin_is_refused(home) -> None:  # type: ignore[no-untyped-def]
    [data] = stream(home, 1)
    with pytest.raises(BulletinRejected, match=r"^expired: bulletin openai-000001"):
        receive_bulletin(home, "openai", data, now=NOW + timedelta(days=7))
    assert receive_bulletin(home, "openai", data, now=NOW + timedelta(days=6)).header["seq"] == 1


@pytest.mark.parametrize("name", ["prev", "issued", "expires"])
def test_a_body_that_disagrees_with_its_header_is_refused(home, name) -> None:  # type: ignore[no-untyped-def]
    data = bulletin(home, body={name: "2026-01-01T00:00:00Z"})
    with pytest.raises(BulletinRejected, match=rf"^header/body mismatch: inner and outer {name}"):
        receive_bulletin(home, "openai", data, now=NOW)


@pytest.mark.parametrize(
    "text",
    [
        '{"streams": ',
        "[]",
        '{"streams": []}',
        '{"streams": {"openai": "x"}}',
        '{"streams": {"openai": {"seq": "1", "header_hash": "00"}}}',
    ],
)
def test_unreadable_receiver_state_is_a_clear_error_and_nothing_is_accepted(home, text) -> None:  # type: ignore[no-untyped-def]
    [data] = stream(home, 1)
    state = home.receiver_state("openai")
    state.parent.mkdir(parents=True, exist_ok=True)
    state.write_text(text)
    with pytest.raises(InputError, match="receiver state is unreadable"):
        receive_bulletin(home, "openai", data, now=NOW)
    assert state.read_text() == text


def test_a_post_quantum_federation_receives_with_both_signatures(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from sharing.founding import found_federation
    from sharing.home import Home
    from tests.conftest import fast_argon2

    monkeypatch.setenv("DTIX_PASSPHRASE", "x")
    home = Home(tmp_path / "pq")
    found_federation(home, labs=("openai", "google"), now=NOW, argon2=fast_argon2(), pq=True)
    first, second = stream(home, 2)
    assert json.loads(first)["header"]["suite"] == "HPKE-MLKEM768X25519-SHA256-AES256GCM"
    assert receive_bulletin(home, "openai", first, now=NOW).header["seq"] == 1
    _retire_mldsa(home)  # without the hub's ML-DSA-65 key the bulletin cannot be trusted
    with pytest.raises(BulletinRejected, match="ML-DSA-65"):
        receive_bulletin(home, "openai", second, now=NOW)


def _retire_mldsa(home) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    from sharing.federation import save_federation

    federation = load_federation(home)
    hub = federation.hub
    keys = tuple(
        replace(k, status="revoked", expires="2026-11-01T00:00:00Z") if k.alg == "ML-DSA-65" else k
        for k in hub.keys
    )
    save_federation(
        home,
        replace(
            federation, participants={**federation.participants, "hub": replace(hub, keys=keys)}
        ),
    )
