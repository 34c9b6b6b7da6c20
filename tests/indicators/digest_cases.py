"""The table every hex-digest type shares: 64 hex characters, lower-cased, never raw data."""

DIGEST = "8d969eef6ecad3c29a3a629280e686cf0c3f5d5a86aff3ca12020c923adc6c92"

ACCEPTED = [
    (DIGEST, DIGEST),
    (DIGEST.upper(), DIGEST),
    (f"sha256:{DIGEST}", DIGEST),
    (f"SHA256:{DIGEST.upper()}", DIGEST),
    (f"  {DIGEST}\n", DIGEST),
]

REFUSED = [
    (DIGEST[:-1], "expected 64 hex characters"),
    (DIGEST + "0", "got 65"),
    ("d41d8cd98f00b204e9800998ecf8427e", "got 32"),
    (DIGEST[:-1] + "g", "not all are hex"),
    (f"sha1:{DIGEST}", "expected 64 hex characters"),
    (f"sha256:sha256:{DIGEST}", "expected 64 hex characters"),
    ("", "got 0"),
    ("alice@example.com", "a raw email address is never accepted"),
    ("+1 (415) 555-0134", "a raw phone number is never accepted"),
    ("4155550134", "a raw phone number is never accepted"),
    ("٨" * 64, "not all are hex"),
]
