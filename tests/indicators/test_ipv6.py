"""ipv6: RFC 5952 form; IPv4-mapped addresses are handed to ipv4."""

from tests.indicators.cases import Cases, table_tests

CASES = [
    Cases(
        "ipv6",
        accepted=[
            ("2001:DB8::7", "2001:db8::7"),
            ("2001:0db8:0000:0000:0000:0000:0000:0007", "2001:db8::7"),
            ("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"),
            ("::1", "::1"),
            ("::", "::"),
            ("::ffff:203.0.113.7", "203.0.113.7", "ipv4"),
            ("::FFFF:cb00:7107", "203.0.113.7", "ipv4"),
            ("::203.0.113.7", "::cb00:7107"),
        ],
        refused=[
            ("fe80::1%eth0", "a zone index"),
            ("203.0.113.7", "expected an IPv6 address"),
            ("2001:db8::g", "2001:db8::g"),
            ("1:2:3:4:5:6:7:8:9", "is not a valid ipv6"),
            ("::ffff:010.1.2.3", "Leading zeros"),
            ("\uff12\uff10\uff10\uff11:db8::1", "expected an IPv6 address"),
        ],
    ),
]

test_accepted, test_refused = table_tests(CASES)
