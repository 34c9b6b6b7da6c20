"""The hub's store as dtix made it before schema revisions

Participants, submissions, quarantine, screening, indicators and contributions, bulletins and
deliveries, held items, and the audit log with the triggers that keep it append-only.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

AUDIT_TABLES = ("audit_entry", "audit_checkpoint", "audit_tile")

_SQLITE_TRIGGER = """CREATE TRIGGER {table}_no_{name} BEFORE {verb} ON {table}
BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"""

_PG_FUNCTION = """CREATE OR REPLACE FUNCTION dtix_audit_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END
$$"""

_PG_TRIGGERS = (
    ("no_change", "BEFORE UPDATE OR DELETE", "FOR EACH ROW"),
    ("no_truncate", "BEFORE TRUNCATE", "FOR EACH STATEMENT"),
)


def upgrade() -> None:
    _create_audit_tables()
    _create_hub_tables()
    _install_append_only_triggers()


def downgrade() -> None:
    _drop_append_only_triggers()
    for table in (
        "held_item",
        "delivery",
        "bulletin_item",
        "bulletin",
        "contribution",
        "indicator",
        "screened_indicator",
        "quarantined_record",
        "submission",
        "participant",
        *AUDIT_TABLES,
    ):
        op.drop_table(table)


def _create_audit_tables() -> None:
    op.create_table(
        "audit_entry",
        sa.Column("idx", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("time", sa.String(), nullable=False),
        sa.Column("actor", sa.String(), nullable=False),
        sa.Column("action", sa.String(), nullable=False),
        sa.Column("object_sha256", sa.String(), nullable=True),
        sa.Column("recipients", sa.Text(), nullable=False),
        sa.Column("details", sa.Text(), nullable=False),
        sa.Column("leaf", sa.LargeBinary(), nullable=False),
        sa.Column("leaf_hash", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("idx"),
    )
    op.create_index(op.f("ix_audit_entry_action"), "audit_entry", ["action"])
    op.create_table(
        "audit_checkpoint",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("root", sa.String(), nullable=False),
        sa.Column("time", sa.String(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "audit_tile",
        sa.Column("level", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("idx", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("hash", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("level", "idx"),
    )


def _create_hub_tables() -> None:
    op.create_table(
        "participant",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("role", sa.String(), nullable=False),
        sa.Column("clearance", sa.String(), nullable=False),
        sa.Column("attribution", sa.Boolean(), nullable=False),
        sa.Column("sign_kid", sa.String(), nullable=False),
        sa.Column("encrypt_kid", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "submission",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(), nullable=False),
        sa.Column("lab", sa.String(), nullable=False),
        sa.Column("filename", sa.String(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("received", sa.DateTime(timezone=True), nullable=False),
        sa.Column("records", sa.Integer(), nullable=False),
        sa.Column("accepted", sa.Integer(), nullable=False),
        sa.Column("quarantined", sa.Integer(), nullable=False),
        sa.Column("screened", sa.Integer(), nullable=False),
        sa.Column("signer", sa.String(), nullable=True),
        sa.ForeignKeyConstraint(["lab"], ["participant.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_submission_lab"), "submission", ["lab"])
    op.create_index(op.f("ix_submission_sha256"), "submission", ["sha256"], unique=True)
    op.create_table(
        "quarantined_record",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_sha256", sa.String(), nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(), nullable=False),
        sa.Column("raw", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(["submission_sha256"], ["submission.sha256"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f("ix_quarantined_record_submission_sha256"),
        "quarantined_record",
        ["submission_sha256"],
    )
    op.create_table(
        "screened_indicator",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_sha256", sa.String(), nullable=False),
        sa.Column("type", sa.String(), nullable=False),
        sa.Column("value", sa.String(), nullable=False),
        sa.Column("warninglist", sa.String(), nullable=False),
        sa.Column("records", sa.Integer(), nullable=False),
        sa.Column("sightings", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["submission_sha256"], ["submission.sha256"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f("ix_screened_indicator_submission_sha256"),
        "screened_indicator",
        ["submission_sha256"],
    )
    op.create_table(
        "indicator",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(), nullable=False),
        sa.Column("value", sa.String(), nullable=False),
        sa.Column("tlp", sa.String(), nullable=False),
        sa.Column("confidence", sa.Integer(), nullable=False),
        sa.Column("first_seen", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen", sa.DateTime(timezone=True), nullable=False),
        sa.Column("tags", sa.String(), nullable=False),
        sa.Column("campaign", sa.String(), nullable=True),
        sa.Column("labs", sa.Integer(), nullable=False),
        sa.Column("sightings", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("type", "value"),
    )
    op.create_index(op.f("ix_indicator_type"), "indicator", ["type"])
    op.create_table(
        "contribution",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("lab", sa.String(), nullable=False),
        sa.Column("sightings", sa.Integer(), nullable=False),
        sa.Column("first_seen", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen", sa.DateTime(timezone=True), nullable=False),
        sa.Column("confidence", sa.Integer(), nullable=False),
        sa.Column("tlp", sa.String(), nullable=False),
        sa.Column("tags", sa.String(), nullable=False),
        sa.Column("campaign", sa.String(), nullable=True),
        sa.Column("audience", sa.String(), nullable=True),
        sa.ForeignKeyConstraint(["indicator_id"], ["indicator.id"]),
        sa.ForeignKeyConstraint(["lab"], ["participant.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("indicator_id", "lab"),
    )
    op.create_index(op.f("ix_contribution_indicator_id"), "contribution", ["indicator_id"])
    op.create_table(
        "bulletin",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("stream", sa.String(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("prev", sa.String(), nullable=False),
        sa.Column("header_hash", sa.String(), nullable=False),
        sa.Column("sha256", sa.String(), nullable=False),
        sa.Column("issued", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires", sa.DateTime(timezone=True), nullable=False),
        sa.Column("tlp", sa.String(), nullable=False),
        sa.Column("indicators", sa.Integer(), nullable=False),
        sa.Column("sealed", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("stream", "seq"),
    )
    op.create_index(op.f("ix_bulletin_stream"), "bulletin", ["stream"])
    op.create_table(
        "bulletin_item",
        sa.Column("bulletin_id", sa.String(), nullable=False),
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["bulletin_id"], ["bulletin.id"]),
        sa.ForeignKeyConstraint(["indicator_id"], ["indicator.id"]),
        sa.PrimaryKeyConstraint("bulletin_id", "indicator_id"),
    )
    op.create_index(op.f("ix_bulletin_item_indicator_id"), "bulletin_item", ["indicator_id"])
    op.create_table(
        "delivery",
        sa.Column("bulletin_id", sa.String(), nullable=False),
        sa.Column("recipient", sa.String(), nullable=False),
        sa.Column("path", sa.String(), nullable=False),
        sa.Column("delivered", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["bulletin_id"], ["bulletin.id"]),
        sa.ForeignKeyConstraint(["recipient"], ["participant.id"]),
        sa.PrimaryKeyConstraint("bulletin_id", "recipient"),
    )
    op.create_table(
        "held_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subject", sa.String(), nullable=False),
        sa.Column("rule", sa.String(), nullable=False),
        sa.Column("reason", sa.String(), nullable=False),
        sa.Column("indicator_id", sa.Integer(), nullable=True),
        sa.Column("campaign", sa.String(), nullable=True),
        sa.Column("held", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("edits", sa.String(), nullable=False),
        sa.Column("decided_by", sa.String(), nullable=True),
        sa.Column("decided_why", sa.String(), nullable=True),
        sa.Column("decided", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["indicator_id"], ["indicator.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("subject"),
    )


def _install_append_only_triggers() -> None:
    """Refuse UPDATE and DELETE (and TRUNCATE on PostgreSQL) on the audit tables, so that
    rewriting history takes dropping a trigger first."""
    dialect = op.get_context().dialect.name
    if dialect == "postgresql":
        op.execute(_PG_FUNCTION)
        for table in AUDIT_TABLES:
            for name, when, each in _PG_TRIGGERS:
                op.execute(
                    f"CREATE TRIGGER {table}_{name} {when} ON {table} {each} "
                    "EXECUTE FUNCTION dtix_audit_append_only()"
                )
    elif dialect == "sqlite":
        for table in AUDIT_TABLES:
            for verb in ("UPDATE", "DELETE"):
                op.execute(_SQLITE_TRIGGER.format(table=table, verb=verb, name=verb.lower()))
    else:
        raise NotImplementedError(f"no append-only triggers for {dialect}")


def _drop_append_only_triggers() -> None:
    dialect = op.get_context().dialect.name
    for table in AUDIT_TABLES:
        if dialect == "postgresql":
            for name, _, _ in _PG_TRIGGERS:
                op.execute(f"DROP TRIGGER IF EXISTS {table}_{name} ON {table}")
        else:
            for verb in ("update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_no_{verb}")
    if dialect == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS dtix_audit_append_only()")
