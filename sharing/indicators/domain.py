"""domain: a domain name, such as a relay front or a reseller's site."""

from sharing.indicators.base import IndicatorType
from sharing.indicators.domain_names import domain_name


class Domain(IndicatorType):
    """A domain name in lower-case A-label form, without the trailing dot."""

    name = "domain"
    description = "Domain name: lower-case IDNA A-label, no trailing dot, two labels or more."

    def normalize(self, raw: str) -> str:
        text = raw.strip()
        if "@" in text:
            raise self.refuse(raw, "an email address is never accepted; submit an email_hash")
        return domain_name(text, self.name, raw)
