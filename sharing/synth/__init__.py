"""Synthetic feeds for `dtix synth`: one distillation campaign, seen by several labs at once.

Scale 1 is the reported campaign: ~24,000 accounts and ~16 million sighting records across
the labs' inboxes. Same lab ids, scale, seed and `now` give byte-identical files.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from random import Random

from sharing.errors import DtixError
from sharing.synth.bad import bad_count
from sharing.synth.campaign import Campaign, build_campaign
from sharing.synth.feeds import MAX_LINES, FeedWriter, write_lab
from sharing.synth.noise import lab_noise
from sharing.synth.view import lab_view

RECORDS_AT_SCALE_1 = 16_000_000
MIN_RECORDS_PER_LAB = 8
_LAB_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")


@dataclass(frozen=True)
class SynthReport:
    """What `synthesize` wrote. `records` counts every line, bad ones included."""

    files: dict[str, list[Path]]
    records: dict[str, int]
    accounts: int
    bad_records: dict[str, int]
    indicators: dict[str, int] = field(default_factory=dict)
    """Distinct canonical values per type across all labs (campaign and noise)."""

    @property
    def total_records(self) -> int:
        return sum(self.records.values())


def synthesize(
    inboxes: Mapping[str, Path],
    *,
    scale: float,
    seed: int = 7,
    now: datetime,
    max_lines: int = MAX_LINES,
) -> SynthReport:
    """Writes each lab's feed into its inbox (created if missing) and reports what was written.

    Sightings fall in the 14 days before `now` (naive means UTC), truncated to the hour.
    """
    if not scale > 0 or scale == float("inf"):
        raise DtixError(f"synthetic scale must be a positive number, got {scale!r}")
    if not inboxes:
        raise DtixError("no lab inboxes to write synthetic feeds into")
    bad_ids = [lab for lab in inboxes if not _LAB_ID.fullmatch(lab)]
    if bad_ids:
        raise DtixError(f"lab id {bad_ids[0]!r} cannot name a feed file")
    if max_lines < 1:
        raise ValueError("max_lines must be at least 1")
    labs = sorted(inboxes)
    end = (now if now.tzinfo else now.replace(tzinfo=UTC)).astimezone(UTC)
    end = end.replace(minute=0, second=0, microsecond=0)
    campaign = build_campaign(len(labs), scale, seed)
    files: dict[str, list[Path]] = {}
    records: dict[str, int] = {}
    bad: dict[str, int] = {}
    values: dict[str, set[str]] = {}
    per_lab = _records(campaign, len(labs), scale)
    for index, lab in enumerate(labs):
        rng = Random(f"dtix-synth/{seed}/lab/{lab}")
        records[lab] = per_lab[index]
        noise = lab_noise(rng, index, records[lab])
        cap = (records[lab] - bad_count(records[lab])) // 2
        view = lab_view(campaign, noise, index, cap, rng)
        inbox = Path(inboxes[lab])
        inbox.mkdir(parents=True, exist_ok=True)
        with FeedWriter(inbox, f"synth-{seed}-{lab}", max_lines) as writer:
            bad[lab] = write_lab(writer, view, records[lab], end, rng)
        files[lab] = writer.files
        for type_, seen in view.values.items():
            values.setdefault(type_, set()).update(seen)
    return SynthReport(
        files=files,
        records=records,
        accounts=len(values.get("account_hash", ())),
        bad_records=bad,
        indicators={t: len(v) for t, v in sorted(values.items())},
    )


def _records(campaign: Campaign, n_labs: int, scale: float) -> list[int]:
    """Lines per lab: RECORDS_AT_SCALE_1 * scale shared by how many accounts each lab sees."""
    shares = [
        1 + sum(i in s.labs for s in campaign.indicators if s.type == "account_hash")
        for i in range(n_labs)
    ]
    total = round(RECORDS_AT_SCALE_1 * scale)
    parts = [total * share // sum(shares) for share in shares]
    for i in range(total - sum(parts)):
        parts[i] += 1
    return [max(MIN_RECORDS_PER_LAB, part) for part in parts]
