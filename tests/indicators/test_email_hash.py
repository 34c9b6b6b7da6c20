"""email_hash: the keyed hash of an email address; a raw address is refused."""

from tests.indicators.cases import Cases, table_tests
from tests.indicators.digest_cases import ACCEPTED, REFUSED

CASES = [Cases("email_hash", accepted=ACCEPTED, refused=REFUSED)]

test_accepted, test_refused = table_tests(CASES)
