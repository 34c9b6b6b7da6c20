"""The TAXII 2.1 server's and collector's tables

API tokens (kept as their SHA-256), status resources of adds, and the cursor of each pull
from a lab's own TAXII server.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "taxii_api_token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(), nullable=False),
        sa.Column("participant", sa.String(), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_taxii_api_token_sha256"), "taxii_api_token", ["sha256"], unique=True)
    op.create_table(
        "taxii_status",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("participant", sa.String(), nullable=False),
        sa.Column("collection", sa.String(), nullable=False),
        sa.Column("requested", sa.DateTime(timezone=True), nullable=False),
        sa.Column("file", sa.String(), nullable=True),
        sa.Column("successes", sa.String(), nullable=False),
        sa.Column("failures", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "taxii_cursor",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("lab", sa.String(), nullable=False),
        sa.Column("source", sa.String(), nullable=False),
        sa.Column("added_after", sa.String(), nullable=False),
        sa.Column("pulled", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("lab", "source"),
    )


def downgrade() -> None:
    op.drop_table("taxii_cursor")
    op.drop_table("taxii_status")
    op.drop_table("taxii_api_token")
