"""The `seen` timestamp of a sighting record: RFC 3339 with a zone, stored in UTC."""

from datetime import UTC, datetime

import pytest

from sharing.records import parse_record
from tests.test_records import SEEN, reason, record


@pytest.mark.parametrize(
    ("seen", "expected"),
    [
        ("2026-11-20T10:00:00Z", SEEN),
        ("2026-11-20t10:00:00z", SEEN),
        ("2026-11-20 10:00:00+00:00", SEEN),
        ("2026-11-20T12:00:00+02:00", SEEN),
        ("2026-11-20T04:30:00-05:30", SEEN),
        ("2026-11-20T10:00:00-00:00", SEEN),
        ("2026-11-20T10:00:00.5Z", SEEN.replace(microsecond=500000)),
        ("2026-11-20T10:00:00.123456789Z", SEEN.replace(microsecond=123456)),
        ("2026-11-21T00:30:00+14:30", SEEN),
    ],
)
def test_seen_is_an_rfc3339_timestamp_stored_in_utc(seen: str, expected: datetime) -> None:
    parsed = parse_record(record(seen=seen)).seen
    assert parsed == expected
    assert parsed.tzinfo is UTC


@pytest.mark.parametrize(
    ("seen", "expected"),
    [
        ("2026-11-20T10:00:00", "with a zone"),
        ("2026-11-20", "with a zone"),
        ("20261120T100000Z", "with a zone"),
        ("2026-11-20T10:00Z", "with a zone"),
        ("2026-11-20T10:00:00+0200", "with a zone"),
        ("2026-11-20T10:00:00.Z", "with a zone"),
        ("\uff12026-11-20T10:00:00Z", "with a zone"),
        ("", "with a zone"),
        ("2026-11-20T23:59:60Z", "leap second"),
        ("2026-02-30T10:00:00Z", "not a real date and time"),
        ("2026-11-20T24:00:00Z", "not a real date and time"),
        ("0001-01-01T00:00:00+01:00", "not a real date and time"),
        ("2026-11-20T10:00:00+24:00", "impossible zone offset"),
        ("2026-11-20T10:00:00+02:60", "impossible zone offset"),
    ],
)
def test_seen_without_a_zone_or_impossible_is_refused(seen: str, expected: str) -> None:
    assert expected in reason(record(seen=seen))
