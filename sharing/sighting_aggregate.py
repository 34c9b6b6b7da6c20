"""What one lab said about one indicator within one submission, folded from its records."""

from dataclasses import dataclass
from datetime import datetime

from sharing.audience import narrowed, red_audience
from sharing.records import Sighting
from sharing.tlp import TLP

NO_CAMPAIGN_LINE = 1 << 62


@dataclass(slots=True)
class SightingAggregate:
    """Everything one lab said about one indicator within one submission."""

    sightings: int
    first_seen: datetime
    last_seen: datetime
    confidence: int
    tlp: TLP
    tags: set[str]
    campaign: str | None
    campaign_line: int = NO_CAMPAIGN_LINE  # the line that named the campaign first
    records: int = 1  # lines, where `sightings` sums their counts
    audience: frozenset[str] | None = None  # named recipients, for TLP:RED (sharing.audience)

    @classmethod
    def of(cls, s: Sighting, line: int = 0) -> "SightingAggregate":
        where = line if s.campaign is not None else NO_CAMPAIGN_LINE
        named = red_audience(s.tlp, s.audience)
        tags = set(s.tags)
        return cls(s.count, s.seen, s.seen, s.confidence, s.tlp, tags, s.campaign, where, 1, named)

    def named(self) -> frozenset[str] | None:
        """Who this may go to under TLP:RED; None when it is not RED."""
        return red_audience(self.tlp, self.audience)

    def add(self, s: Sighting, line: int = 0) -> None:
        self.absorb(SightingAggregate.of(s, line))

    def absorb(self, other: "SightingAggregate") -> None:
        """Fold in what another part of the same submission said about this indicator."""
        self.sightings += other.sightings
        self.records += other.records
        self.first_seen = min(self.first_seen, other.first_seen)
        self.last_seen = max(self.last_seen, other.last_seen)
        self.confidence = max(self.confidence, other.confidence)
        self.audience = narrowed(self.named(), other.named())
        if other.tlp.rank > self.tlp.rank:
            self.tlp = other.tlp
        self.tags.update(other.tags)
        if other.campaign_line < self.campaign_line:
            self.campaign, self.campaign_line = other.campaign, other.campaign_line

    def then(self, later: "SightingAggregate") -> None:
        """Fold in what a later submission of the same lab said: as `absorb`, except that
        a campaign named in the earlier submission stays (as merging one by one would)."""
        campaign, line = self.campaign, self.campaign_line
        self.absorb(later)
        if campaign is not None:
            self.campaign, self.campaign_line = campaign, line
