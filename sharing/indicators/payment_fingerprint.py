"""payment_fingerprint: the keyed hash of a card or other payment instrument."""

from sharing.indicators.hex_digest import HexDigest


class PaymentFingerprint(HexDigest):
    """Never the card number: `dtix submit` hashes it on the lab's side."""

    name = "payment_fingerprint"
    description = "HMAC-SHA256, under the federation key, of a payment instrument."
    hashed = "a payment instrument, keyed with the federation secret"
