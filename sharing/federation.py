"""The federation: who takes part, in which role, with which clearance and public keys.

federation.toml is the one source of truth a hub and every lab share. It is validated
here, at the edge; the rest of dtix trusts a `Federation` value.
"""

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import tomli_w

from sharing.errors import FederationError
from sharing.home import Home
from sharing.tlp import TLP

Role = Literal["hub", "lab"]
KeyUse = Literal["sign", "encrypt"]
PARTICIPANT_ID = re.compile(r"^[a-z][a-z0-9-]{0,62}$")
_KEY_ALGS = {"sign": "Ed25519", "encrypt": "X25519"}


@dataclass(frozen=True)
class KeyRecord:
    """A published public key: what it is for, its thumbprint id and its state."""

    use: KeyUse
    kid: str
    alg: str
    public: str
    created: str
    status: Literal["active", "retired", "revoked"] = "active"


@dataclass(frozen=True)
class Participant:
    id: str
    name: str
    role: Role
    clearance: TLP
    attribution: bool
    inbox: str
    keys: tuple[KeyRecord, ...] = ()

    def active_key(self, use: KeyUse) -> KeyRecord:
        for key in self.keys:
            if key.use == use and key.status == "active":
                return key
        raise FederationError(f"participant '{self.id}' has no active {use} key")


@dataclass(frozen=True)
class Federation:
    name: str
    origin: str
    bulletin_validity_days: int
    participants: dict[str, Participant] = field(default_factory=dict)

    @property
    def hub(self) -> Participant:
        return next(p for p in self.participants.values() if p.role == "hub")

    @property
    def labs(self) -> list[Participant]:
        return [p for p in self.participants.values() if p.role == "lab"]

    def participant(self, participant_id: str) -> Participant:
        try:
            return self.participants[participant_id]
        except KeyError:
            known = ", ".join(sorted(self.participants))
            raise FederationError(
                f"unknown participant '{participant_id}' (federation has: {known})"
            ) from None

    def lab(self, lab_id: str) -> Participant:
        participant = self.participant(lab_id)
        if participant.role != "lab":
            raise FederationError(f"'{lab_id}' is the hub, not a lab")
        return participant


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
    home.root.mkdir(parents=True, exist_ok=True)
    tmp = home.federation_file.with_suffix(".toml.tmp")
    tmp.write_text(tomli_w.dumps(_to_toml(federation)), "utf-8")
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
            "keys": [key.__dict__ for key in p.keys],
        }
    return {
        "federation": {
            "name": federation.name,
            "origin": federation.origin,
            "bulletin_validity_days": federation.bulletin_validity_days,
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
    participants = {
        pid: _participant(pid, raw, f"{where} [participants.{pid}]")
        for pid, raw in _table(data, "participants", where).items()
    }
    hubs = [p.id for p in participants.values() if p.role == "hub"]
    if len(hubs) != 1:
        raise FederationError(f"{where}: exactly one participant must be the hub, found {hubs}")
    return Federation(name, origin, validity, participants)


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
    parsed = tuple(_key(k, f"{where} keys[{i}]") for i, k in enumerate(keys))
    return Participant(
        pid,
        _str(raw, "name", where),
        role,
        clearance,
        attribution,
        _str(raw, "inbox", where),
        parsed,
    )


def _key(raw: Any, where: str) -> KeyRecord:
    if not isinstance(raw, dict):
        raise FederationError(f"{where}: must be a table")
    use = _str(raw, "use", where)
    if use not in _KEY_ALGS:
        raise FederationError(f"{where}: use must be one of {sorted(_KEY_ALGS)}, not {use!r}")
    alg = _str(raw, "alg", where)
    if alg != _KEY_ALGS[use]:
        raise FederationError(f"{where}: a {use} key must be {_KEY_ALGS[use]}, not {alg!r}")
    status = raw.get("status", "active")
    if status not in ("active", "retired", "revoked"):
        raise FederationError(f"{where}: status must be active, retired or revoked")
    fields = {k: _str(raw, k, where) for k in ("kid", "public", "created")}
    return KeyRecord(use=use, alg=alg, status=status, **fields)  # type: ignore[arg-type]


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
