"""Background noise in a lab's feed: unrelated low-confidence sightings, plus a few values
that screening (warninglists of documentation, private and well-known ranges) must catch.
"""

from random import Random

from sharing.synth import values as v
from sharing.synth.campaign import Sighted

NOISE_SHARE = 0.02
BAIT_WEIGHT = 0.002
BAIT = (
    ("ipv4", "8.8.8.8"),
    ("ipv4", "1.1.1.1"),
    ("ipv4", "192.0.2.44"),
    ("ipv4", "198.51.100.23"),
    ("ipv4", "203.0.113.7"),
    ("ipv4", "10.11.12.13"),
    ("ipv6", "2001:db8::5"),
    ("cidr", "192.168.0.0/16"),
    ("domain", "example.com"),
    ("asn", "AS64500"),
)


def lab_noise(rng: Random, lab: int, n_records: int) -> list[Sighted]:
    """About NOISE_SHARE of a lab's sightings: scrapers, odd clients, one-off addresses."""
    count = max(3, min(2000, round(n_records * NOISE_SHARE / 10)))
    out = []
    for _ in range(count):
        r = rng.random()
        if r < 0.6:
            _, hosts = v.ipv4_pool(rng, 1)
            type_, value = "ipv4", hosts[0]
        elif r < 0.75:
            type_, value = "domain", v.domain(rng)
        elif r < 0.85:
            type_, value = "user_agent", v.user_agent(rng)
        elif r < 0.95:
            type_, value = "asn", v.asn(rng)
        else:
            type_, value = "tls_fingerprint", v.ja4(rng)
        out.append(Sighted(type_, value, (lab,), rng.uniform(0.5, 2.0), (), campaign=False))
    weight = BAIT_WEIGHT * sum(s.weight for s in out) / len(BAIT)
    out += [Sighted(t, val, (lab,), weight, (), campaign=False) for t, val in BAIT]
    return out
