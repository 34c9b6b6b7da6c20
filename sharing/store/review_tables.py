"""Items the hub's rules hold for an analyst's decision (sharing.approval).

One row per held subject: an indicator (held for being RED, or a single lab's block
recommendation) or a campaign (its first indicators). Rows change only from pending to
decided; every decision is also in the audit log with who and why.
"""

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel


class HeldItem(SQLModel, table=True):
    """A subject held back from every bulletin until an analyst approves it."""

    __tablename__ = "held_item"
    __table_args__ = (UniqueConstraint("subject"),)
    id: int | None = Field(default=None, primary_key=True)
    subject: str  # "indicator:<id>" or "campaign:<name>"
    rule: str  # red | single-lab-block | new-campaign
    reason: str
    indicator_id: int | None = Field(default=None, foreign_key="indicator.id")
    campaign: str | None = None
    held: datetime
    status: str = "pending"  # pending | approved | rejected
    edits: str = "{}"  # JSON: fields an approval changed (tlp, confidence, campaign, tags)
    decided_by: str | None = None
    decided_why: str | None = None
    decided: datetime | None = None
