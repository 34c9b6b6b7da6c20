"""The federation: who takes part, in which role, with which clearance and public keys.

federation.toml is the one source of truth a hub and every lab share. It is validated
here, at the edge; the rest of dtix trusts a `Federation` value.
"""

import tomllib
from pathlib import Path
from typing import Any

import tomli_w

from sharing.errors import FederationError
from sharing.home import Home
from sharing.key_records import KeyRecord, KeyUse, parse_key
from sharing.participants import PARTICIPANT_ID, Federation, Participant, Role
from sharing.tlp import TLP

__all__ = [
    "PARTICIPANT_ID",
    "Federation",
    "KeyRecord",
    "KeyUse",
    "Participant",
    "Role",
    "inbox_path",
    "load_federation",
    "save_federation",
]


def inbox_path(home: Home, participant: Participant) -> Path:
    """Where a participant's submissions arrive at the hub (relative paths are under the home)."""
    return home.root / participant.inbox


def load_federation(home: Home) -> Federation:
    """Read and validate `federation.toml`; every problem names the file and the field."""
    path = home.federation_file
    if not path.is_file():
        raise FederationError(f"no federation at {home.root} (missing {path}); run 'dtix init'")
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise FederationError(f"{path}: not valid TOML: {exc}") from None
    return _parse(data, str(path))


def save_federation(home: Home, federation: Federation) -> None:
    """Write `federation.toml` atomically, keeping the tables other modules own
    ([lifetimes], [review], ...) as they were."""
    home.root.mkdir(parents=True, exist_ok=True)
    kept = {}
    if home.federation_file.is_file():
        try:
            existing = tomllib.loads(home.federation_file.read_text("utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError):
            existing = {}
        kept = {k: v for k, v in existing.items() if k not in ("federation", "participants")}
    tmp = home.federation_file.with_suffix(".toml.tmp")
    tmp.write_text(tomli_w.dumps({**_to_toml(federation), **kept}), "utf-8")
    tmp.replace(home.federation_file)


def _to_toml(federation: Federation) -> dict[str, Any]:
    participants = {}
    for p in federation.participants.values():
        participants[p.id] = {
            "name": p.name,
            "role": p.role,
            "clearance": p.clearance.value,
            "attribution": p.attribution,
            "inbox": p.inbox,
            "keys": [key.as_toml() for key in p.keys],
        }
    return {
        "federation": {
            "name": federation.name,
            "origin": federation.origin,
            "bulletin_validity_days": federation.bulletin_validity_days,
            "key_grace_days": federation.key_grace_days,
            "strict_submissions": federation.strict_submissions,
        },
        "participants": participants,
    }


def _parse(data: dict[str, Any], where: str) -> Federation:
    section = _table(data, "federation", where)
    name = _str(section, "name", f"{where} [federation]")
    origin = _str(section, "origin", f"{where} [federation]")
    validity = section.get("bulletin_validity_days", 7)
    if not isinstance(validity, int) or isinstance(validity, bool) or not 1 <= validity <= 365:
        raise FederationError(f"{where} [federation]: bulletin_validity_days must be 1..365")
    grace = section.get("key_grace_days", 14)
    if not isinstance(grace, int) or isinstance(grace, bool) or not 0 <= grace <= 365:
        raise FederationError(f"{where} [federation]: key_grace_days must be 0..365")
    strict = section.get("strict_submissions", False)
    if not isinstance(strict, bool):
        raise FederationError(f"{where} [federation]: strict_submissions must be true or false")
    participants = {
        pid: _participant(pid, raw, f"{where} [participants.{pid}]")
        for pid, raw in _table(data, "participants", where).items()
    }
    hubs = [p.id for p in participants.values() if p.role == "hub"]
    if len(hubs) != 1:
        raise FederationError(f"{where}: exactly one participant must be the hub, found {hubs}")
    return Federation(name, origin, validity, participants, grace, strict)


def _participant(pid: str, raw: Any, where: str) -> Participant:
    if not PARTICIPANT_ID.match(pid):
        raise FederationError(f"{where}: participant id must match {PARTICIPANT_ID.pattern}")
    if not isinstance(raw, dict):
        raise FederationError(f"{where}: must be a table")
    role = _str(raw, "role", where)
    if role not in ("hub", "lab"):
        raise FederationError(f"{where}: role must be 'hub' or 'lab', not {role!r}")
    try:
        clearance = TLP.parse(_str(raw, "clearance", where))
    except ValueError as exc:
        raise FederationError(f"{where}: clearance: {exc}") from None
    attribution = raw.get("attribution", False)
    if not isinstance(attribution, bool):
        raise FederationError(f"{where}: attribution must be true or false")
    keys = raw.get("keys", [])
    if not isinstance(keys, list):
        raise FederationError(f"{where}: keys must be an array of tables")
    parsed = tuple(parse_key(k, f"{where} keys[{i}]") for i, k in enumerate(keys))
    return Participant(
        pid,
        _str(raw, "name", where),
        role,
        clearance,
        attribution,
        _str(raw, "inbox", where),
        parsed,
    )


def _table(data: dict[str, Any], key: str, where: str) -> dict[str, Any]:
    value = data.get(key)
    if not isinstance(value, dict):
        raise FederationError(f"{where}: missing [{key}] table")
    return value


def _str(table: dict[str, Any], key: str, where: str) -> str:
    value = table.get(key)
    if not isinstance(value, str) or not value:
        raise FederationError(f"{where}: '{key}' must be a non-empty string")
    return value
