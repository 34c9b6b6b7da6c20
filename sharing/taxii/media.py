"""TAXII 2.1 media types and time stamps: what a request must ask for, what responses say.

A request's Accept must name `application/taxii+json` (version 2.1, or no version, which
means the latest); a POST's Content-Type must be `application/taxii+json;version=2.1`.
"""

from datetime import UTC, datetime

from sharing.timestamps import InvalidTimestamp, parse_seen

TAXII_MEDIA = "application/taxii+json;version=2.1"
STIX_MEDIA = "application/stix+json;version=2.1"
_TAXII_TYPE = "application/taxii+json"


def _media_ranges(header: str) -> list[tuple[str, dict[str, str]]]:
    """`type/subtype` (lower case) and parameters of each item of an Accept-like header."""
    found = []
    for item in header.split(","):
        kind, *params = (part.strip() for part in item.split(";"))
        values = {}
        for param in params:
            name, _, value = param.partition("=")
            values[name.strip().lower()] = value.strip().strip('"')
        found.append((kind.lower(), values))
    return found


def accepts_taxii(accept: str | None) -> bool:
    """Whether an Accept header allows a TAXII 2.1 response."""
    return any(
        kind == _TAXII_TYPE and params.get("version", "2.1") == "2.1"
        for kind, params in _media_ranges(accept or "")
    )


def is_taxii(content_type: str | None) -> bool:
    """Whether a Content-Type header names a TAXII 2.1 body."""
    ranges = _media_ranges(content_type or "")
    return len(ranges) == 1 and ranges[0][0] == _TAXII_TYPE and ranges[0][1].get("version") == "2.1"


def taxii_time(moment: datetime) -> str:
    """A TAXII timestamp: UTC, microseconds, 'Z' (naive values from the store are UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_taxii_time(text: str) -> datetime | None:
    """An RFC 3339 timestamp with a zone as aware UTC, or None when it is not one."""
    try:
        return parse_seen(text)
    except InvalidTimestamp:
        return None
