"""`dtix init`: create a federation home with a hub, labs, their keys and federation.toml."""

import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sharing.crypto import generate_keys
from sharing.crypto.keystore import Argon2Params
from sharing.errors import FederationError
from sharing.federation import (
    PARTICIPANT_ID,
    Federation,
    Participant,
    inbox_path,
    save_federation,
)
from sharing.federation_secret import create_federation_secret
from sharing.home import Home
from sharing.key_records import records_for
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
    pq: bool = False,
) -> FoundedFederation:
    """Create keys for the hub and each lab and write federation.toml; refuse an existing home.

    The hub also gets a log key for audit checkpoints; with `pq` every participant gets
    ML-KEM-768+X25519 and ML-DSA-65 keys and bulletins use the post-quantum suite.
    """
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
        is_hub = pid == HUB_ID
        keys = generate_keys(log=is_hub, pq=pq)
        store_private_keys(home, pid, keys, params=argon2)
        records = records_for(keys, created)
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
    create_federation_secret(home)  # shared by the labs out of band (docs/policy.md)
    return FoundedFederation(federation, passphrase_file)


def _check_labs(labs: tuple[str, ...]) -> None:
    if not labs:
        raise FederationError("a federation needs at least one lab")
    for lab in labs:
        if lab == HUB_ID or not PARTICIPANT_ID.match(lab):
            raise FederationError(f"lab id {lab!r} must match {PARTICIPANT_ID.pattern}, not 'hub'")
    if len(set(labs)) != len(labs):
        raise FederationError("lab ids must be distinct")
