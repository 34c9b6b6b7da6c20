"""Collect a lab's inbox: keep each file as received, quarantine bad records, merge the rest.

A submission is recorded, with its quarantine, its merge and its audit entries, in one
transaction; the inbox file moves aside only after that commits. A crash at any point
leaves either nothing recorded (the file is collected again) or everything recorded (the
file is recognised by its hash and never counted twice).
"""

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from sharing.aggregate import AggregatedSubmission, aggregate_file
from sharing.audit.log import append_entry
from sharing.blobs import commit_blob, move_aside, stage_blob
from sharing.errors import InputError
from sharing.exchange import Exchange
from sharing.merge import MergeCounts, merge_aggregates
from sharing.store.models import QuarantinedRecord, Submission

SUBMISSION_SUFFIXES = (".jsonl",)
COLLECTED = "collected"  # where an inbox file goes once its submission is recorded
_RAW_LIMIT = 64 * 1024


@dataclass(frozen=True)
class CollectReport:
    lab: str
    submissions: int = 0
    already_collected: int = 0
    records: int = 0
    accepted: int = 0
    quarantined: int = 0
    indicators_new: int = 0
    indicators_changed: int = 0

    def __add__(self, other: "CollectReport") -> "CollectReport":
        fields = self.__dataclass_fields__
        return CollectReport(
            self.lab, **{k: getattr(self, k) + getattr(other, k) for k in fields if k != "lab"}
        )


def pending_submissions(exchange: Exchange, lab: str) -> list[Path]:
    """Complete files waiting in a lab's inbox (writers use hidden or temporary names)."""
    inbox = exchange.inbox(lab)
    if not inbox.exists():
        return []
    if not inbox.is_dir():
        raise InputError(f"inbox of '{lab}' at {inbox} is not a folder")
    return sorted(
        p
        for p in inbox.iterdir()
        if p.is_file() and p.suffix in SUBMISSION_SUFFIXES and not p.name.startswith(".")
    )


def collect_lab(exchange: Exchange, lab: str, *, now: datetime) -> CollectReport:
    """Collect every pending submission of one lab, in name order."""
    exchange.federation.lab(lab)
    report = CollectReport(lab)
    for path in pending_submissions(exchange, lab):
        report = report + collect_file(exchange, lab, path, now=now)
    return report


def collect_file(exchange: Exchange, lab: str, path: Path, *, now: datetime) -> CollectReport:
    """Keep the file as received, read and hash it in one pass, then record it all at once."""
    blobs_dir = exchange.home.blobs_dir
    staged = stage_blob(blobs_dir, path)
    try:
        parsed = aggregate_file(staged)
        with exchange.session() as session:
            known = session.exec(select(Submission).where(Submission.sha256 == parsed.sha256))
            if known.first() is not None:
                move_aside(path, exchange.inbox(lab) / COLLECTED)
                return CollectReport(lab, already_collected=1)
        blob = commit_blob(blobs_dir, staged, parsed.sha256)
    finally:
        staged.unlink(missing_ok=True)
    try:
        counts = _record(exchange, lab, path, blob.stat().st_size, parsed, now)
    except IntegrityError:
        # Another collector recorded the same bytes between our check and our commit.
        move_aside(path, exchange.inbox(lab) / COLLECTED)
        return CollectReport(lab, already_collected=1)
    move_aside(path, exchange.inbox(lab) / COLLECTED)
    return CollectReport(
        lab,
        submissions=1,
        records=parsed.records,
        accepted=parsed.accepted,
        quarantined=len(parsed.rejected),
        indicators_new=counts.new,
        indicators_changed=counts.changed,
    )


def _record(
    exchange: Exchange,
    lab: str,
    path: Path,
    size: int,
    parsed: AggregatedSubmission,
    now: datetime,
) -> MergeCounts:
    hub = exchange.federation.hub.id
    sha = parsed.sha256
    with exchange.session() as session:
        session.add(
            Submission(
                sha256=sha,
                lab=lab,
                filename=path.name,
                size=size,
                received=now,
                records=parsed.records,
                accepted=parsed.accepted,
                quarantined=len(parsed.rejected),
            )
        )
        session.flush()
        append_entry(
            session,
            actor=hub,
            action="submission-received",
            time=now,
            object_sha256=sha,
            details={"lab": lab, "file": path.name, "size": size, "records": parsed.records},
        )
        if parsed.rejected:
            session.add_all(
                QuarantinedRecord(
                    submission_sha256=sha,
                    line=r.line,
                    reason=r.reason,
                    raw=r.raw[:_RAW_LIMIT].decode("utf-8", "replace"),
                )
                for r in parsed.rejected
            )
            reasons = Counter(r.reason.split(":")[0] for r in parsed.rejected)
            append_entry(
                session,
                actor=hub,
                action="records-quarantined",
                time=now,
                object_sha256=sha,
                details={
                    "lab": lab,
                    "count": len(parsed.rejected),
                    "reasons": dict(reasons.most_common(20)),
                },
            )
        counts = merge_aggregates(session, lab, parsed.aggregates)
        append_entry(
            session,
            actor=hub,
            action="indicators-merged",
            time=now,
            object_sha256=sha,
            details={
                "lab": lab,
                "distinct": len(parsed.aggregates),
                "new": counts.new,
                "changed": counts.changed,
                "unchanged": counts.unchanged,
            },
        )
        session.commit()
    return counts
