"""email_domain: the part after '@', normalized like a domain."""

from tests.indicators.cases import Cases, table_tests
from tests.indicators.domain_cases import SHARED_ACCEPTED, SHARED_REFUSED

CASES = [
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
