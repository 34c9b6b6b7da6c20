"""The model of one distillation campaign: a few hydra clusters, each many accounts behind
one proxy pool, paying with a few cards and replaying a set of prompt templates.

Each value records which labs see it and how heavily it is sighted; feeds are drawn from it.
"""

from dataclasses import dataclass
from functools import lru_cache
from random import Random

from sharing.synth import values as v

CAMPAIGN = "crimson-relay"
ACCOUNTS_AT_SCALE_1 = 24_000
PROXY = ("proxy-hydra",)
FARM = ("account-farming",)
EVADE = ("rate-limit-evasion",)


@dataclass(frozen=True)
class Sighted:
    """One canonical value, the labs (by index) that see it and its relative sighting weight."""

    type: str
    value: str
    labs: tuple[int, ...]
    weight: float
    tags: tuple[str, ...]
    note: str = ""
    campaign: bool = True


@dataclass(frozen=True)
class Campaign:
    accounts: int
    clusters: int
    indicators: tuple[Sighted, ...]


@lru_cache(maxsize=4)
def build_campaign(n_labs: int, scale: float, seed: int) -> Campaign:
    """The campaign at `scale` (1 = ~24,000 accounts) for `n_labs` labs; same inputs, same model."""
    rng = Random(f"dtix-synth/{seed}/campaign")
    accounts = max(1, round(ACCOUNTS_AT_SCALE_1 * scale))
    n_clusters = max(1, min(accounts, round(3 + 5 * min(scale, 1.0) ** 0.5)))
    lab_sets = _cluster_labs(rng, n_labs, n_clusters)
    sizes = _split(accounts, [rng.uniform(0.5, 1.5) for _ in range(n_clusters)])
    prompts = [
        (v.digest_hex(f"prompt/{seed}/{i}"), i % 3 != 0) for i in range(24 + accounts // 200)
    ]
    key = v.federation_key(seed)
    out: list[Sighted] = []
    first = 0
    for c, (labs, size) in enumerate(zip(lab_sets, sizes, strict=True)):
        out += _cluster(rng, key, c, labs, range(first, first + size))
        for digest, cot in rng.sample(prompts, min(len(prompts), rng.randint(6, 12))):
            tags = ("cot-elicitation",) if cot else ("rubric-harvesting",)
            out.append(Sighted("prompt_fingerprint", digest, _subset(rng, labs), _w(rng), tags))
        first += size
    return Campaign(accounts, n_clusters, tuple(out))


def _cluster(rng: Random, key: bytes, c: int, labs: tuple[int, ...], accounts: range) -> list:
    """One hydra: its proxy pool, ASNs, cards, client fingerprints, domains and accounts."""
    n = len(accounts)
    note = f"hydra cluster {c + 1}: residential proxy pool"
    cidr4, ips4 = v.ipv4_pool(rng, max(4, min(250, n // 25)))
    cidr6, ips6 = v.ipv6_pool(rng, max(2, min(200, n // 60)))
    out = [Sighted("cidr", cidr, _subset(rng, labs), 1.0, PROXY, note) for cidr in (cidr4, cidr6)]
    out.append(Sighted("proxy_service", v.proxy_service(rng), labs, 1.0, PROXY, note))
    for asn in dict.fromkeys(v.asn(rng) for _ in range(rng.randint(1, 2))):
        out.append(Sighted("asn", asn, _subset(rng, labs), 1.0, PROXY))
    infra = [("ipv4", ip, PROXY) for ip in ips4] + [("ipv6", ip, PROXY) for ip in ips6]
    infra += [("tls_fingerprint", v.ja4(rng), EVADE) for _ in range(rng.randint(1, 3))]
    infra += [("user_agent", v.user_agent(rng), EVADE) for _ in range(rng.randint(2, 4))]
    cards = [v.keyed_hex(key, f"card/{c}/{i}") for i in range(max(1, n // 30))]
    infra += [("payment_fingerprint", card, ("payment-fraud", *FARM)) for card in cards]
    signup = [v.domain(rng) for _ in range(rng.randint(2, 3))]
    infra += [("domain", d, FARM) for d in signup]
    infra.append(("domain", v.domain(rng, "api-"), EVADE))
    out += [
        Sighted(t, val, _subset(rng, labs), _w(rng), tags) for t, val, tags in dict.fromkeys(infra)
    ]
    for a in accounts:
        seen_by = (rng.choice(labs),)
        if len(labs) > 1 and rng.random() < 0.15:
            seen_by = tuple(sorted({seen_by[0], rng.choice(labs)}))
        weight = _w(rng)
        out.append(Sighted("account_hash", v.keyed_hex(key, f"account/{a}"), seen_by, weight, FARM))
        email = f"user{a}@{rng.choice(signup)}"
        out.append(Sighted("email_hash", v.keyed_hex(key, email), seen_by, weight, FARM))
        for lab in seen_by:
            api_key = v.digest_hex(f"api-key/{key.hex()}/{a}/{lab}")
            out.append(Sighted("api_key_fingerprint", api_key, (lab,), weight, EVADE))
    return out


def _w(rng: Random) -> float:
    """A heavy-tailed sighting weight: a few values dominate, as in real feeds."""
    return min(rng.paretovariate(1.3), 50.0)


def _subset(rng: Random, labs: tuple[int, ...]) -> tuple[int, ...]:
    """Which of a cluster's labs see one value: mostly two or three, sometimes one alone."""
    r = rng.random()
    if len(labs) == 1 or r < 0.12:
        return (rng.choice(labs),)
    if len(labs) >= 3 and r < 0.40:
        return tuple(sorted(rng.sample(labs, 2)))
    return labs


def _cluster_labs(rng: Random, n_labs: int, n_clusters: int) -> list[tuple[int, ...]]:
    """The labs each cluster targets (mostly 2-3), every lab targeted by at least one cluster."""
    sets = []
    for _ in range(n_clusters):
        k = min(n_labs, rng.choices((1, 2, 3), (0.05, 0.45, 0.5))[0])
        sets.append(set(rng.sample(range(n_labs), k)))
    for lab in range(n_labs):
        if not any(lab in s for s in sets):
            min(sets, key=len).add(lab)
    return [tuple(sorted(s)) for s in sets]


def _split(total: int, weights: list[float]) -> list[int]:
    """`total` split in proportion to `weights`, each part at least 1 when total allows."""
    parts = [max(1, int(total * w / sum(weights))) for w in weights]
    parts[parts.index(max(parts))] += total - sum(parts)
    return parts
