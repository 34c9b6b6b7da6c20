"""dtix-bulletin/1 with real keys: sealing, opening, and every check the opener makes."""

import hashlib
import io
import json
import os
from datetime import UTC, datetime, timedelta, timezone

import pytest
from cryptography.hazmat.primitives import hpke
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sharing.crypto import (
    CONTENT_TYPE,
    GENESIS_PREV,
    ParticipantKeys,
    SenderKeys,
    generate_keys,
    header_hash,
    open_bulletin,
    seal_bulletin,
    sign_envelope,
)
from sharing.crypto import bulletin as bulletin_module
from sharing.crypto.bulletin import seal_into
from sharing.crypto.bulletin_header import make_header as _make_header
from sharing.encoding import b64url, b64url_decode, canonical_json
from sharing.errors import BulletinRejected, DtixError

NOW = datetime(2026, 11, 23, 10, 0, 0, tzinfo=UTC)
WEEK = timedelta(days=7)
HUB, LAB, OTHER_LAB, STRANGER = (generate_keys() for _ in range(4))
TRUSTED = {HUB.public().sign_kid: SenderKeys(HUB.public().sign)}


def body_for(**fields: object) -> bytes:
    inner = {"id": "b-1", "stream": "openai", "seq": 1, "audience": ["openai"], "indicators": []}
    inner.update(fields)
    return canonical_json({k: v for k, v in inner.items() if v is not None})


def recipients(*keys: ParticipantKeys) -> dict:
    return {k.public().encrypt_kid: k.public().encrypt for k in keys}


def seal(to: tuple[ParticipantKeys, ...] = (LAB,), sender: ParticipantKeys = HUB, **kw) -> bytes:
    fields = {
        "id": "b-1",
        "stream": "openai",
        "seq": 1,
        "prev": GENESIS_PREV,
        "issued": NOW,
        "expires": NOW + WEEK,
        "body": body_for(),
        "recipients": recipients(*to),
    }
    fields.update(kw)
    return seal_bulletin(sender=sender, **fields)


def open_as(data: bytes, keys: ParticipantKeys = LAB, trusted=TRUSTED, now: datetime = NOW):
    return open_bulletin(
        data, recipient_keys=keys.decryption_keys(), trusted_senders=trusted, now=now
    )


def _seal(header: dict, body: bytes, sender: ParticipantKeys, to: dict, *, dek: bytes) -> bytes:
    out = io.BytesIO()
    seal_into(out, header, body, sender, to, dek=dek)
    return out.getvalue()


def seal_plaintext(header: dict, plaintext: bytes, to: ParticipantKeys = LAB) -> bytes:
    """A bulletin around any plaintext, built from the spec with the primitives directly."""
    dek, header_bytes = os.urandom(32), canonical_json(header)
    kid = to.public().encrypt_kid
    info = b"dtix-bulletin/1\x00" + kid.encode() + b"\x00" + hashlib.sha256(header_bytes).digest()
    suite = hpke.Suite(hpke.KEM.X25519, hpke.KDF.HKDF_SHA256, hpke.AEAD.AES_256_GCM)
    keys = {kid: b64url(suite.encrypt(dek, to.public().encrypt, info=info))}
    aad = header_bytes + hashlib.sha256(canonical_json(keys)).digest()
    ciphertext = AESGCM(dek).encrypt(b64url_decode(header["nonce"]), plaintext, aad)
    document = {"format": "dtix-bulletin/1", "header": header, "keys": keys}
    return json.dumps({**document, "ciphertext": b64url(ciphertext)}).encode()


HEADER = json.loads(seal())["header"]


def test_round_trip() -> None:
    data = seal()
    opened = open_as(data)
    assert opened.body == body_for()
    assert opened.signer == HUB.public().sign_kid
    assert opened.header == json.loads(data)["header"]
    assert opened.header_hash == header_hash(opened.header)
    assert opened.header_hash == hashlib.sha256(canonical_json(opened.header)).hexdigest()


