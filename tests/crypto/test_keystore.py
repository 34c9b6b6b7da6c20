"""Private keys at rest: round trip, wrong passphrase, damaged and hostile files."""

import json

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from sharing.crypto import Argon2Params, ParticipantKeys, generate_keys, lock_keys, unlock_keys
from sharing.crypto.key_algs import private_raw
from sharing.encoding import b64url, b64url_decode
from sharing.errors import InputError, PassphraseError

CHEAP = Argon2Params(memory_cost=1024, iterations=1, lanes=1)
WHERE = "keys/hub.key.json"
PASS = b"correct horse battery staple"
KEYS = generate_keys()
LOCKED = lock_keys(KEYS, PASS, params=CHEAP)


def _raw(keys: ParticipantKeys) -> tuple[bytes, ...]:
    optional = (keys.log, keys.pq_sign, *keys.retired)
    return tuple(private_raw(k) for k in (keys.sign, keys.encrypt, *optional) if k is not None)


def _edit(change) -> bytes:
    doc = json.loads(LOCKED)
    change(doc)
    return json.dumps(doc).encode()


def test_round_trip() -> None:
    assert _raw(unlock_keys(LOCKED, PASS, where=WHERE)) == _raw(KEYS)


def test_log_post_quantum_and_retired_keys_round_trip() -> None:
    keys = generate_keys(log=True, pq=True)
    keys = ParticipantKeys(keys.sign, keys.encrypt, keys.log, keys.pq_sign, (KEYS.encrypt,))
    unlocked = unlock_keys(lock_keys(keys, PASS, params=CHEAP), PASS, where=WHERE)
    assert _raw(unlocked) == _raw(keys) and len(_raw(keys)) == 5
    assert unlocked.post_quantum and unlocked.log is not None
    assert set(unlocked.decryption_keys()) == {
        keys.public().encrypt_kid,
        KEYS.public().encrypt_kid,
    }


def test_labs_have_no_log_key() -> None:
    assert unlock_keys(LOCKED, PASS, where=WHERE).log is None


def test_default_parameters_round_trip() -> None:
    document = lock_keys(KEYS, PASS)
    kdf = json.loads(document)["kdf"]
    assert (kdf["memory_cost"], kdf["iterations"], kdf["lanes"]) == (65536, 3, 4)
    assert _raw(unlock_keys(document, PASS, where=WHERE)) == _raw(KEYS)


def test_document_stores_parameters_and_no_private_key() -> None:
    doc = json.loads(LOCKED)
    assert doc["format"] == "dtix-private-keys/2"
    assert doc["kdf"]["name"] == "argon2id" and len(b64url_decode(doc["kdf"]["salt"])) == 16
    assert doc["aead"]["name"] == "AES-256-GCM" and len(b64url_decode(doc["aead"]["nonce"])) == 12
    for raw in _raw(KEYS):
        assert raw.hex().encode() not in LOCKED and b64url(raw).encode() not in LOCKED


def test_each_lock_uses_a_fresh_salt_and_nonce() -> None:
    again = json.loads(lock_keys(KEYS, PASS, params=CHEAP))
    first = json.loads(LOCKED)
    assert again["kdf"]["salt"] != first["kdf"]["salt"]
    assert again["aead"]["nonce"] != first["aead"]["nonce"]


def test_wrong_passphrase() -> None:
    with pytest.raises(PassphraseError) as caught:
        unlock_keys(LOCKED, b"wrong", where=WHERE)
    assert str(caught.value) == f"wrong passphrase for {WHERE}"


def test_empty_passphrase() -> None:
    with pytest.raises(PassphraseError, match=WHERE):
        unlock_keys(LOCKED, b"", where=WHERE)
    with pytest.raises(PassphraseError):
        lock_keys(KEYS, b"", params=CHEAP)


def _set(section: str, name: str, value: object):
    return lambda doc: doc[section].__setitem__(name, value)


def _other_first(text: str) -> str:
    """`text` with its first character changed (to one it is not: the keys are random)."""
    return ("B" if text[0] == "A" else "A") + text[1:]


@pytest.mark.parametrize(
    "change",
    [
        _set("kdf", "iterations", 2),
        _set("kdf", "salt", b64url(bytes(16))),
        _set("aead", "nonce", b64url(bytes(12))),
        lambda doc: doc["keys"][0].__setitem__("kid", b64url(bytes(32))),
        lambda doc: doc["keys"].reverse(),
        lambda doc: doc.__setitem__("ciphertext", _other_first(doc["ciphertext"])),
    ],
    ids=["params", "salt", "nonce", "kid", "order", "ciphertext"],
)
def test_changed_metadata_or_ciphertext_does_not_unlock(change) -> None:
    with pytest.raises(PassphraseError):
        unlock_keys(_edit(change), PASS, where=WHERE)


@pytest.mark.parametrize(
    "document",
    [
        b"",
        b"not json",
        LOCKED[: len(LOCKED) // 2],
        b"[]",
        _edit(lambda doc: doc.__setitem__("format", "dtix-private-keys/9")),
        _edit(lambda doc: doc.pop("keys")),
        _edit(lambda doc: doc["keys"].pop()),
        _edit(lambda doc: doc["keys"][0].__setitem__("slot", "master")),
        _edit(lambda doc: doc["keys"][0].__setitem__("alg", "RSA")),
        _edit(lambda doc: doc["keys"][0].__setitem__("alg", ["Ed25519"])),
        _edit(lambda doc: doc["keys"].append(doc["keys"][0])),
        _edit(lambda doc: doc.__setitem__("extra", 1)),
        _edit(_set("kdf", "name", "scrypt")),
        _edit(_set("kdf", "memory_cost", 2**40)),
        _edit(_set("kdf", "lanes", 0)),
        _edit(_set("kdf", "iterations", "3")),
        _edit(_set("kdf", "iterations", True)),
        _edit(_set("kdf", "salt", "!!")),
        _edit(_set("aead", "nonce", b64url(bytes(8)))),
        _edit(lambda doc: doc["keys"][1].__setitem__("kid", "\udc00")),
        _edit(lambda doc: doc.__setitem__("ciphertext", doc["ciphertext"][:-4])),
        _edit(lambda doc: doc.__setitem__("kdf", [])),
    ],
)
def test_malformed_documents_raise_input_error_naming_the_file(document: bytes) -> None:
    with pytest.raises(InputError, match=WHERE):
        unlock_keys(document, PASS, where=WHERE)


def test_bad_parameters_are_refused_when_locking() -> None:
    with pytest.raises(ValueError, match="memory_cost"):
        lock_keys(KEYS, PASS, params=Argon2Params(memory_cost=4, iterations=1, lanes=1))


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=8,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    section=st.sampled_from([None, "kdf", "aead", "keys"]),
    name=st.sampled_from(["format", "ciphertext", "name", "salt", "nonce", "memory_cost", "kid"]),
    value=json_values,
)
def test_fuzzed_documents_raise_only_dtix_errors(section, name, value) -> None:
    doc = json.loads(LOCKED)
    target = doc if section is None else doc[section]
    target = target[0] if isinstance(target, list) else target
    assume(target.get(name) != value)
    target[name] = value
    with pytest.raises((InputError, PassphraseError)):
        unlock_keys(json.dumps(doc).encode(), PASS, where=WHERE)


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=300))
def test_random_bytes_raise_input_error(data: bytes) -> None:
    with pytest.raises(InputError):
        unlock_keys(data, PASS, where=WHERE)
