"""A lab's accepted bulletins made by a real hub: labs report every indicator type, the hub
collects, issues and delivers, and the lab opens each bulletin with `receive_bulletin`.
Shared by the export tests. Times follow the real clock, as `dtix export` does."""

from datetime import datetime, timedelta

from sharing.clock import rfc3339, utcnow
from sharing.collect import collect_lab
from sharing.delivery import deliver_bulletins
from sharing.exchange import Exchange
from sharing.federation import inbox_path, load_federation
from sharing.home import Home
from sharing.issuing import issue_bulletin
from sharing.receiver import ReceivedBulletin, receive_bulletin
from tests.conftest import write_feed

FORMULA_UA = "=cmd|' /C calc'!A0"
FORMULA_CAMPAIGN = '=HYPERLINK("https://relay.example.net/x","click")'


def every_type(seen: str) -> list[dict]:  # type: ignore[type-arg]
    """One sighting of each indicator type, with TLPs, tags and campaigns that vary, and
    values, tags and a campaign a spreadsheet would take for formulas."""

    def record(kind: str, value: str, **extra: object) -> dict:  # type: ignore[type-arg]
        return {"type": kind, "value": value, "seen": seen, **extra}

    farm = {"campaign": "crimson-relay", "tags": ["account-farming"]}
    return [
        record("ipv4", "198.51.100.7", tags=["proxy-hydra", "-dde"], confidence=80),
        record("ipv6", "2001:db8::7", tlp="green"),
        record("cidr", "203.0.113.0/24"),
        record("cidr", "2001:db8:1::/48", tlp="amber+strict"),
        record("asn", "AS64500", tlp="green"),
        record("domain", "relay.example.net", campaign=FORMULA_CAMPAIGN),
        record("url", "https://relay.example.net/v1?k=1"),
        record("email_domain", "farm-mail.example", **farm),
        *(
            record(kind, f"{n:02x}" * 32, **farm)
            for n, kind in enumerate(
                (
                    "email_hash",
                    "phone_hash",
                    "account_hash",
                    "payment_fingerprint",
                    "api_key_fingerprint",
                    "prompt_fingerprint",
                ),
                start=1,
            )
        ),
        record("user_agent", "python-requests/2.31.0"),
        record("user_agent", FORMULA_UA, tags=["rate-limit-evasion"]),
        record("user_agent", "@SUM(1+1)*cmd"),
        record("tls_fingerprint", "t13d1516h2_8daaf6152771_b186095e22b6"),
        record("proxy_service", "-relay pool", tlp="clear"),
    ]


def report(home: Home, lab: str, name: str, records: list[dict], now: datetime) -> None:  # type: ignore[type-arg]
    """`lab` drops a JSON Lines feed in its inbox and the hub collects it."""
    write_feed(inbox_path(home, load_federation(home).participant(lab)) / name, records)
    collect_lab(Exchange.open(home.root, now=now), lab, now=now)


def issue_and_open(home: Home, lab: str, now: datetime) -> ReceivedBulletin:
    """The hub issues and delivers `lab`'s next bulletin; the lab opens it."""
    exchange = Exchange.open(home.root, now=now)
    assert issue_bulletin(exchange, lab, now=now) is not None
    [path] = deliver_bulletins(exchange, lab, now=now)
    return receive_bulletin(home, lab, path.read_bytes(), now=now)


def two_bulletins(home: Home, lab: str = "openai") -> list[ReceivedBulletin]:
    """Bulletin 1: everything anthropic reported, the ipv4 corroborated by google.
    Bulletin 2: google corroborates the domain (a newer form of it) and reports a new url."""
    now = utcnow()
    seen = rfc3339(now - timedelta(hours=2))
    report(home, "anthropic", "a.jsonl", every_type(seen), now)
    report(
        home, "google", "g.jsonl", [{"type": "ipv4", "value": "198.51.100.7", "seen": seen}], now
    )
    first = issue_and_open(home, lab, now)
    later = utcnow()
    more = [
        {"type": "domain", "value": "relay.example.net", "seen": seen},
        {"type": "url", "value": "https://relay.example.net/v2", "seen": seen, "tlp": "green"},
    ]
    report(home, "google", "g2.jsonl", more, later)
    return [first, issue_and_open(home, lab, later)]
