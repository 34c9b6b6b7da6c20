"""ipv4: strict dotted quads, no leading zeros."""

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
]

test_accepted, test_refused = table_tests(CASES)
