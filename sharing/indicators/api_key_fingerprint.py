"""api_key_fingerprint: the digest of an API key a campaign used or resold."""

from sharing.indicators.hex_digest import HexDigest


class ApiKeyFingerprint(HexDigest):
    """Labs recognize a leaked or resold key without handing it on."""

    name = "api_key_fingerprint"
    description = "SHA-256 (or HMAC-SHA256) of an API key; the key itself is never shared."
    hashed = "an API key"
