"""Collect a lab's inbox: keep each file as received, quarantine bad records, screen what must
never be sent, merge the rest.

A submission is recorded, with its quarantine, screening, merge and audit entries, in one
transaction; the inbox file moves aside only after that commits. A crash at any point
leaves either nothing recorded (the file is collected again) or everything recorded (the
file is recognised by its hash and never counted twice).
"""

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from sharing.aggregate import aggregate_file
from sharing.blobs import commit_blob, move_aside, stage_blob
from sharing.errors import InputError
from sharing.exchange import Exchange
from sharing.record_sources import reader_for
from sharing.redaction import keep_without_personal_data, scrub_inbox_file
from sharing.screening import Warninglists
from sharing.store.models import Submission
from sharing.submission_record import (
    record_submission,
    refuse_submission,
    screen_aggregates,
)
from sharing.submission_signature import SubmissionRefused, sidecar_path, verify_submission

SUBMISSION_SUFFIXES = (".jsonl", ".ndjson", ".csv", ".json")
COLLECTED = "collected"  # where an inbox file goes once its submission is recorded


@dataclass(frozen=True)
class CollectReport:
    lab: str
    submissions: int = 0
    already_collected: int = 0
    records: int = 0
    accepted: int = 0
    quarantined: int = 0
    screened: int = 0
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


def warninglists_for(exchange: Exchange) -> Warninglists:
    """The shipped warninglists and the federation's own, if it has any."""
    extra = exchange.home.warninglists_dir
    return Warninglists.load(extra if extra.is_dir() else None)


def collect_lab(exchange: Exchange, lab: str, *, now: datetime) -> CollectReport:
    """Collect every pending submission of one lab, in name order."""
    exchange.federation.lab(lab)
    lists = warninglists_for(exchange)
    report = CollectReport(lab)
    for path in pending_submissions(exchange, lab):
        report = report + collect_file(exchange, lab, path, now=now, lists=lists)
    return report


def collect_file(
    exchange: Exchange,
    lab: str,
    path: Path,
    *,
    now: datetime,
    lists: Warninglists | None = None,
) -> CollectReport:
    """Keep the file as received, read and hash it in one pass, then record it all at once."""
    reader = reader_for(path)
    blobs_dir = exchange.home.blobs_dir
    staged = stage_blob(blobs_dir, path)
    try:
        parsed = aggregate_file(staged, reader)
        with exchange.session() as session:
            known = session.exec(select(Submission).where(Submission.sha256 == parsed.sha256))
            if known.first() is not None:
                scrub_inbox_file(path, parsed)
                _set_aside(exchange, lab, path)
                return CollectReport(lab, already_collected=1)
        kept, kept_sha = keep_without_personal_data(staged, parsed, blobs_dir)
        blob = commit_blob(blobs_dir, kept, kept_sha)
    finally:
        staged.unlink(missing_ok=True)
    file = (path.name, blob.stat().st_size)
    try:
        strict = exchange.federation.strict_submissions
        signer = verify_submission(
            exchange.federation, lab, path, parsed.sha256, strict=strict, now=now
        )
    except SubmissionRefused as refused:
        signer, parsed = None, refuse_submission(parsed, str(refused))
    screened = screen_aggregates(parsed, lists or warninglists_for(exchange))
    try:
        counts = record_submission(exchange, lab, file, parsed, screened, signer=signer, now=now)
    except IntegrityError:
        # Another collector recorded the same bytes between our check and our commit.
        _set_aside(exchange, lab, path)
        return CollectReport(lab, already_collected=1)
    # The inbox keeps no raw personal data either: it becomes the redacted copy kept.
    scrub_inbox_file(path, parsed, blob if parsed.redacted_sha256 else None)
    _set_aside(exchange, lab, path)
    return CollectReport(
        lab,
        submissions=1,
        records=counts.records,
        accepted=counts.accepted,
        quarantined=counts.quarantined,
        screened=counts.screened,
        indicators_new=counts.merge.new,
        indicators_changed=counts.merge.changed,
    )


def _set_aside(exchange: Exchange, lab: str, path: Path) -> None:
    """Move a recorded file, and its signature if it has one, to `collected/`."""
    folder = exchange.inbox(lab) / COLLECTED
    signature = sidecar_path(path)
    if signature.is_file():
        move_aside(signature, folder)
    move_aside(path, folder)
