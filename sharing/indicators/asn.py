"""Autonomous system numbers: the networks a campaign's proxies and servers sit in."""

import re

from sharing.indicators.base import IndicatorType

_ASN = re.compile(r"(?:AS)?([0-9]+)", re.IGNORECASE | re.ASCII)
_AS_TRANS = 23456
_LAST = 2**32 - 1


class ASN(IndicatorType):
    """An AS number in asplain form, written AS15169.

    AS 0 and AS_TRANS (23456) never originate routes, so they are refused; reserved and
    private-use numbers are accepted (a campaign may well use them).
    """

    name = "asn"
    description = "Autonomous system number, AS1 to AS4294967295, written AS15169."

    def normalize(self, raw: str) -> str:
        text = raw.strip()
        match = _ASN.fullmatch(text)
        if match is None:
            if re.fullmatch(r"(?:AS)?[0-9]+\.[0-9]+", text, re.IGNORECASE | re.ASCII):
                raise self.refuse(raw, "asdot notation is not accepted; give the asplain number")
            raise self.refuse(raw, "expected AS followed by a decimal number, e.g. AS15169")
        digits = match.group(1)
        if len(digits) > 1 and digits[0] == "0":
            raise self.refuse(raw, "leading zeros are ambiguous")
        number = int(digits) if len(digits) <= 10 else _LAST + 1
        if number == 0:
            raise self.refuse(raw, "AS 0 is reserved and never routed")
        if number == _AS_TRANS:
            raise self.refuse(raw, "AS 23456 is AS_TRANS, a placeholder for 4-byte numbers")
        if number > _LAST:
            raise self.refuse(raw, "AS numbers end at 4294967295")
        return f"AS{number}"
