"""C2SP signed notes and checkpoints: round trips, the published example, malformed input."""

import base64
import contextlib

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as st

from sharing.audit.note import (
    checkpoint_body,
    key_hash,
    parse_checkpoint,
    sign_note,
    verifier_key,
    verify_note,
)
from sharing.errors import AuditError

KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
OTHER = Ed25519PrivateKey.from_private_bytes(bytes(range(1, 33)))
NAME = "dtix.example/audit"
ROOT = bytes(range(32))
BODY = checkpoint_body(NAME, 42, ROOT)
NOTE = sign_note(BODY, NAME, KEY)
HASH = key_hash(NAME, KEY.public_key())

# From the tests of Go's golang.org/x/mod/sumdb/note: a key pair and a note it signed.
GO_SKEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
GO_VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
GO_NOTE = (
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n"
    "\n"
    "— PeterNeumann "
    "x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"
)


def test_checkpoint_body_is_three_lines() -> None:
    assert f"{NAME}\n42\n{base64.b64encode(ROOT).decode()}\n" == BODY
    assert parse_checkpoint(BODY) == (NAME, 42, ROOT)


def test_signed_note_round_trip() -> None:
    text, signature = NOTE.split("\n\n")
    assert text + "\n" == BODY
    assert signature.startswith(f"\u2014 {NAME} ") and signature.endswith("\n")
    blob = base64.b64decode(signature.split(" ")[2])
    assert blob[:4] == key_hash(NAME, KEY.public_key()) and len(blob) == 68
    assert verify_note(NOTE, NAME, KEY.public_key()) == BODY


def test_verifier_key_format() -> None:
    name, hash_hex, encoded = verifier_key(NAME, KEY.public_key()).split("+", 2)
    assert (name, hash_hex) == (NAME, key_hash(NAME, KEY.public_key()).hex())
    assert base64.b64decode(encoded) == b"\x01" + KEY.public_key().public_bytes_raw()


def test_matches_the_go_implementation_byte_for_byte() -> None:
    name, hash_hex, _ = GO_VKEY.split("+", 2)
    seed = base64.b64decode(GO_SKEY.split("+", 4)[4])[1:]
    key = Ed25519PrivateKey.from_private_bytes(seed)
    assert key_hash(name, key.public_key()).hex() == hash_hex
    assert verifier_key(name, key.public_key()) == GO_VKEY
    text = GO_NOTE.split("\n\n")[0] + "\n"
    assert sign_note(text, name, key) == GO_NOTE
    assert verify_note(GO_NOTE, name, key.public_key()) == text


def test_signatures_by_other_keys_are_ignored_but_one_by_ours_is_needed() -> None:
    cosigned = NOTE + sign_note(BODY, "witness.example", OTHER).split("\n\n")[1]
    assert verify_note(cosigned, NAME, KEY.public_key()) == BODY
    with pytest.raises(AuditError, match="no signature by"):
        verify_note(sign_note(BODY, NAME, OTHER), NAME, KEY.public_key())
    with pytest.raises(AuditError, match="no signature by"):
        verify_note(NOTE, "other.example/audit", KEY.public_key())


def test_any_of_several_keys_may_have_signed_but_none_may_fail() -> None:
    """A log's current and retired keys: either signature is enough."""
    keys = [OTHER.public_key(), KEY.public_key()]
    assert verify_note(NOTE, NAME, keys) == BODY
    assert verify_note(sign_note(BODY, NAME, OTHER), NAME, keys) == BODY
    both = NOTE + sign_note(BODY, NAME, OTHER).split("\n\n")[1]
    assert verify_note(both, NAME, keys) == BODY
    broken = NOTE + sign_note(BODY.replace("42", "43"), NAME, OTHER).split("\n\n")[1]
    with pytest.raises(AuditError, match="does not verify"):
        verify_note(broken, NAME, keys)
    with pytest.raises(AuditError, match="no signature by no key"):
        verify_note(NOTE, NAME, [])


