"""tls_fingerprint: JA4, the TLS client fingerprint that names the stack behind a fleet."""

import re

from sharing.indicators.base import IndicatorType

_SECTION_A = re.compile(r"([tqd])([0-9a-z]{2})([di])([0-9]{2})([0-9]{2})([0-9A-Za-z]{2})", re.A)
_HEX12 = re.compile(r"[0-9a-f]{12}")


class JA4(IndicatorType):
    """A JA4 fingerprint a_b_c, e.g. t13d1516h2_8daaf6152771_b186095e22b6.

    a: protocol (t TCP, q QUIC, d DTLS), 2-char TLS version, d (SNI) or i (no SNI), 2-digit
    cipher count, 2-digit extension count, first and last ALPN characters (00 when none);
    b and c: 12 hex characters each, lower-cased. Section a is taken as JA4 writes it (lower
    case; the ALPN pair mirrors the ALPN bytes, so its case is kept).
    """

    name = "tls_fingerprint"
    description = "JA4 TLS client fingerprint a_b_c, e.g. t13d1516h2_8daaf6152771_b186095e22b6."

    def normalize(self, raw: str) -> str:
        text = raw.strip()
        sections = text.split("_")
        if len(sections) != 3:
            why = "expected three sections a_b_c (the hashed JA4 form; ja4_r is not accepted)"
            raise self.refuse(raw, why)
        a, b, c = sections
        if not _SECTION_A.fullmatch(a):
            why = "section a must be like t13d1516h2: t|q|d, version, d|i, 2+2 digits, ALPN"
            raise self.refuse(raw, why)
        b, c = b.lower(), c.lower()
        if not (_HEX12.fullmatch(b) and _HEX12.fullmatch(c)):
            raise self.refuse(raw, "sections b and c must be 12 hex characters each")
        return f"{a}_{b}_{c}"
