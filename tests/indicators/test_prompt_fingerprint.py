"""prompt_fingerprint: the digest of a normalized prompt template."""

from tests.indicators.cases import Cases, table_tests
from tests.indicators.digest_cases import ACCEPTED, REFUSED

CASES = [Cases("prompt_fingerprint", accepted=ACCEPTED, refused=REFUSED)]

test_accepted, test_refused = table_tests(CASES)