def test_a_changed_text_is_rejected() -> None:
    forged = NOTE.replace("\n42\n", "\n43\n")
    with pytest.raises(AuditError, match="does not verify"):
        verify_note(forged, NAME, KEY.public_key())


@pytest.mark.parametrize(
    "note",
    [
        "",
        BODY,
        BODY + "\n",
        NOTE[:-1],
        NOTE.replace("\u2014", "-"),
        NOTE.replace(f"\u2014 {NAME} ", f"\u2014 {NAME}"),
        NOTE.replace(f" {NAME} ", " a+b "),
        NOTE[:-3] + "!!\n",
        NOTE.replace("\n42\n", "\n4\t2\n"),
        BODY + "\n\u2014 " + NAME + " AAAA\n",
        BODY + "\n\u2014 " + NAME + " " + base64.b64encode(HASH + b"short").decode() + "\n",
        NOTE + "\n".join([NOTE.split("\n\n")[1].rstrip("\n")] * 101) + "\n",
    ],
)
def test_malformed_notes_are_rejected(note: str) -> None:
    with pytest.raises(AuditError):
        verify_note(note, NAME, KEY.public_key())


@pytest.mark.parametrize(
    "body",
    [
        "",
        "origin\n42\n",
        "origin\n042\n" + base64.b64encode(ROOT).decode() + "\n",
        "origin\n-1\n" + base64.b64encode(ROOT).decode() + "\n",
        "origin\n\u0664\u0662\n" + base64.b64encode(ROOT).decode() + "\n",
        "origin\n42\n" + base64.b64encode(ROOT[:31]).decode() + "\n",
        "origin\n42\n" + base64.b64encode(ROOT).decode(),
        "\n42\n" + base64.b64encode(ROOT).decode() + "\n",
        "origin\n42\n" + base64.urlsafe_b64encode(b"\xff" * 32).decode() + "\n",
        BODY + "\n",
    ],
)
def test_malformed_checkpoints_are_rejected(body: str) -> None:
    with pytest.raises(AuditError):
        parse_checkpoint(body)


def test_extension_lines_are_allowed() -> None:
    assert parse_checkpoint(BODY + "extension\n") == (NAME, 42, ROOT)


def test_bad_names_and_bodies_cannot_be_signed() -> None:
    for name in ("", "a b", "a+b", "a\u00a0b"):
        with pytest.raises(AuditError):
            sign_note(BODY, name, KEY)
    for body in ("no newline", "tab\there\n", "\ud800\n"):
        with pytest.raises(AuditError):
            sign_note(body, NAME, KEY)
    with pytest.raises(AuditError):
        checkpoint_body("two\nlines", 1, ROOT)


def _mutations() -> st.SearchStrategy[str]:
    """The valid note with characters deleted, inserted or replaced."""
    alphabet = st.sampled_from(list("\n \u2014+=/Aa0\t\x00\ud800\u00e9"))
    edits = st.lists(st.tuples(st.integers(0, len(NOTE)), st.integers(0, 3), alphabet), max_size=4)

    def apply(changes: list[tuple[int, int, str]]) -> str:
        note = NOTE
        for at, kind, char in changes:
            if kind == 0:
                note = note[:at] + note[at + 1 :]
            elif kind == 1:
                note = note[:at] + char + note[at:]
            else:
                note = note[:at] + char + note[at + 1 :]
        return note

    return edits.map(apply)


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.text(), _mutations()))
def test_only_audit_errors_escape(note: str) -> None:
    for check in (
        lambda: verify_note(note, NAME, KEY.public_key()),
        lambda: parse_checkpoint(note),
    ):
        with contextlib.suppress(AuditError):
            check()


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=1).filter(lambda s: "\n" not in s), st.integers(0, 2**63 - 1))
def test_checkpoint_round_trip(origin: str, size: int) -> None:
    try:
        body = checkpoint_body(origin, size, ROOT)
    except AuditError:
        return
    assert parse_checkpoint(body) == (origin, size, ROOT)
    assert verify_note(sign_note(body, NAME, KEY), NAME, KEY.public_key()) == body
