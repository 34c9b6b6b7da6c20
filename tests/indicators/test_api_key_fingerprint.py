"""api_key_fingerprint: the digest of an API key."""

from tests.indicators.cases import Cases, table_tests
from tests.indicators.digest_cases import ACCEPTED, REFUSED

CASES = [Cases("api_key_fingerprint", accepted=ACCEPTED, refused=REFUSED)]

test_accepted, test_refused = table_tests(CASES)
