"""Record read submissions: each one's row, quarantine, screened indicators and audit
entries, and the merge of them all, in one transaction.

Every record is accounted for: accepted + quarantined + screened = records submitted.
"""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from sqlmodel import Session

from sharing.aggregate import AggregatedSubmission, Rejected, SightingAggregate
from sharing.audit.log import append_entry, hold_append_lock
from sharing.exchange import Exchange
from sharing.merge import MergeCounts, merge_aggregates
from sharing.screening import Warninglists
from sharing.store.bulk_insert import insert_rows
from sharing.store.models import QuarantinedRecord, ScreenedIndicator, Submission

_RAW_LIMIT = 64 * 1024
Key = tuple[str, str]


@dataclass(frozen=True)
class Screened:
    """An indicator on a warninglist: kept and reported, never merged or sent."""

    type: str
    value: str
    warninglist: str
    aggregate: SightingAggregate


@dataclass(frozen=True)
class ReadSubmission:
    """A submission read and screened, ready to be recorded."""

    filename: str
    size: int
    parsed: AggregatedSubmission
    screened: list[Screened]
    signer: str | None


@dataclass(frozen=True)
class SubmissionCounts:
    records: int
    accepted: int
    quarantined: int
    screened: int


def refuse_submission(parsed: AggregatedSubmission, reason: str) -> AggregatedSubmission:
    """A submission whose signature does not hold: every record quarantined under one reason
    (stored once, at line 0), nothing merged; the raw file stays in the blob store."""
    refused = AggregatedSubmission(sha256=parsed.sha256, records=parsed.records)
    refused.rejected = [Rejected(0, f"submission refused: {reason}", b"")]
    refused.refused = True
    refused.redacted_sha256 = parsed.redacted_sha256
    return refused


def screen_aggregates(parsed: AggregatedSubmission, lists: Warninglists) -> list[Screened]:
    """Take the aggregates that are on a warninglist out of `parsed`."""
    screened = []
    for (type_, value), aggregate in list(parsed.aggregates.items()):
        name = lists.match(type_, value)
        if name is not None:
            screened.append(Screened(type_, value, name, aggregate))
            del parsed.aggregates[(type_, value)]
    return screened


def record_submissions(
    exchange: Exchange, lab: str, batch: Sequence[ReadSubmission], *, now: datetime
) -> tuple[list[SubmissionCounts], MergeCounts]:
    """Store everything derived from a lab's submissions and commit once: each one's row,
    quarantine, screening and audit entries, then one merge of them all, in order (a
    lab's files of one collection meet the store once, not once per file). IntegrityError
    when some of the same bytes were recorded meanwhile by another collector."""
    with exchange.session() as session:
        # Before any row is read or written: merges then run one at a time, so that no two
        # read and rewrite one indicator at once (merge_aggregates relies on it).
        hold_append_lock(session)
        counts = [_record_one(session, exchange, lab, read, now) for read in batch]
        merged = merge_aggregates(session, lab, _in_order([r.parsed for r in batch]))
        shas = [read.parsed.sha256 for read in batch]
        append_entry(
            session,
            actor=exchange.federation.hub.id,
            action="indicators-merged",
            time=now,
            object_sha256=shas[-1],
            details={
                "lab": lab,
                **({"submissions": shas} if len(shas) > 1 else {}),
                "distinct": merged.new + merged.changed + merged.unchanged,
                "new": merged.new,
                "changed": merged.changed,
                "unchanged": merged.unchanged,
            },
        )
        session.commit()
    return counts, merged


def _record_one(
    session: Session, exchange: Exchange, lab: str, read: ReadSubmission, now: datetime
) -> SubmissionCounts:
    parsed, screened = read.parsed, read.screened
    hub, sha = exchange.federation.hub.id, parsed.sha256
    quarantined = parsed.records if parsed.refused else len(parsed.rejected)
    screened_records = sum(s.aggregate.records for s in screened)
    accepted = parsed.records - quarantined - screened_records

    def log(action: str, **details: object) -> None:
        append_entry(
            session,
            actor=hub,
            action=action,
            time=now,
            object_sha256=sha,
            details={"lab": lab, **details},
        )

    session.add(
        Submission(
            sha256=sha,
            lab=lab,
            filename=read.filename,
            size=read.size,
            received=now,
            records=parsed.records,
            accepted=accepted,
            quarantined=quarantined,
            screened=screened_records,
            signer=read.signer,
        )
    )
    session.flush()
    log(
        "submission-received",
        file=read.filename,
        size=read.size,
        records=parsed.records,
        accepted=accepted,
        quarantined=quarantined,
        screened=screened_records,
        signer=read.signer,
    )
    if parsed.redacted_sha256:
        personal = sum(r.personal for r in parsed.rejected)
        log("submission-redacted", kept_sha256=parsed.redacted_sha256, records=personal)
    if parsed.refused:
        _store_quarantine(session, sha, parsed)
        log("submission-refused", reason=parsed.rejected[0].reason, records=parsed.records)
    elif parsed.rejected:
        _store_quarantine(session, sha, parsed)
        reasons = Counter(r.reason.split(":")[0] for r in parsed.rejected)
        log("records-quarantined", count=quarantined, reasons=dict(reasons.most_common(20)))
    if screened:
        _store_screened(session, sha, screened)
        lists: Counter[str] = Counter()
        for s in screened:
            lists[s.warninglist] += s.aggregate.records
        log("records-screened", count=screened_records, lists=dict(sorted(lists.items())))
    return SubmissionCounts(parsed.records, accepted, quarantined, screened_records)


def _in_order(submissions: Sequence[AggregatedSubmission]) -> dict[Key, SightingAggregate]:
    """The submissions' aggregates folded per indicator as if merged one after the other:
    an earlier submission's campaign stays. The submissions' own aggregates are not changed."""
    if len(submissions) == 1:
        return submissions[0].aggregates
    folded: dict[Key, SightingAggregate] = {}
    copied: set[Key] = set()
    for parsed in submissions:
        for key, aggregate in parsed.aggregates.items():
            have = folded.get(key)
            if have is None:
                folded[key] = aggregate
                continue
            if key not in copied:
                have = folded[key] = replace(have, tags=set(have.tags))
                copied.add(key)
            have.then(aggregate)
    return folded


def _store_quarantine(session: Session, sha: str, parsed: AggregatedSubmission) -> None:
    rows = [
        {
            "submission_sha256": sha,
            "line": r.line,
            "reason": _storable(r.reason),
            "raw": _storable(r.raw[:_RAW_LIMIT].decode("utf-8", "replace")),
        }
        for r in parsed.rejected
    ]
    insert_rows(session.connection(), QuarantinedRecord.__table__, rows)


def _storable(text: str) -> str:
    """`text` without NUL characters, which PostgreSQL's text columns refuse; they become
    U+FFFD, as undecodable bytes do (the blob keeps the line exactly as received)."""
    return text.replace("\x00", "\ufffd")


def _store_screened(session: Session, sha: str, screened: list[Screened]) -> None:
    rows = [
        {
            "submission_sha256": sha,
            "type": s.type,
            "value": s.value,
            "warninglist": s.warninglist,
            "records": s.aggregate.records,
            "sightings": s.aggregate.sightings,
        }
        for s in screened
    ]
    insert_rows(session.connection(), ScreenedIndicator.__table__, rows)