def test_header_is_filled_as_documented() -> None:
    local = timezone(timedelta(hours=1))
    data = seal(to=(OTHER_LAB, LAB), issued=datetime(2026, 11, 23, 11, 0, 0, 999, tzinfo=local))
    header = open_as(data).header
    assert header["issued"] == "2026-11-23T10:00:00Z"
    assert header["expires"] == "2026-11-30T10:00:00Z"
    assert header["sender"] == HUB.public().sign_kid
    assert header["recipients"] == sorted(recipients(LAB, OTHER_LAB))
    assert header["suite"] == "HPKE-X25519-SHA256-AES256GCM"
    assert header["content_type"] == CONTENT_TYPE
    assert len(b64url_decode(header["nonce"])) == 12
    assert header["nonce"] != json.loads(seal())["header"]["nonce"]


def test_a_forged_file_built_from_the_spec_opens() -> None:
    envelope = sign_envelope(CONTENT_TYPE, body_for(), HUB.sign, HUB.public().sign_kid)
    assert open_as(seal_plaintext(HEADER, canonical_json(envelope))).body == body_for()


def test_two_recipients_each_open_and_a_third_is_refused() -> None:
    data = seal(to=(LAB, OTHER_LAB))
    assert open_as(data, LAB).body == open_as(data, OTHER_LAB).body == body_for()
    with pytest.raises(BulletinRejected, match="not for you"):
        open_as(data, STRANGER)


def test_a_key_that_is_not_the_kid_given_is_a_usage_error() -> None:
    with pytest.raises(DtixError) as caught:
        open_bulletin(
            seal(),
            recipient_keys={LAB.public().encrypt_kid: OTHER_LAB.encrypt},
            trusted_senders=TRUSTED,
            now=NOW,
        )
    assert not isinstance(caught.value, BulletinRejected)


def _mutations(byte: int) -> list[int]:
    alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    nearby = alphabet[(alphabet.index(byte) + 1) % 64] if byte in alphabet else byte ^ 0x02
    return [byte ^ 0x01, nearby]


def test_every_single_byte_change_is_refused() -> None:
    data = seal()
    for position in range(len(data)):
        for replacement in _mutations(data[position]):
            tampered = data[:position] + bytes([replacement]) + data[position + 1 :]
            with pytest.raises(BulletinRejected):
                open_as(tampered)


