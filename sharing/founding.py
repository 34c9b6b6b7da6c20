"""`dtix init`: create a federation home with a hub, labs, their keys and federation.toml."""

import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sharing.crypto import generate_keys, kid_for, public_to_b64
from sharing.crypto.keystore import Argon2Params
from sharing.errors import FederationError
from sharing.federation import (
    PARTICIPANT_ID,
    Federation,
    KeyRecord,
    Participant,
    inbox_path,
    save_federation,
)
from sharing.home import Home
from sharing.keyring import PASSPHRASE_ENV, create_passphrase_file, store_private_keys
from sharing.tlp import TLP

DEFAULT_LABS = ("anthropic", "openai", "google")
HUB_ID = "hub"


@dataclass(frozen=True)
class FoundedFederation:
    federation: Federation
    passphrase_file: Path | None


def found_federation(
    home: Home,
    *,
    labs: tuple[str, ...] = DEFAULT_LABS,
    now: datetime,
    name: str = "dtix",
    argon2: Argon2Params | None = None,
) -> FoundedFederation:
    """Create keys for the hub and each lab and write federation.toml; refuse an existing home."""
    if home.federation_file.exists():
        raise FederationError(f"a federation already exists at {home.root}")
    _check_labs(labs)
    home.root.mkdir(parents=True, exist_ok=True)
    passphrase_file = None
    if not os.environ.get(PASSPHRASE_ENV):
        passphrase_file = create_passphrase_file(home)
    created = now.strftime("%Y-%m-%dT%H:%M:%SZ")
    participants = {}
    for pid in (HUB_ID, *labs):
        keys = generate_keys()
        store_private_keys(home, pid, keys, params=argon2)
        public = keys.public()
        records = (
            KeyRecord("sign", kid_for(public.sign), "Ed25519", public_to_b64(public.sign), created),
            KeyRecord(
                "encrypt", kid_for(public.encrypt), "X25519", public_to_b64(public.encrypt), created
            ),
        )
        is_hub = pid == HUB_ID
        participants[pid] = Participant(
            id=pid,
            name="Exchange hub" if is_hub else pid.capitalize(),
            role="hub" if is_hub else "lab",
            clearance=TLP.RED if is_hub else TLP.AMBER_STRICT,
            attribution=False,
            inbox=f"inbox/{pid}",
            keys=records,
        )
        if not is_hub:
            inbox_path(home, participants[pid]).mkdir(parents=True, exist_ok=True)
    federation = Federation(
        name=name,
        origin=f"dtix.local/{name}/audit",
        bulletin_validity_days=7,
        participants=participants,
    )
    save_federation(home, federation)
    return FoundedFederation(federation, passphrase_file)


def _check_labs(labs: tuple[str, ...]) -> None:
    if not labs:
        raise FederationError("a federation needs at least one lab")
    for lab in labs:
        if lab == HUB_ID or not PARTICIPANT_ID.match(lab):
            raise FederationError(f"lab id {lab!r} must match {PARTICIPANT_ID.pattern}, not 'hub'")
    if len(set(labs)) != len(labs):
        raise FederationError("lab ids must be distinct")
