"""The federation's home folder: where each kind of file lives.

One place names every path, so that a hub, a lab and the tests agree on the layout:
federation.toml, keys/, outbox/<lab>/, blobs/, advisories/, audit/, state/. Inboxes are
named per participant in federation.toml (see `sharing.federation.inbox_path`).
"""

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_HOME = Path(".dtix")


def resolve_home(home: Path | str | None) -> Path:
    """`--home`, else `$DTIX_HOME`, else `./.dtix`."""
    if home is not None:
        return Path(home)
    env = os.environ.get("DTIX_HOME")
    return Path(env) if env else DEFAULT_HOME


@dataclass(frozen=True)
class Home:
    root: Path

    @property
    def federation_file(self) -> Path:
        return self.root / "federation.toml"

    @property
    def keys_dir(self) -> Path:
        return self.root / "keys"

    def private_key_file(self, participant: str) -> Path:
        return self.keys_dir / f"{participant}.key.json"

    @property
    def passphrase_file(self) -> Path:
        return self.keys_dir / "passphrase"

    def outbox(self, lab: str) -> Path:
        return self.root / "outbox" / lab

    @property
    def blobs_dir(self) -> Path:
        """Raw submissions as received, addressed by SHA-256."""
        return self.root / "blobs"

    @property
    def advisories_dir(self) -> Path:
        return self.root / "advisories"

    @property
    def warninglists_dir(self) -> Path:
        """The federation's own warninglists, beside the ones dtix ships."""
        return self.root / "warninglists"

    @property
    def audit_dir(self) -> Path:
        return self.root / "audit"

    def receiver_state(self, lab: str) -> Path:
        """A lab's per-stream state (last seq and header hash) for `dtix open`."""
        return self.root / "state" / f"{lab}.json"

    def received_dir(self, lab: str) -> Path:
        """Bulletins `lab` accepted, kept for exports (`sharing.received_store`)."""
        return self.root / "received" / lab

    @property
    def database_url(self) -> str:
        """`$DTIX_DATABASE_URL`, else SQLite in the home."""
        url = os.environ.get("DTIX_DATABASE_URL")
        return url or f"sqlite:///{(self.root / 'dtix.db').resolve()}"
