"""Records counted and folded per indicator, bad ones set aside with line and reason.

Worker processes tally the lines of their blocks that need reading one by one; the
reading process adds those tallies up, file by file, so every record is counted once.
"""

from dataclasses import dataclass, field

from sharing.personal_data import scrubbed
from sharing.records import PersonalDataRejected, RecordRejected, Sighting
from sharing.redaction import holds_personal_data, redacted_line
from sharing.sighting_aggregate import SightingAggregate

Key = tuple[str, str]


@dataclass(frozen=True, slots=True)
class Rejected:
    line: int
    reason: str
    raw: bytes
    personal: bool = False  # held raw personal data: reason and raw are redacted


@dataclass
class RecordTally:
    records: int = 0
    aggregates: dict[Key, SightingAggregate] = field(default_factory=dict)
    rejected: list[Rejected] = field(default_factory=list)

    def add(self, line: int, raw: bytes, outcome: Sighting | RecordRejected) -> None:
        """Count one record and fold it in, or set it aside."""
        self.records += 1
        if isinstance(outcome, RecordRejected):
            if isinstance(outcome, PersonalDataRejected) or holds_personal_data(raw):
                reason = scrubbed(outcome.reason)
                self.rejected.append(Rejected(line, reason, redacted_line(raw), personal=True))
            else:
                self.rejected.append(Rejected(line, outcome.reason, raw))
            return
        key = (outcome.type, outcome.value)
        existing = self.aggregates.get(key)
        if existing is None:
            self.aggregates[key] = SightingAggregate.of(outcome, line)
        else:
            existing.add(outcome, line)

    def absorb(self, key: Key, aggregate: SightingAggregate) -> None:
        existing = self.aggregates.get(key)
        if existing is None:
            self.aggregates[key] = aggregate
        else:
            existing.absorb(aggregate)

    def absorb_tally(self, other: "RecordTally") -> None:
        """Add a tally of later lines of the same file."""
        self.records += other.records
        self.rejected.extend(other.rejected)
        for key, aggregate in other.aggregates.items():
            self.absorb(key, aggregate)
