"""Stores made the way dtix made them before schema revisions: create_all of the models, then
the audit log's append-only triggers. Shared by the migration and `dtix db` tests."""

from datetime import UTC, datetime

from sqlalchemy import MetaData, text
from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select

from sharing.audit.log import EntryDraft, append_entries
from sharing.audit.tables import AuditEntry
from sharing.store.models import Indicator, ParticipantRow, Submission
from sharing.store.schema import store_metadata

TAXII_TABLES = ("taxii_api_token", "taxii_status", "taxii_cursor")
AUDIT_TABLES = ("audit_entry", "audit_checkpoint", "audit_tile")
SEEN = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)


def make_store_the_old_way(engine: Engine, *, with_taxii: bool) -> None:
    """create_all of today's models, or of the models before the TAXII tables (commit
    b082e66: the same tables less those three), then the triggers as dtix installed them."""
    old = MetaData()
    for name, table in store_metadata().tables.items():
        if with_taxii or name not in TAXII_TABLES:
            table.to_metadata(old)
    old.create_all(engine)
    with engine.begin() as conn:
        for statement in _old_triggers(engine.dialect.name):
            conn.execute(text(statement))


def put_rows(engine: Engine) -> None:
    """A participant, a submission, an indicator and two audit entries."""
    with Session(engine) as session:
        session.add(ParticipantRow(**_GOOGLE))
        session.flush()
        session.add(Submission(**_SUBMISSION))
        session.add(Indicator(**_INDICATOR))
        drafts = [EntryDraft("hub", "participant-changed", SEEN, details={"n": n}) for n in (1, 2)]
        append_entries(session, drafts)
        session.commit()


def rows_survived(engine: Engine) -> bool:
    """Whether the rows `put_rows` wrote read back unchanged."""
    with Session(engine) as session:
        google = session.get(ParticipantRow, "google")
        submission = session.exec(select(Submission)).one()
        indicator = session.exec(select(Indicator)).one()
        entries = session.exec(select(func.count()).select_from(AuditEntry)).one()
    return (
        google is not None
        and google.model_dump() == _GOOGLE
        and submission.model_dump(exclude={"id"}) == _SUBMISSION
        and indicator.model_dump(exclude={"id"}) == _INDICATOR
        and entries == 2
    )


def _old_triggers(dialect: str) -> list[str]:
    if dialect == "sqlite":
        return [
            f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
            for table in AUDIT_TABLES
            for verb in ("UPDATE", "DELETE")
        ]
    function = (
        "CREATE OR REPLACE FUNCTION dtix_audit_append_only() RETURNS trigger LANGUAGE plpgsql "
        "AS $$ BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END $$"
    )
    return [function] + [
        f"CREATE TRIGGER {table}_{name} {when} ON {table} {each} "
        "EXECUTE FUNCTION dtix_audit_append_only()"
        for table in AUDIT_TABLES
        for name, when, each in (
            ("no_change", "BEFORE UPDATE OR DELETE", "FOR EACH ROW"),
            ("no_truncate", "BEFORE TRUNCATE", "FOR EACH STATEMENT"),
        )
    ]


_GOOGLE = {
    "id": "google",
    "name": "Google",
    "role": "lab",
    "clearance": "amber",
    "attribution": True,
    "sign_kid": "sign-kid",
    "encrypt_kid": "encrypt-kid",
}
_SUBMISSION = {
    "sha256": "ab" * 32,
    "lab": "google",
    "filename": "feed.jsonl",
    "size": 120,
    "received": SEEN,
    "records": 3,
    "accepted": 2,
    "quarantined": 1,
    "screened": 0,
    "signer": None,
}
_INDICATOR = {
    "type": "domain",
    "value": "farm1.proxyhydra.net",
    "tlp": "amber",
    "confidence": 80,
    "first_seen": SEEN,
    "last_seen": SEEN,
    "tags": '["account-farming"]',
    "campaign": None,
    "labs": 1,
    "sightings": 5,
    "version": 1,
}
