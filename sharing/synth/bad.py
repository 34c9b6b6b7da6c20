"""Deliberately bad lines, of the kinds that validation must send to quarantine.

`samples` holds real values from the lab's feed, so a bad line looks like its neighbours.
"""

BAD_KINDS = (
    "broken-json",
    "unknown-type",
    "ipv4-leading-zero",
    "short-digest",
    "confidence-out-of-range",
    "missing-seen",
    "raw-email",
)
BAD_SHARE = 0.001
_FALLBACK = {"ipv4": "45.83.12.9", "account_hash": "7f" * 32, "domain": "mailbox.top"}


def bad_count(records: int) -> int:
    """About BAD_SHARE of a lab's lines, at least one once the lab writes 100 lines."""
    return 0 if records < 100 else max(1, round(records * BAD_SHARE))


def bad_line(kind: int, seen: str, samples: dict[str, str]) -> str:
    """Bad line number `kind` (cycling through BAD_KINDS), dated `seen`."""
    ip = samples.get("ipv4", _FALLBACK["ipv4"])
    digest = samples.get("account_hash", _FALLBACK["account_hash"])
    name = BAD_KINDS[kind % len(BAD_KINDS)]
    if name == "broken-json":
        return f'{{"type":"ipv4","value":"{ip}","seen":"{seen}","tlp":"amb\n'
    if name == "unknown-type":
        return f'{{"type":"ssdeep","value":"3:hMCEpFz:hub","seen":"{seen}","tlp":"green"}}\n'
    if name == "ipv4-leading-zero":
        a, b, c, d = ip.split(".")
        return f'{{"type":"ipv4","value":"{a}.0{b}.{c}.{d}","seen":"{seen}","tlp":"amber"}}\n'
    if name == "short-digest":
        return f'{{"type":"account_hash","value":"{digest[:63]}","seen":"{seen}"}}\n'
    if name == "confidence-out-of-range":
        return f'{{"type":"ipv4","value":"{ip}","seen":"{seen}","confidence":150}}\n'
    if name == "missing-seen":
        return f'{{"type":"ipv4","value":"{ip}","tlp":"amber","confidence":70}}\n'
    mail = samples.get("domain", _FALLBACK["domain"])
    return f'{{"type":"email_hash","value":"signup.{kind}@{mail}","seen":"{seen}"}}\n'
