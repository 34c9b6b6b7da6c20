"""asn: asplain numbers written AS<n>."""

from tests.indicators.cases import Cases, table_tests

CASES = [
    Cases(
        "asn",
        accepted=[
            ("AS15169", "AS15169"),
            ("as15169", "AS15169"),
            ("15169", "AS15169"),
            (" As15169 ", "AS15169"),
            ("AS1", "AS1"),
            ("AS64512", "AS64512"),
            ("AS4200000000", "AS4200000000"),
            ("AS4294967295", "AS4294967295"),
        ],
        refused=[
            ("AS0", "AS 0 is reserved"),
            ("0", "AS 0 is reserved"),
            ("AS23456", "AS_TRANS"),
            ("AS4294967296", "AS numbers end at 4294967295"),
            ("AS99999999999999999999", "AS numbers end at 4294967295"),
            ("AS015169", "leading zeros are ambiguous"),
            ("AS1.10", "asdot notation is not accepted"),
            ("AS-1", "expected AS followed by a decimal number"),
            ("AS 15169", "expected AS followed by a decimal number"),
            ("ASN15169", "expected AS followed by a decimal number"),
            ("AS\u0661\u0665", "expected AS followed by a decimal number"),
            ("AS1_000", "expected AS followed by a decimal number"),
            ("", "expected AS followed by a decimal number"),
        ],
    ),
]

test_accepted, test_refused = table_tests(CASES)
