"""phone_hash: the keyed hash of a phone number; a raw number is refused."""

from tests.indicators.cases import Cases, table_tests
from tests.indicators.digest_cases import ACCEPTED, REFUSED

CASES = [Cases("phone_hash", accepted=ACCEPTED, refused=REFUSED)]

test_accepted, test_refused = table_tests(CASES)