@pytest.mark.parametrize(
    "part", ["header.id", "header.expires", "header.nonce", "keys", "ciphertext"]
)
def test_valid_looking_changes_are_refused_as_tampered(part: str) -> None:
    doc = json.loads(seal())
    kid = LAB.public().encrypt_kid
    if part == "header.id":
        doc["header"]["id"] = "b-2"
    elif part == "header.expires":
        doc["header"]["expires"] = "2027-01-01T00:00:00Z"
    elif part == "header.nonce":
        doc["header"]["nonce"] = b64url(bytes(12))
    elif part == "keys":
        sealed = bytearray(b64url_decode(doc["keys"][kid]))
        sealed[-1] ^= 1
        doc["keys"][kid] = b64url(bytes(sealed))
    else:
        ciphertext = bytearray(b64url_decode(doc["ciphertext"]))
        ciphertext[len(ciphertext) // 2] ^= 1
        doc["ciphertext"] = b64url(bytes(ciphertext))
    with pytest.raises(BulletinRejected, match="tampered"):
        open_as(json.dumps(doc).encode())


def test_a_sender_that_is_not_trusted_is_refused() -> None:
    with pytest.raises(BulletinRejected, match="untrusted sender"):
        open_as(seal(sender=STRANGER))


def test_a_trusted_kid_with_another_key_is_refused() -> None:
    rotated = {HUB.public().sign_kid: SenderKeys(STRANGER.public().sign)}
    with pytest.raises(BulletinRejected, match="does not verify"):
        open_as(seal(), trusted=rotated)


def test_a_signature_forged_under_the_hub_kid_is_refused() -> None:
    envelope = sign_envelope(CONTENT_TYPE, body_for(), STRANGER.sign, HUB.public().sign_kid)
    with pytest.raises(BulletinRejected, match="does not verify"):
        open_as(seal_plaintext(HEADER, canonical_json(envelope)))


def test_a_hub_signature_under_another_keyid_is_refused() -> None:
    envelope = sign_envelope(CONTENT_TYPE, body_for(), HUB.sign, STRANGER.public().sign_kid)
    with pytest.raises(BulletinRejected, match="no signature by"):
        open_as(seal_plaintext(HEADER, canonical_json(envelope)))


@pytest.mark.parametrize(
    "plaintext",
    [
        b"not json",
        b"[]",
        canonical_json(sign_envelope("text/plain", body_for(), HUB.sign, HUB.public().sign_kid)),
        canonical_json(sign_envelope(CONTENT_TYPE, b"not json", HUB.sign, HUB.public().sign_kid)),
        canonical_json(sign_envelope(CONTENT_TYPE, b"[1]", HUB.sign, HUB.public().sign_kid)),
    ],
    ids=["not-json", "not-envelope", "other-payload-type", "body-not-json", "body-not-object"],
)
def test_bad_signed_contents_are_refused(plaintext: bytes) -> None:
    with pytest.raises(BulletinRejected):
        open_as(seal_plaintext(HEADER, plaintext))


@pytest.mark.parametrize(
    ("field", "value"),
    [("id", "b-2"), ("stream", "anthropic"), ("seq", 2), ("seq", "1"), ("seq", True), ("id", None)],
)
def test_inner_and_outer_values_must_agree(field: str, value: object) -> None:
    fields = {"id": "b-1", "stream": "openai", "seq": 1, "prev": GENESIS_PREV}
    header = _make_header(fields, NOW, NOW + WEEK, HUB, recipients(LAB), nonce=os.urandom(12))
    data = _seal(header, body_for(**{field: value}), HUB, recipients(LAB), dek=os.urandom(32))
    with pytest.raises(BulletinRejected, match=f"inner and outer {field} differ"):
        open_as(data)


def test_expiry() -> None:
    data = seal()
    assert open_as(data, now=NOW + WEEK - timedelta(seconds=1)).body == body_for()
    for late in (NOW + WEEK, NOW + 2 * WEEK):
        with pytest.raises(BulletinRejected, match="expired"):
            open_as(data, now=late)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"body": body_for(id="b-2")}, "inner and outer id differ"),
        ({"body": b"\x00"}, "not JSON"),
        ({"issued": datetime(2026, 11, 23, 10)}, "time zone"),
        ({"expires": NOW}, "expires"),
        ({"prev": "ABC"}, "prev"),
        ({"seq": 0, "body": body_for(seq=0)}, "seq"),
        ({"id": "", "body": body_for(id="")}, "id"),
        ({"to": ()}, "recipients"),
    ],
)
def test_seal_refuses_unusable_values(change: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        seal(**change)


def test_seal_refuses_a_kid_that_is_not_its_key() -> None:
    with pytest.raises(ValueError, match="not the kid"):
        seal(recipients={LAB.public().encrypt_kid: OTHER_LAB.public().encrypt})


def test_seal_refuses_a_body_beyond_the_aes_gcm_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bulletin_module, "MAX_PLAINTEXT", 4096)
    assert open_as(seal(body=body_for(pad="x" * 1000))).body
    with pytest.raises(DtixError, match="too large"):
        seal(body=body_for(pad="x" * 4000))


VALID = seal()


def _edited(change) -> bytes:
    doc = json.loads(VALID)
    change(doc)
    return json.dumps(doc).encode()


def _header_set(name: str, value: object):
    return _edited(lambda doc: doc["header"].__setitem__(name, value))


