"""domain: lower-case A-labels, no trailing dot; an email address is refused."""

from tests.indicators.cases import Cases, table_tests
from tests.indicators.domain_cases import SHARED_ACCEPTED, SHARED_REFUSED

CASES = [
    Cases(
        "domain",
        accepted=SHARED_ACCEPTED,
        refused=[*SHARED_REFUSED, ("alice@example.com", "submit an email_hash")],
    ),
]

test_accepted, test_refused = table_tests(CASES)
