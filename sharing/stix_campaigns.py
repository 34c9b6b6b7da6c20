"""The campaigns of exported indicators as STIX 2.1 objects and relationships.

A dtix record names its campaign and nothing about who runs it, so each campaign becomes
a `campaign`, an `intrusion-set` "Operators of <campaign>" that it is `attributed-to`
(the unnamed operators, one set per campaign), and an `indicates` relationship from each
of its indicators. A campaign, its intrusion set and their link carry the least
restrictive TLP of the campaign's indicators: the name is shared at that level already.
"""

from typing import Any

from sharing.stix_ids import stix_id
from sharing.stix_markings import TLP_IDS
from sharing.tlp import TLP

CampaignLink = tuple[str, str, str]  # (indicator id, campaign name, the indicator's TLP)


def campaign_id(name: str) -> str:
    return stix_id("campaign", f"campaign:{name}")


def campaign_objects(links: list[CampaignLink], *, stamp: str, author: str) -> list[dict[str, Any]]:
    """Campaigns, intrusion sets and relationships for `links`; `stamp` is their created
    and modified time, `author` the id of the identity that created them."""
    shared: dict[str, TLP] = {}
    for _, name, tlp in links:
        level = TLP(tlp)
        if name not in shared or level.rank < shared[name].rank:
            shared[name] = level
    common = {"spec_version": "2.1", "created_by_ref": author, "created": stamp, "modified": stamp}
    ids = {name: campaign_id(name) for name in shared}
    objects: list[dict[str, Any]] = []
    for name, level in sorted(shared.items()):
        marking = {"object_marking_refs": [TLP_IDS[level.value]]}
        campaign = {
            "type": "campaign",
            **common,
            "id": ids[name],
            "name": name,
            "description": f"The model-distillation campaign {name}, as the dtix labs name it.",
            **marking,
        }
        operators = {
            "type": "intrusion-set",
            **common,
            "id": stix_id("intrusion-set", f"intrusion-set:{name}"),
            "name": f"Operators of {name}",
            "description": (
                f"Whoever runs the campaign {name}. dtix records no attribution beyond the "
                "campaign, so this intrusion set stands for its unnamed operators."
            ),
            **marking,
        }
        attributed = _relationship(campaign["id"], "attributed-to", operators["id"], common)
        objects += [campaign, operators, {**attributed, **marking}]
    for indicator, name, tlp in links:
        indicates = _relationship(indicator, "indicates", ids[name], common)
        objects.append({**indicates, "object_marking_refs": [TLP_IDS[tlp]]})
    return objects


def _relationship(source: str, kind: str, target: str, common: dict[str, str]) -> dict[str, Any]:
    return {
        "type": "relationship",
        **common,
        "id": stix_id("relationship", f"{kind}:{source}:{target}"),
        "relationship_type": kind,
        "source_ref": source,
        "target_ref": target,
    }
