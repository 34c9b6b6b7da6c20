"""What the TAXII 2.1 server and collector keep in the hub's store (sharing.taxii).

API tokens are kept only as their SHA-256; a status row answers `GET /api/status/{id}/`
after an add; a cursor remembers how far the hub has pulled from a lab's own TAXII server.
"""

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel


class ApiToken(SQLModel, table=True):
    """A participant's bearer token for the TAXII server: its hash, never the token."""

    __tablename__ = "taxii_api_token"
    id: int | None = Field(default=None, primary_key=True)
    sha256: str = Field(unique=True, index=True)  # hex SHA-256 of the token's text
    participant: str
    created: datetime
    revoked: datetime | None = None


class TaxiiStatus(SQLModel, table=True):
    """The outcome of one add to a lab's inbox collection (a TAXII status resource)."""

    __tablename__ = "taxii_status"
    id: str = Field(primary_key=True)  # a UUID
    participant: str
    collection: str
    requested: datetime
    file: str | None = None  # the bundle written into the lab's inbox, if any object was kept
    successes: str = "[]"  # JSON: [{"id", "version", "message"}]
    failures: str = "[]"  # JSON: [{"id", "version"?, "message"}]


class TaxiiCursor(SQLModel, table=True):
    """How far the hub has pulled one lab's TAXII collection: the last date_added seen."""

    __tablename__ = "taxii_cursor"
    __table_args__ = (UniqueConstraint("lab", "source"),)
    id: int | None = Field(default=None, primary_key=True)
    lab: str
    source: str  # the collection's objects URL: a new source starts from the beginning
    added_after: str  # X-TAXII-Date-Added-Last of the last completed pull, as the server wrote it
    pulled: datetime
