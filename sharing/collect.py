"""Collect a lab's inbox: keep each file as received, quarantine bad records, screen what must
never be sent, merge the rest.

A submission is recorded, with its quarantine, screening, merge and audit entries, in one
transaction (a lab's pending files share one); the inbox file moves aside only after that
commits. A crash at any point
leaves either nothing recorded (the file is collected again) or everything recorded (the
file is recognised by its hash and never counted twice).
"""

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from sharing.aggregate import AggregatedSubmission, aggregate_files
from sharing.blobs import commit_blob, move_aside, stage_blob
from sharing.errors import InputError
from sharing.exchange import Exchange
from sharing.inbox_claims import inbox_claims
from sharing.record_sources import reader_for
from sharing.redaction import keep_without_personal_data, redacted_inbox_copy
from sharing.screening import Warninglists
from sharing.store.models import Submission
from sharing.submission_record import (
    ReadSubmission,
    record_submissions,
    refuse_submission,
    screen_aggregates,
)
from sharing.submission_signature import SubmissionRefused, sidecar_path, verify_submission

SUBMISSION_SUFFIXES = (".jsonl", ".ndjson", ".csv", ".json")
BATCH_FILES = 32  # a lab's files read and recorded together, at most
MAX_HELD = 1_000_000  # aggregates and rejected lines held before recording what is read
_COUNTED = ("records", "accepted", "quarantined", "screened")
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
    """Collect every pending submission of one lab, in name order, a batch at a time."""
    exchange.federation.lab(lab)
    lists = warninglists_for(exchange)
    pending = pending_submissions(exchange, lab)
    report = CollectReport(lab)
    for start in range(0, len(pending), BATCH_FILES):
        batch = pending[start : start + BATCH_FILES]
        report = report + collect_files(exchange, lab, batch, now=now, lists=lists)
    return report


def collect_files(
    exchange: Exchange,
    lab: str,
    paths: list[Path],
    *,
    now: datetime,
    lists: Warninglists | None = None,
    workers: int | None = None,
) -> CollectReport:
    """Collect the files among `paths` that no other collector holds, holding each until it
    is set aside (sharing.inbox_claims); the others count as already collected."""
    with inbox_claims(exchange) as claims:
        claimed = [path for path in paths if claims.claim(lab, path)]
        skipped = CollectReport(lab, already_collected=len(paths) - len(claimed))
        if not claimed:
            return skipped
        return skipped + _collect_claimed(
            exchange, lab, claimed, now=now, lists=lists, workers=workers
        )


def _collect_claimed(
    exchange: Exchange,
    lab: str,
    paths: list[Path],
    *,
    now: datetime,
    lists: Warninglists | None = None,
    workers: int | None = None,
) -> CollectReport:
    """Keep each file as received and read and hash it in one pass; then record them all
    in one transaction, and only then move them out of the inbox. `workers`: reading
    processes (default: one per core for large files)."""
    lists = lists or warninglists_for(exchange)
    blobs_dir = exchange.home.blobs_dir
    staged = [stage_blob(blobs_dir, path) for path in paths]
    report, ready, taken, held = CollectReport(lab), [], set(), 0
    try:
        files = [(copy, reader_for(path)) for copy, path in zip(staged, paths, strict=True)]
        for path, copy, parsed in zip(
            paths, staged, aggregate_files(files, workers=workers), strict=False
        ):
            if parsed.sha256 in taken or _is_recorded(exchange, parsed.sha256):
                _set_aside(exchange, lab, path, parsed)
                report = report + CollectReport(lab, already_collected=1)
                continue
            taken.add(parsed.sha256)
            kept, kept_sha = keep_without_personal_data(copy, parsed, blobs_dir)
            blob = commit_blob(blobs_dir, kept, kept_sha)
            ready.append((path, blob, _screened(exchange, lab, path, blob, parsed, lists, now)))
            held += len(parsed.aggregates) + len(parsed.rejected)
            if held > MAX_HELD:  # record what is read so far, so memory stays bounded
                report = report + _record(exchange, lab, ready, now)
                ready, held = [], 0
        report = report + _record(exchange, lab, ready, now)
    finally:
        for copy in staged:
            copy.unlink(missing_ok=True)
    return report


def _is_recorded(exchange: Exchange, sha256: str) -> bool:
    with exchange.session() as session:
        known = session.exec(select(Submission.sha256).where(Submission.sha256 == sha256))
        return known.first() is not None


def _screened(
    exchange: Exchange,
    lab: str,
    path: Path,
    blob: Path,
    parsed: AggregatedSubmission,
    lists: Warninglists,
    now: datetime,
) -> ReadSubmission:
    """Check the submission's signature, then take its warninglisted indicators out."""
    try:
        strict = exchange.federation.strict_submissions
        signer = verify_submission(
            exchange.federation, lab, path, parsed.sha256, strict=strict, now=now
        )
    except SubmissionRefused as refused:
        signer, parsed = None, refuse_submission(parsed, str(refused))
    screened = screen_aggregates(parsed, lists)
    return ReadSubmission(path.name, blob.stat().st_size, parsed, screened, signer)


def _record(
    exchange: Exchange, lab: str, ready: list[tuple[Path, Path, ReadSubmission]], now: datetime
) -> CollectReport:
    """Record the batch at once; if another collector recorded some of the same bytes
    meanwhile, record the files one by one and skip the ones already there."""
    report = CollectReport(lab)
    if not ready:
        return report
    try:
        parts = [record_submissions(exchange, lab, [r for _, _, r in ready], now=now)]
        recorded = ready
    except IntegrityError:
        parts, recorded = [], []
        for item in ready:
            try:
                parts.append(record_submissions(exchange, lab, [item[2]], now=now))
                recorded.append(item)
            except IntegrityError:
                _set_aside(exchange, lab, item[0], item[2].parsed)
                report = report + CollectReport(lab, already_collected=1)
    for counts, merged in parts:
        report = report + CollectReport(
            lab,
            indicators_new=merged.new,
            indicators_changed=merged.changed,
            **{field: sum(getattr(c, field) for c in counts) for field in _COUNTED},
        )
    for path, blob, read in recorded:
        _set_aside(exchange, lab, path, read.parsed, blob if read.parsed.redacted_sha256 else None)
    return report + CollectReport(lab, submissions=len(recorded))


def _set_aside(
    exchange: Exchange,
    lab: str,
    path: Path,
    parsed: AggregatedSubmission,
    redacted: Path | None = None,
) -> None:
    """Move a recorded file, and its signature if it has one, to `collected/`. What is
    kept there holds no raw personal data either: lines that held some are redacted in
    a copy written there first, and only then is the inbox file removed, so a crash in
    between leaves the original bytes, which the next run recognises by their hash."""
    folder = exchange.inbox(lab) / COLLECTED
    signature = sidecar_path(path)
    if signature.is_file():
        move_aside(signature, folder)
    copy = redacted_inbox_copy(path, parsed, folder, redacted)
    if copy is None:
        move_aside(path, folder)
        return
    move_aside(copy, folder, name=path.name)
    path.unlink()
