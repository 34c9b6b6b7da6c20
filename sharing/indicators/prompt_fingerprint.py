"""prompt_fingerprint: the digest of a normalized prompt template used to elicit outputs."""

from sharing.indicators.hex_digest import HexDigest


class PromptFingerprint(HexDigest):
    """Labs recognize the same elicitation template without sharing it."""

    name = "prompt_fingerprint"
    description = "SHA-256 (or HMAC-SHA256) of a normalized prompt used to elicit outputs."
    hashed = "a normalized prompt template"
