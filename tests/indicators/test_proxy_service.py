"""proxy_service: a provider's name, lower-cased, never a phone number."""

from tests.indicators.cases import Cases, table_tests

CASES = [
    Cases(
        "proxy_service",
        accepted=[
            ("Bright Data", "bright data"),
            ("  Bright   Data ", "bright data"),
            ("oxylabs.io", "oxylabs.io"),
            ("IPRoyal_residential-v2", "iproyal_residential-v2"),
            ("911.re", "911.re"),
            ("p" * 128, "p" * 128),
        ],
        refused=[
            ("", "empty"),
            ("x" * 129, "longer than 128 characters"),
            ("Bright Data!", "only letters, digits"),
            ("sales@brightdata.example", "only letters, digits"),
            ("\u212aelvin proxies", "only letters, digits"),
            ("prøxy", "only letters, digits"),
            ("415 555 0134", "looks like a phone number"),
            ("415-555-0134", "looks like a phone number"),
        ],
    ),
]

test_accepted, test_refused = table_tests(CASES)
