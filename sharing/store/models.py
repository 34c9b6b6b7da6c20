"""The hub's tables. Raw submissions are kept as received (content-addressed blobs); what
the database holds is what the pipeline derived from them, one row per distinct thing."""

from datetime import datetime

from sqlalchemy import Column, LargeBinary, UniqueConstraint
from sqlmodel import Field, SQLModel


class ParticipantRow(SQLModel, table=True):
    """A participant as last synchronised from federation.toml."""

    __tablename__ = "participant"
    id: str = Field(primary_key=True)
    name: str
    role: str
    clearance: str
    attribution: bool
    sign_kid: str
    encrypt_kid: str


class Submission(SQLModel, table=True):
    """One file a lab submitted, addressed by the SHA-256 of its raw bytes."""

    id: int | None = Field(default=None, primary_key=True)
    sha256: str = Field(unique=True, index=True)
    lab: str = Field(index=True, foreign_key="participant.id")
    filename: str
    size: int
    received: datetime
    records: int
    accepted: int
    quarantined: int
    screened: int = 0
    signer: str | None = None


class QuarantinedRecord(SQLModel, table=True):
    """A record that failed validation, kept with its reason and its raw line."""

    __tablename__ = "quarantined_record"
    id: int | None = Field(default=None, primary_key=True)
    submission_sha256: str = Field(index=True, foreign_key="submission.sha256")
    line: int
    reason: str
    raw: str


class ScreenedIndicator(SQLModel, table=True):
    """An indicator a submission reported that is on a warninglist (a public resolver, a CDN,
    a private range...): kept and reported, never merged or sent as something to block."""

    __tablename__ = "screened_indicator"
    id: int | None = Field(default=None, primary_key=True)
    submission_sha256: str = Field(index=True, foreign_key="submission.sha256")
    type: str
    value: str
    warninglist: str
    records: int
    sightings: int


class Indicator(SQLModel, table=True):
    """One canonical (type, value), merged across every lab that reported it.

    `version` grows whenever the merged view changes; a stream has seen an indicator once a
    bulletin in it carried the current version.
    """

    __table_args__ = (UniqueConstraint("type", "value"),)
    id: int | None = Field(default=None, primary_key=True)
    type: str = Field(index=True)
    value: str
    tlp: str
    confidence: int
    first_seen: datetime
    last_seen: datetime
    tags: str  # JSON array, sorted
    campaign: str | None = None
    labs: int
    sightings: int
    version: int = 1


class Contribution(SQLModel, table=True):
    """What one lab reported about one indicator, summed over all its submissions."""

    __table_args__ = (UniqueConstraint("indicator_id", "lab"),)
    id: int | None = Field(default=None, primary_key=True)
    indicator_id: int = Field(index=True, foreign_key="indicator.id")
    lab: str = Field(foreign_key="participant.id")
    sightings: int
    first_seen: datetime
    last_seen: datetime
    confidence: int
    tlp: str
    tags: str  # JSON array, sorted
    campaign: str | None = None
    audience: str | None = None  # JSON array: who a TLP:RED contribution may go to


class Bulletin(SQLModel, table=True):
    """A sealed bulletin, recorded with its bytes before it is delivered."""

    __table_args__ = (UniqueConstraint("stream", "seq"),)
    id: str = Field(primary_key=True)
    stream: str = Field(index=True)
    seq: int
    prev: str
    header_hash: str
    sha256: str
    issued: datetime
    expires: datetime
    tlp: str
    indicators: int
    sealed: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


class BulletinItem(SQLModel, table=True):
    """Which version of which indicator a bulletin carried."""

    __tablename__ = "bulletin_item"
    bulletin_id: str = Field(primary_key=True, foreign_key="bulletin.id")
    indicator_id: int = Field(primary_key=True, foreign_key="indicator.id", index=True)
    version: int


class Delivery(SQLModel, table=True):
    """A bulletin written to a recipient's outbox."""

    bulletin_id: str = Field(primary_key=True, foreign_key="bulletin.id")
    recipient: str = Field(primary_key=True, foreign_key="participant.id")
    path: str
    delivered: datetime


from sharing.store.review_tables import HeldItem  # noqa: E402,F401  (created with the rest)
