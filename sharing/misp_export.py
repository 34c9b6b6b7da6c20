"""A received bulletin as a MISP event (MISP's JSON event format), for a lab's own MISP.

One event per bulletin: uuid = UUIDv5 of the bulletin id, so importing again updates the
same event. Each record becomes one attribute whose MISP type and category come from
`MAPPING`; TLP and techniques become tags of the `tlp` taxonomy and a `dtix` namespace.
docs/exports.md gives the table and the reasons behind each choice.
"""

import re
import uuid
from datetime import datetime
from typing import Any, NamedTuple

from sharing.received_store import ReceivedBulletin
from sharing.timestamps import parse_seen
from sharing.tlp import TLP, most_restrictive

NAMESPACE = uuid.UUID("3a1f6c2e-9b47-5d08-b6e1-4c7a2d9f0e35")


class MispType(NamedTuple):
    type: str
    category: str
    what: str  # the start of the attribute's comment


_KEYED = "HMAC-SHA256 under the federation secret; it matches only hashes made with it"
MAPPING: dict[str, MispType] = {
    "ipv4": MispType("ip-src", "Network activity", "address abusive clients came from"),
    "ipv6": MispType("ip-src", "Network activity", "address abusive clients came from"),
    "cidr": MispType("ip-src", "Network activity", "network abusive clients came from"),
    "asn": MispType("AS", "Network activity", "autonomous system abusive clients came from"),
    "domain": MispType("domain", "Network activity", "domain of the campaign"),
    "url": MispType("url", "Network activity", "URL of the campaign"),
    "email_domain": MispType(
        "domain", "Network activity", "domain of the email addresses accounts registered with"
    ),
    "email_hash": MispType("hex", "Other", f"email address: {_KEYED}"),
    "phone_hash": MispType("hex", "Other", f"phone number: {_KEYED}"),
    "account_hash": MispType("hex", "Other", f"account identifier: {_KEYED}"),
    "payment_fingerprint": MispType("hex", "Financial fraud", f"payment instrument: {_KEYED}"),
    "api_key_fingerprint": MispType("hex", "Other", "API key: SHA-256 or HMAC-SHA256 digest"),
    "prompt_fingerprint": MispType(
        "hex", "Payload delivery", "prompt: SHA-256 or HMAC-SHA256 digest"
    ),
    "user_agent": MispType("user-agent", "Network activity", "HTTP User-Agent of the clients"),
    "tls_fingerprint": MispType("text", "Network activity", "JA4 TLS client fingerprint"),
    "proxy_service": MispType("text", "Network activity", "proxy provider the campaign rents"),
}
BLOCKABLE = frozenset(("ipv4", "ipv6", "cidr", "domain", "url"))
DISTRIBUTION = {  # 0 your organisation only, 1 this community only, 3 all communities
    TLP.CLEAR: 3,
    TLP.GREEN: 1,
    TLP.AMBER: 0,
    TLP.AMBER_STRICT: 0,
    TLP.RED: 0,
}
THREAT_LEVEL_MEDIUM = 2
ANALYSIS_COMPLETED = 2
DISTRIBUTION_INHERIT = 5


def misp_event(bulletin: ReceivedBulletin, records: list[dict[str, Any]]) -> dict[str, Any]:
    """`{"Event": ...}` for `records` (in bulletin form) of `bulletin`."""
    header, body = bulletin.header, bulletin.body
    levels = [TLP(r["tlp"]) for r in records]
    tlp = most_restrictive(levels) if levels else TLP(body.get("tlp", "amber"))
    issued = parse_seen(header["issued"])
    tags = [misp_tag("tlp", tlp.value)]
    campaigns = sorted({r.get("campaign") for r in records} - {None})
    techniques = sorted({t for r in records for t in r.get("tags") or []})
    tags += [misp_tag("dtix:campaign", c) for c in campaigns]
    tags += [misp_tag("dtix:technique", t) for t in techniques]
    event = {
        "uuid": str(uuid.uuid5(NAMESPACE, header["id"])),
        "info": (
            f"dtix federation {body.get('federation', '?')}: bulletin {header['seq']} "
            f"of stream {header['stream']} ({header['id']})"
        ),
        "date": issued.date().isoformat(),
        "timestamp": str(int(issued.timestamp())),
        "published": False,
        "threat_level_id": str(THREAT_LEVEL_MEDIUM),
        "analysis": str(ANALYSIS_COMPLETED),
        "distribution": str(DISTRIBUTION[tlp]),
        "Tag": tags,
        "Attribute": [_attribute(header["id"], tlp, issued, r) for r in records],
    }
    return {"Event": event}


def misp_value(type_name: str, value: str) -> str:
    """The value as MISP stores it: an AS number without its `AS`, anything else unchanged."""
    return value.removeprefix("AS") if type_name == "asn" else value


def misp_tag(namespace: str, value: str) -> dict[str, str]:
    """A MISP tag: `tlp:amber` for the tlp taxonomy, `ns:predicate="value"` otherwise."""
    if namespace == "tlp":
        return {"name": f"tlp:{value}"}
    return {"name": f'{namespace}="{_tag_text(value)}"'}


def _attribute(
    bulletin_id: str, event_tlp: TLP, issued: datetime, record: dict[str, Any]
) -> dict[str, Any]:
    kind, value = record["type"], record["value"]
    mapped = MAPPING[kind]
    tags = [] if TLP(record["tlp"]) == event_tlp else [misp_tag("tlp", record["tlp"])]
    if record.get("campaign") is not None:
        tags.append(misp_tag("dtix:campaign", record["campaign"]))
    tags += [misp_tag("dtix:technique", t) for t in record.get("tags") or []]
    attribute = {
        "uuid": str(uuid.uuid5(NAMESPACE, f"{bulletin_id}\n{kind}\n{value}")),
        "type": mapped.type,
        "category": mapped.category,
        "value": misp_value(kind, value),
        "to_ids": kind in BLOCKABLE and record.get("corroborated") is True,
        "distribution": str(DISTRIBUTION_INHERIT),
        "comment": _comment(mapped, record),
        "timestamp": str(int(issued.timestamp())),
        "disable_correlation": False,
        "Tag": tags,
    }
    for name in ("first_seen", "last_seen"):
        if record.get(name):
            attribute[name] = parse_seen(record[name]).isoformat(timespec="microseconds")
    return attribute


def _comment(mapped: MispType, record: dict[str, Any]) -> str:
    labs = record.get("labs")
    parts = [f"dtix {record['type']}: {mapped.what}"]
    if labs is not None:
        seen_by = f"reported by {labs} lab{'s' if labs != 1 else ''}"
        parts.append(seen_by + (" (corroborated)" if record.get("corroborated") else ""))
    if record.get("confidence") is not None:
        parts.append(f"confidence {record['confidence']}")
    if record.get("valid_until"):
        parts.append(f"valid until {record['valid_until']}")
    return "; ".join(parts)


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _tag_text(text: str) -> str:
    """A campaign or technique name as a machine-tag value: a `"` (which would end the value)
    becomes `'`; control characters and runs of whitespace become one space."""
    return " ".join(_CONTROL.sub(" ", text.replace('"', "'")).split())
