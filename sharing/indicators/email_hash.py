"""email_hash: the keyed hash of an email address an account farm signed up with."""

from sharing.indicators.hex_digest import HexDigest


class EmailHash(HexDigest):
    """Never the address itself: `dtix submit` hashes it on the lab's side."""

    name = "email_hash"
    description = "HMAC-SHA256, under the federation key, of a normalized email address."
    hashed = "an email address, keyed with the federation secret"
