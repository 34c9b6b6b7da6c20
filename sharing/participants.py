"""Participants and the federation they form: roles, clearances and published keys.

`sharing.federation` reads and writes them as federation.toml; everything else in dtix
takes these values as given.
"""

import re
from dataclasses import dataclass, field
from typing import Literal

from sharing.errors import FederationError
from sharing.key_records import KeyRecord, KeyUse
from sharing.tlp import TLP

Role = Literal["hub", "lab"]
PARTICIPANT_ID = re.compile(r"^[a-z][a-z0-9-]{0,62}$")
_PRIMARY_ALG = {"sign": "Ed25519", "log": "Ed25519"}


@dataclass(frozen=True)
class Participant:
    id: str
    name: str
    role: Role
    clearance: TLP
    attribution: bool
    inbox: str
    keys: tuple[KeyRecord, ...] = ()

    def active_key(self, use: KeyUse, alg: str | None = None) -> KeyRecord:
        """The current key for `use` (of `alg`; a sign key is Ed25519 unless asked)."""
        alg = alg or _PRIMARY_ALG.get(use)
        for key in self.keys:
            if key.use == use and key.status == "active" and alg in (None, key.alg):
                return key
        raise FederationError(f"participant '{self.id}' has no active {alg or use} key")

    def key(self, kid: str) -> KeyRecord | None:
        """The published key with this kid, whatever its state."""
        return next((key for key in self.keys if key.kid == kid), None)

    @property
    def post_quantum(self) -> bool:
        return any(k.alg == "MLKEM768-X25519" and k.status == "active" for k in self.keys)


@dataclass(frozen=True)
class Federation:
    name: str
    origin: str
    bulletin_validity_days: int
    participants: dict[str, Participant] = field(default_factory=dict)
    key_grace_days: int = 14
    strict_submissions: bool = False

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
