"""email_domain: the domain part of the addresses an account farm registers with."""

from sharing.indicators.base import IndicatorType
from sharing.indicators.domain_names import domain_name


class EmailDomain(IndicatorType):
    """The part after '@', normalized like a domain; a whole address is refused."""

    name = "email_domain"
    description = "Domain of email addresses (the part after '@'), normalized like domain."

    def normalize(self, raw: str) -> str:
        text = raw.strip()
        if "@" in text:
            why = "give only the domain; an email address is submitted as email_hash"
            raise self.refuse(raw, why)
        return domain_name(text, self.name, raw)
