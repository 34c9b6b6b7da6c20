"""domain and email_domain: lower-case A-labels under the LDH rule."""

from tests.indicators.cases import Cases, table_tests

LONG_LABEL = "a" * 63
LONGEST = ".".join([LONG_LABEL] * 3 + ["b" * 61])  # 253 characters

SHARED_ACCEPTED = [
    ("example.com", "example.com"),
    ("Relay-7.Example.COM.", "relay-7.example.com"),
    (" example.com ", "example.com"),
    ("bücher.de", "xn--bcher-kva.de"),
    ("BÜCHER.de", "xn--bcher-kva.de"),
    ("XN--BCHER-KVA.de", "xn--bcher-kva.de"),
    ("xn--fa-hia.de", "xn--fa-hia.de"),
    ("\uff25\uff38\uff21\uff2d\uff30\uff2c\uff25\u3002com", "example.com"),
    ("例え.jp", "xn--r8jz45g.jp"),
    ("3com.com", "3com.com"),
    ("a.xn--p1ai", "a.xn--p1ai"),
    (f"{LONG_LABEL}.com", f"{LONG_LABEL}.com"),
    (LONGEST, LONGEST),
]

SHARED_REFUSED = [
    ("com", "at least two labels are required"),
    ("com.", "at least two labels are required"),
    ("", "at least two labels are required"),
    ("a..com", "empty label"),
    (".example.com", "empty label"),
    ("example.com..", "empty label"),
    ("-relay.example.com", "breaks the LDH rule"),
    ("relay-.example.com", "breaks the LDH rule"),
    ("_dmarc.example.com", "breaks the LDH rule"),
    ("*.example.com", "breaks the LDH rule"),
    ("exa mple.com", "breaks the LDH rule"),
    ("example.com/path", "breaks the LDH rule"),
    (f"{LONG_LABEL}a.com", "is longer than 63"),
    (LONGEST + "b", "longer than 253 characters"),
    ("203.0.113.7", "the top-level label is numeric"),
    ("xn--zz.com", "is not valid Punycode"),
    ("xn--abc.com", "is not valid Punycode"),
    ("faß.de", "submit the xn-- A-label"),
    ("\u00ad.com", "is not valid IDNA"),
    ("\ud800.com", "is not valid IDNA"),
]

CASES = [
    Cases(
        "domain",
        accepted=SHARED_ACCEPTED,
        refused=[*SHARED_REFUSED, ("alice@example.com", "submit an email_hash")],
    ),
    Cases(
        "email_domain",
        accepted=SHARED_ACCEPTED,
        refused=[
            *SHARED_REFUSED,
            ("alice@example.com", "an email address is submitted as email_hash"),
            ("@example.com", "an email address is submitted as email_hash"),
        ],
    ),
]

test_accepted, test_refused = table_tests(CASES)
