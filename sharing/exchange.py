"""The hub's working context: its home, federation, store and keys, opened once per process.

Every pipeline stage (collect, issue, deliver, advise, checkpoint) takes an `Exchange`;
the CLI and the Prefect tasks open one from a home path.
"""

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session

from sharing.audit.log import EntryDraft, append_entries, hold_append_lock
from sharing.crypto import ParticipantKeys
from sharing.federation import Federation, inbox_path, load_federation
from sharing.home import Home
from sharing.keyring import load_private_keys
from sharing.store.engine import create_schema, make_engine
from sharing.store.models import ParticipantRow

_engines: dict[str, Engine] = {}


def engine_for(url: str) -> Engine:
    """One engine (and pool) per database per process, with the schema in place."""
    if url not in _engines:
        engine = make_engine(url)
        create_schema(engine)
        _engines[url] = engine
    return _engines[url]


def forget_engines() -> None:
    """Close every cached engine (tests that drop a database call this first)."""
    for engine in _engines.values():
        engine.dispose()
    _engines.clear()


@dataclass
class Exchange:
    home: Home
    federation: Federation
    engine: Engine
    _hub_keys: ParticipantKeys | None = field(default=None, repr=False)
    # The audit checkpoint (size, root) each bulletin composed in this process shows its
    # lab, by bulletin id, until the bulletin-issued entry records it.
    carried_checkpoints: dict[str, dict[str, Any]] = field(default_factory=dict, repr=False)

    @classmethod
    def open(cls, root: Path | str, *, now: datetime) -> "Exchange":
        """Load the federation, connect the store and bring its participant rows up to date."""
        home = Home(Path(root))
        federation = load_federation(home)
        exchange = cls(home, federation, engine_for(home.database_url))
        exchange.sync_participants(now=now)
        return exchange

    def inbox(self, lab: str) -> Path:
        return inbox_path(self.home, self.federation.participant(lab))

    def session(self) -> Session:
        return Session(self.engine, expire_on_commit=False)

    def hub_keys(self) -> ParticipantKeys:
        if self._hub_keys is None:
            self._hub_keys = load_private_keys(self.home, self.federation.hub.id)
        return self._hub_keys

    def sync_participants(self, *, now: datetime) -> None:
        """Mirror federation.toml into the store, recording every change in the audit log:
        one participant-changed entry per participant added or changed, naming the fields.
        A change is made under the log's append lock, so that of two runs opening at once
        one makes it and the other finds it made."""
        with self.session() as session:
            if not self._participant_changes(session, now):
                return
            session.rollback()  # read again, under the lock
            hold_append_lock(session)
            append_entries(session, self._participant_changes(session, now, write=True))
            session.commit()

    def _participant_changes(
        self, session: Session, now: datetime, *, write: bool = False
    ) -> list[EntryDraft]:
        """The participant-changed entries federation.toml calls for; with `write`, the
        rows are brought up to date in the session as well."""
        with session.no_autoflush:
            drafts = []
            for p in self.federation.participants.values():
                row = ParticipantRow(
                    id=p.id,
                    name=p.name,
                    role=p.role,
                    clearance=p.clearance.value,
                    attribution=p.attribution,
                    sign_kid=p.active_key("sign").kid,
                    encrypt_kid=p.active_key("encrypt").kid,
                )
                existing = session.get(ParticipantRow, p.id)
                before = existing.model_dump() if existing is not None else {}
                after = row.model_dump()
                if before == after:
                    continue
                if write:
                    session.merge(row)
                changed = sorted(k for k in after if k != "id" and before.get(k) != after[k])
                change = {"change": "changed" if before else "added", "fields": changed}
                details = {**after, **change, "previous": {k: before[k] for k in changed if before}}
                drafts.append(
                    EntryDraft(self.federation.hub.id, "participant-changed", now, details=details)
                )
            return drafts
