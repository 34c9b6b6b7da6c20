"""The leaf of an audit entry: the RFC 8785 canonical JSON of its seven fields.

These are the exact bytes an entry's leaf hash covers (docs/audit-log.md, section 2).
Entries are written and verified by the million, so the common case is assembled from
orjson pieces in the members' fixed order; anything unusual goes through rfc8785.
"""

import json
from collections.abc import Mapping, Sequence
from types import NoneType
from typing import Any

from orjson import dumps

from sharing.audit.canonical import MAX_SAFE_INTEGER, canonical, fast_canonical


def entry_json(
    *,
    index: int,
    time: str,
    actor: str,
    action: str,
    object_sha256: str | None,
    recipients: Sequence[str],
    details: Mapping[str, Any],
) -> tuple[bytes, bytes, bytes]:
    """The RFC 8785 canonical JSON of an entry (the exact bytes its leaf hash covers), then
    of its recipients and of its details, as the `recipients` and `details` columns hold them."""
    recipients, details = list(recipients), dict(details)
    fast = _assembled(index, time, actor, action, object_sha256, recipients, details)
    if fast is not None:
        return fast
    entry = {
        "index": index,
        "time": time,
        "actor": actor,
        "action": action,
        "object_sha256": object_sha256,
        "recipients": recipients,
        "details": details,
    }
    return canonical(entry), canonical(recipients), canonical(details)


def _assembled(
    index: Any, time: Any, actor: Any, action: Any, sha: Any, recipients: Any, details: Any
) -> tuple[bytes, bytes, bytes] | None:
    """The three canonical forms, the leaf put together from its members in their fixed
    RFC 8785 order; None when a value needs the reference serializer."""
    if type(index) is not int or not 0 <= index <= MAX_SAFE_INTEGER:
        return None
    if not all(type(x) is str for x in (time, actor, action, *recipients)):
        return None
    if type(sha) not in (str, NoneType):
        return None
    details_json = fast_canonical(details)
    if details_json is None:
        return None
    try:  # strings and lists of strings: orjson's bytes are RFC 8785's
        action_json, actor_json, time_json = dumps(action), dumps(actor), dumps(time)
        sha_json, recipients_json = dumps(sha), dumps(recipients)
    except TypeError:  # a lone surrogate: the reference serializer says why
        return None
    leaf = b"".join(
        (b'{"action":', action_json, b',"actor":', actor_json, b',"details":', details_json,
         b',"index":', str(index).encode(), b',"object_sha256":', sha_json,
         b',"recipients":', recipients_json, b',"time":', time_json, b"}")
    )  # fmt: skip
    return leaf, recipients_json, details_json


def entry_leaf(**fields: Any) -> bytes:
    """The leaf of an entry: its RFC 8785 canonical JSON (see `entry_json` for the fields)."""
    return entry_json(**fields)[0]


def stored_leaf(columns: Mapping[str, Any]) -> bytes:
    """The leaf that an entry's stored columns describe (recipients and details as JSON
    text); raises ValueError if those two columns are not a JSON array and object."""
    recipients, details = json.loads(columns["recipients"]), json.loads(columns["details"])
    if not isinstance(recipients, list) or not isinstance(details, dict):
        raise ValueError("recipients must be a JSON array and details a JSON object")
    return entry_leaf(
        index=columns["idx"],
        time=columns["time"],
        actor=columns["actor"],
        action=columns["action"],
        object_sha256=columns["object_sha256"],
        recipients=recipients,
        details=details,
    )
