"""ipv4, ipv6 and cidr: one table of cases per type."""

from tests.indicators.cases import Cases, table_tests

CASES = [
    Cases(
        "ipv4",
        accepted=[
            ("203.0.113.7", "203.0.113.7"),
            (" 203.0.113.7\n", "203.0.113.7"),
            ("0.0.0.0", "0.0.0.0"),
            ("255.255.255.255", "255.255.255.255"),
            ("10.0.0.1", "10.0.0.1"),
        ],
        refused=[
            ("010.1.2.3", "leading zeros are ambiguous"),
            ("1.2.3.04", "leading zeros are ambiguous"),
            ("256.1.2.3", "octet 256 is greater than 255"),
            ("1.2.3", "expected a dotted quad"),
            ("1.2.3.4.5", "expected a dotted quad"),
            ("0x7f.0.0.1", "expected a dotted quad"),
            ("\u0661.2.3.4", "expected a dotted quad"),
            ("1.2.3.4/32", "expected a dotted quad"),
            ("::ffff:1.2.3.4", "expected a dotted quad"),
            ("", "expected a dotted quad"),
        ],
    ),
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
    Cases(
        "cidr",
        accepted=[
            ("203.0.113.0/24", "203.0.113.0/24"),
            ("203.0.113.77/24", "203.0.113.0/24"),
            ("0.0.0.0/0", "0.0.0.0/0"),
            ("2001:DB8::1/32", "2001:db8::/32"),
            ("203.0.113.7/32", "203.0.113.7", "ipv4"),
            ("2001:db8::7/128", "2001:db8::7", "ipv6"),
            ("::ffff:203.0.113.0/120", "203.0.113.0/24"),
            ("::ffff:203.0.113.7/128", "203.0.113.7", "ipv4"),
            ("::ffff:0:0/96", "0.0.0.0/0"),
        ],
        refused=[
            ("203.0.113.0", "a prefix length is required"),
            ("203.0.113.0/33", "prefix length 33 is longer than 32"),
            ("2001:db8::/129", "prefix length 129 is longer than 128"),
            ("203.0.113.0/024", "leading zeros are ambiguous"),
            ("203.0.113.0/255.255.255.0", "must be a decimal number"),
            ("203.0.113.0/", "must be a decimal number"),
            ("010.0.113.0/24", "leading zeros are ambiguous"),
            ("203.0.113.0/24/8", "must be a decimal number"),
            ("/24", "expected a dotted quad"),
        ],
    ),
]

test_accepted, test_refused = table_tests(CASES)
