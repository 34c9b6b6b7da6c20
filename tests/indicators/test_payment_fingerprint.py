"""payment_fingerprint: the keyed hash of a payment instrument."""

from tests.indicators.cases import Cases, table_tests
from tests.indicators.digest_cases import ACCEPTED, REFUSED

CASES = [Cases("payment_fingerprint", accepted=ACCEPTED, refused=REFUSED)]

test_accepted, test_refused = table_tests(CASES)
