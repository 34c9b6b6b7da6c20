"""Key pairs, RFC 7638 key ids and the base64url form of public keys."""

import base64
import hashlib
import json

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey

from sharing.crypto import (
    ed25519_public_from_b64,
    generate_keys,
    kid_for,
    public_to_b64,
    x25519_public_from_b64,
)

# RFC 8037 appendix A.1 (public key) and A.3 (its RFC 7638 thumbprint).
RFC8037_X = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"
RFC8037_THUMBPRINT = "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"
# RFC 7748 section 6.1: Alice's private key.
ALICE = bytes.fromhex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a")
ALICE_PUBLIC = "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a"


def test_ed25519_kid_is_the_rfc8037_thumbprint() -> None:
    key = ed25519_public_from_b64(RFC8037_X)
    assert kid_for(key) == RFC8037_THUMBPRINT


def test_x25519_kid_is_the_thumbprint_of_its_okp_jwk() -> None:
    public = X25519PrivateKey.from_private_bytes(ALICE).public_key()
    raw = bytes.fromhex(ALICE_PUBLIC)
    x = base64.urlsafe_b64encode(raw).rstrip(b"=").decode()
    jwk = json.dumps({"crv": "X25519", "kty": "OKP", "x": x}, separators=(",", ":"))
    expected = base64.urlsafe_b64encode(hashlib.sha256(jwk.encode()).digest()).rstrip(b"=")
    assert public_to_b64(public) == x
    assert kid_for(public) == expected.decode()


def test_the_curve_is_part_of_the_kid() -> None:
    raw = base64.urlsafe_b64decode(RFC8037_X + "=")
    assert kid_for(Ed25519PublicKey.from_public_bytes(raw)) != kid_for(
        X25519PublicKey.from_public_bytes(raw)
    )


def test_generated_keys_are_fresh_and_expose_their_kids() -> None:
    first, second = generate_keys(), generate_keys()
    public = first.public()
    assert isinstance(public.sign, Ed25519PublicKey)
    assert isinstance(public.encrypt, X25519PublicKey)
    assert public.sign_kid == kid_for(first.sign.public_key())
    assert public.encrypt_kid == kid_for(first.encrypt.public_key())
    assert public.sign_kid != second.public().sign_kid
    assert len(public.sign_kid) == 43


def test_public_keys_round_trip_through_base64url() -> None:
    public = generate_keys().public()
    assert ed25519_public_from_b64(public_to_b64(public.sign)) == public.sign
    assert x25519_public_from_b64(public_to_b64(public.encrypt)) == public.encrypt


BAD = [
    "",
    "not base64!",
    RFC8037_X + "=",  # padding
    RFC8037_X[:-1],  # 31 bytes and change
    RFC8037_X + "AAAA",  # 35 bytes
    RFC8037_X.replace("_", "/"),  # the standard alphabet
    RFC8037_X[:-1] + "p",  # same bytes, different low bits: not canonical
]


@pytest.mark.parametrize("text", BAD)
@pytest.mark.parametrize("parse", [ed25519_public_from_b64, x25519_public_from_b64])
def test_bad_public_keys_raise_value_error(parse, text: str) -> None:
    with pytest.raises(ValueError, match="public key"):
        parse(text)


def test_non_string_public_key_raises_value_error() -> None:
    with pytest.raises(ValueError):
        x25519_public_from_b64(b"bytes")  # type: ignore[arg-type]


def test_kid_for_refuses_other_key_types() -> None:
    with pytest.raises(TypeError):
        kid_for(Ed25519PrivateKey.generate())  # type: ignore[arg-type]
