"""cidr: host bits cleared; single-address networks handed to ipv4 or ipv6."""

from tests.indicators.cases import Cases, table_tests

CASES = [
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