MALFORMED = {
    "empty": b"",
    "not utf-8": b"\xff" + VALID,
    "utf-16": VALID.decode().encode("utf-16"),
    "truncated": VALID[:-1],
    "not an object": b"[1, 2]",
    "nan": VALID.replace(b'"seq":1', b'"seq":NaN'),
    "duplicate name": VALID.replace(b'{"format"', b'{"format":"x","format"', 1),
    "deep nesting": b"[" * 100_000 + b"]" * 100_000,
    "huge integer": VALID.replace(b'"seq":1', b'"seq":' + b"9" * 5000),
    "other format": _edited(lambda doc: doc.update(format="dtix-bulletin/2")),
    "unknown field": _edited(lambda doc: doc.update(signature="x")),
    "no keys": _edited(lambda doc: doc.pop("keys")),
    "header not an object": _edited(lambda doc: doc.update(header=[])),
    "header unknown field": _header_set("note", "x"),
    "seq as string": _header_set("seq", "1"),
    "seq as bool": _header_set("seq", True),
    "seq as float": _header_set("seq", 1.0),
    "seq zero": _header_set("seq", 0),
    "seq beyond 2^53": _header_set("seq", 2**53),
    "prev uppercase": _header_set("prev", "A" * 64),
    "prev short": _header_set("prev", "0" * 63),
    "issued with offset": _header_set("issued", "2026-11-23T10:00:00+00:00"),
    "issued with fraction": _header_set("issued", "2026-11-23T10:00:00.5Z"),
    "issued impossible": _header_set("issued", "2026-02-30T10:00:00Z"),
    "issued unicode digits": _header_set("issued", "\u0662026-11-23T10:00:00Z"),
    "expires before issued": _header_set("expires", "2026-11-22T10:00:00Z"),
    "sender not a kid": _header_set("sender", "hub"),
    "recipients empty": _header_set("recipients", []),
    "recipients not a list": _header_set("recipients", LAB.public().encrypt_kid),
    "recipients duplicated": _header_set("recipients", [LAB.public().encrypt_kid] * 2),
    "unknown suite": _header_set("suite", "HPKE-P256-SHA256-AES128GCM"),
    "other content type": _header_set("content_type", "application/json"),
    "nonce too short": _header_set("nonce", b64url(bytes(8))),
    "id empty": _header_set("id", ""),
    "id lone surrogate": _header_set("id", "\udc00"),
    "keys not an object": _edited(lambda doc: doc.update(keys=[])),
    "keys for someone else": _edited(
        lambda doc: doc.update(keys={OTHER_LAB.public().encrypt_kid: "AAAA"})
    ),
    "keys entry not a string": _edited(lambda doc: doc["keys"].update(dict.fromkeys(doc["keys"]))),
    "keys entry padded": _edited(
        lambda doc: doc["keys"].update({k: v + "=" for k, v in doc["keys"].items()})
    ),
    "ciphertext not a string": _edited(lambda doc: doc.update(ciphertext=None)),
    "ciphertext too short": _edited(lambda doc: doc.update(ciphertext=b64url(bytes(15)))),
    "ciphertext standard base64": _edited(lambda doc: doc.update(ciphertext="+/+/")),
}


@pytest.mark.parametrize("data", list(MALFORMED.values()), ids=list(MALFORMED))
def test_malformed_files_are_rejected(data: bytes) -> None:
    with pytest.raises(BulletinRejected):
        open_as(data)


@pytest.mark.parametrize("field", sorted(HEADER))
def test_every_header_field_is_required(field: str) -> None:
    with pytest.raises(BulletinRejected, match=field):
        open_as(_edited(lambda doc: doc["header"].pop(field)))


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=50),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner),
    max_leaves=10,
)


def _paths(node: object, path: tuple = ()) -> list[tuple]:
    children = (
        node.items()
        if isinstance(node, dict)
        else enumerate(node)
        if isinstance(node, list)
        else []
    )
    return [path] + [p for key, child in children for p in _paths(child, (*path, key))]


PATHS = _paths(json.loads(VALID))
FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _open_or_reject(data: bytes) -> bool:
    """True if the file opened; BulletinRejected is the only error allowed to escape."""
    try:
        open_as(data)
    except BulletinRejected:
        return False
    return True


@FUZZ
@given(st.binary(max_size=4096))
def test_fuzz_random_bytes(data: bytes) -> None:
    assert not _open_or_reject(data)


@FUZZ
@given(start=st.integers(0, len(VALID)), length=st.integers(0, 64), insert=st.binary(max_size=64))
def test_fuzz_spliced_bytes(start: int, length: int, insert: bytes) -> None:
    data = VALID[:start] + insert + VALID[start + length :]
    if _open_or_reject(data):  # only JSON whitespace may differ
        assert json.loads(data) == json.loads(VALID)


@FUZZ
@given(
    path=st.sampled_from(PATHS),
    action=st.sampled_from(["replace", "delete", "add"]),
    key=st.text(max_size=10),
    value=json_values,
)
def test_fuzz_json_mutations(path: tuple, action: str, key: str, value: object) -> None:
    doc = json.loads(VALID)
    parent, target = None, doc
    for step in path:
        parent, target = target, target[step]
    if action == "replace" and parent is not None:
        parent[path[-1]] = value
    elif action == "replace":
        doc = value
    elif action == "delete" and parent is not None:
        del parent[path[-1]]
    elif isinstance(target, dict):
        target[key] = value
    elif isinstance(target, list):
        target.append(value)
    opened = _open_or_reject(json.dumps(doc).encode())
    assert not opened or doc == json.loads(VALID)
