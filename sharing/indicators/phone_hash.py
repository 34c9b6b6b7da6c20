"""phone_hash: the keyed hash of a phone number used to verify accounts."""

from sharing.indicators.hex_digest import HexDigest


class PhoneHash(HexDigest):
    """Never the number itself: `dtix submit` hashes it on the lab's side."""

    name = "phone_hash"
    description = "HMAC-SHA256, under the federation key, of a normalized phone number."
    hashed = "a phone number, keyed with the federation secret"
