"""What one run of the exchange did, stage by stage: returned by the flow, printed by the CLI."""

from dataclasses import dataclass, field
from datetime import datetime

from sharing.collect import CollectReport
from sharing.issuing import IssuedBulletin


@dataclass
class LabOutcome:
    lab: str
    issued: IssuedBulletin | None
    delivered: list[str]


@dataclass
class RunSummary:
    now: datetime
    collected: list[CollectReport] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)  # lab -> why its collection failed
    failed_bulletins: dict[str, str] = field(default_factory=dict)
    bulletins: list[LabOutcome] = field(default_factory=list)
    advisories: list[str] = field(default_factory=list)
    checkpoint: str = ""

    def total(self, name: str) -> int:
        return sum(getattr(report, name) for report in self.collected)

    def describe(self) -> str:
        issued = [b.issued for b in self.bulletins if b.issued]
        return (
            f"collected {self.total('submissions')} submissions "
            f"({self.total('records')} records, {self.total('quarantined')} quarantined, "
            f"{self.total('indicators_new')} new indicators) from {len(self.collected)} labs"
            f"{f', {len(self.failed)} failed' if self.failed else ''}; "
            f"issued {len(issued)} bulletins with {sum(b.indicators for b in issued)} indicators"
            f"{f', {len(self.failed_bulletins)} failed' if self.failed_bulletins else ''}; "
            f"{len(self.advisories)} advisory files"
        )
