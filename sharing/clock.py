"""Time as dtix writes it: aware UTC in code and in the store, RFC 3339 with 'Z' in files."""

from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC)


def rfc3339(moment: datetime) -> str:
    """Second precision, 'Z' suffix: the form every dtix file uses."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
