"""The cases domain and email_domain share: lower-case A-labels under the LDH rule."""

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
    ("пример.рф", "xn--e1afmkfd.xn--p1ai"),  # one script: Cyrillic
    ("한국.kr", "xn--3e0b707e.kr"),  # Hangul
    ("日本語ドメイン.jp", "xn--eckwd4c7c5976acvb2w6i.jp"),  # Han with Katakana
    ("παράδειγμα.gr", "xn--hxajbheg2az3al.gr"),  # Greek, not only look-alike letters
    # An A-label is what a resolver saw; it is kept as observed, even for a look-alike.
    ("xn--pple-43d.com", "xn--pple-43d.com"),
    ("XN--80AK6AA92E.com", "xn--80ak6aa92e.com"),
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
    # Homoglyphs: Cyrillic \u0430 in a Latin name, Greek omicrons, all-Cyrillic "apple".
    ("p\u0430ypal.com", "mixes the cyrillic and latin scripts"),
    ("p\u0430ypal.com", "submit the A-label xn--pypal-4ve if it is real"),
    ("g\u03bf\u03bfgle.com", "mixes the greek and latin scripts"),
    ("\u0430\u0440\u0440\u04cf\u0435.com", "look like Latin 'apple'"),
    ("\u0430\u0440\u0440\u04cf\u0435.com", "submit the A-label xn--80ak6aa92e"),
    ("relay.\u0440\u0430ypal.com", "mixes the cyrillic and latin scripts"),
]
