"""account_hash: the keyed hash of an account identifier at a lab."""

from sharing.indicators.hex_digest import HexDigest


class AccountHash(HexDigest):
    """Labs compare accounts without revealing their own identifiers."""

    name = "account_hash"
    description = "HMAC-SHA256, under the federation key, of an account identifier."
    hashed = "an account identifier, keyed with the federation secret"
