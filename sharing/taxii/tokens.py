"""API tokens: how a lab proves who it is to the hub's TAXII server.

A token is 32 random bytes, base64url. The hub prints it once and keeps only its SHA-256,
with the lab it belongs to and when it was issued and revoked; issuing and revoking are
audit log entries. A token is named by its `ref`, the first 12 hex digits of that hash.
"""

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlmodel import col, select

from sharing.audit.log import append_entry
from sharing.errors import InputError
from sharing.exchange import Exchange
from sharing.store.taxii_tables import ApiToken

REF_LENGTH = 12


@dataclass(frozen=True)
class IssuedToken:
    participant: str
    token: str  # shown once, never stored
    ref: str


@dataclass(frozen=True)
class TokenInfo:
    participant: str
    ref: str
    created: datetime
    revoked: datetime | None


def token_sha256(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue_token(exchange: Exchange, lab: str, *, now: datetime) -> IssuedToken:
    """A new token for `lab` (labs only: the hub reads its own store)."""
    exchange.federation.lab(lab)
    token = secrets.token_urlsafe(32)
    digest = token_sha256(token)
    with exchange.session() as session:
        session.add(ApiToken(sha256=digest, participant=lab, created=now))
        append_entry(
            session,
            actor=exchange.federation.hub.id,
            action="taxii-token-issued",
            time=now,
            object_sha256=digest,
            recipients=[lab],
            details={"participant": lab, "ref": digest[:REF_LENGTH]},
        )
        session.commit()
    return IssuedToken(lab, token, digest[:REF_LENGTH])


def revoke_tokens(
    exchange: Exchange, *, ref: str | None = None, lab: str | None = None, now: datetime
) -> list[TokenInfo]:
    """Revoke the token named `ref`, or every live token of `lab`; what was revoked."""
    if (ref is None) == (lab is None):
        raise InputError("name either a token ref or a lab whose tokens to revoke")
    query = select(ApiToken).where(col(ApiToken.revoked).is_(None))
    if lab is not None:
        exchange.federation.lab(lab)
        query = query.where(ApiToken.participant == lab)
    else:
        if ref is None or len(ref) < 8 or not all(c in "0123456789abcdef" for c in ref):
            raise InputError(f"token ref {ref!r}: give at least 8 lower-case hex digits")
        query = query.where(col(ApiToken.sha256).startswith(ref))
    with exchange.session() as session:
        rows = list(session.exec(query))
        if ref is not None and len(rows) != 1:
            found = "no live token" if not rows else "several tokens"
            raise InputError(f"token ref {ref!r}: {found} with that ref")
        for row in rows:
            row.revoked = now
            session.add(row)
            append_entry(
                session,
                actor=exchange.federation.hub.id,
                action="taxii-token-revoked",
                time=now,
                object_sha256=row.sha256,
                recipients=[row.participant],
                details={"participant": row.participant, "ref": row.sha256[:REF_LENGTH]},
            )
        session.commit()
    return [_info(row) for row in rows]


def list_tokens(exchange: Exchange) -> list[TokenInfo]:
    """Every token the hub issued, oldest first, revoked ones included."""
    with exchange.session() as session:
        rows = session.exec(select(ApiToken).order_by(col(ApiToken.id)))
        return [_info(row) for row in rows]


def token_holder(exchange: Exchange, token: str) -> str | None:
    """The participant a live token belongs to, or None.

    The row is found by the token's SHA-256, which a caller cannot steer, and the digest
    is compared again in constant time.
    """
    digest = token_sha256(token)
    with exchange.session() as session:
        row = session.exec(select(ApiToken).where(ApiToken.sha256 == digest)).first()
    if row is None or row.revoked is not None or not hmac.compare_digest(row.sha256, digest):
        return None
    return row.participant


def _info(row: ApiToken) -> TokenInfo:
    revoked = _utc(row.revoked) if row.revoked is not None else None
    return TokenInfo(row.participant, row.sha256[:REF_LENGTH], _utc(row.created), revoked)


def _utc(moment: datetime) -> datetime:
    """Times come back from the store without a zone; they are UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment
