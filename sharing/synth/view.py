"""What one lab sees of the campaign: each value it holds as a precomputed line template,
spelled and marked the way that lab's exporter writes it, with its sighting weight.
"""

from dataclasses import dataclass
from itertools import accumulate, zip_longest
from random import Random

import orjson

from sharing.synth.campaign import CAMPAIGN, Campaign, Sighted
from sharing.synth.noise import NOISE_SHARE
from sharing.synth.values import respell

# Share of a lab's sightings per type: mostly accounts and addresses.
TYPE_SHARE = {
    "account_hash": 0.36,
    "ipv4": 0.24,
    "prompt_fingerprint": 0.09,
    "ipv6": 0.06,
    "api_key_fingerprint": 0.06,
    "payment_fingerprint": 0.04,
    "email_hash": 0.03,
    "tls_fingerprint": 0.02,
    "user_agent": 0.02,
    "domain": 0.015,
    "cidr": 0.01,
    "asn": 0.01,
    "proxy_service": 0.005,
    "noise": NOISE_SHARE,
}
_TLP = (("amber", "green", "clear", "amber+strict", "red"), (50, 30, 10, 7, 3))
_NOISE_TLP = (("green", "clear", "amber"), (50, 40, 10))

Template = tuple[str, str]


@dataclass(frozen=True)
class LabView:
    """A lab's line templates (head up to `"seen":"`, tail after it) and sampling weights.

    `templates` lists each value once, most important first; every one is written at least once.
    """

    templates: list[Template]
    cum_weights: list[float]
    values: dict[str, set[str]]
    samples: dict[str, str]


def lab_view(campaign: Campaign, noise: list[Sighted], lab: int, cap: int, rng: Random) -> LabView:
    """The lab's view, keeping at most `cap` values (tiny scales) by round-robin over types."""
    groups: dict[str, dict[str, Sighted]] = {key: {} for key in TYPE_SHARE}
    for s in (*campaign.indicators, *noise):
        if lab in s.labs:
            groups[s.type if s.campaign else "noise"].setdefault(s.value, s)
    ranked = [sorted(g.values(), key=lambda s: -s.weight) for g in groups.values()]
    kept = [s for row in zip_longest(*ranked) for s in row if s is not None][: max(1, cap)]
    totals = {key: sum(s.weight for s in g.values()) for key, g in groups.items()}
    variant = 0.0 if lab == 0 else 0.3 + 0.2 * (lab % 3)
    templates, weights = [], []
    values: dict[str, set[str]] = {}
    samples: dict[str, str] = {}
    for s in kept:
        group = s.type if s.campaign else "noise"
        raw = respell(s.type, s.value, rng) if rng.random() < variant else s.value
        templates.append(_template(s, raw, rng))
        weights.append(TYPE_SHARE[group] * s.weight / totals[group])
        values.setdefault(s.type, set()).add(s.value)
        if s.campaign and (s.type != "domain" or "account-farming" in s.tags):
            samples.setdefault(s.type, s.value)  # sign-up domains only: raw-email bad lines
    return LabView(templates, list(accumulate(weights)), values, samples)


def _template(s: Sighted, raw: str, rng: Random) -> Template:
    """The fixed parts of every line sighting `s`: only `seen` changes from line to line."""
    head = f'{{"type":"{s.type}","value":{orjson.dumps(raw).decode()},"seen":"'
    if s.campaign:
        tail: dict[str, object] = {"tlp": rng.choices(*_TLP)[0]}
        strong = s.type in ("account_hash", "payment_fingerprint", "api_key_fingerprint")
        tail["confidence"] = rng.randint(75, 98) if strong else rng.randint(55, 95)
        tail["tags"] = list(s.tags)
        if rng.random() < 0.9:
            tail["campaign"] = CAMPAIGN
        tail["count"] = 1 if rng.random() < 0.7 else rng.randint(2, 40)
        if s.note:
            tail["description"] = s.note
    else:
        tail = {"tlp": rng.choices(*_NOISE_TLP)[0], "confidence": rng.randint(10, 45)}
    return head, '",' + orjson.dumps(tail).decode()[1:] + "\n"
