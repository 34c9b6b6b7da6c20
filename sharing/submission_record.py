"""Record a read submission: the submission row, its quarantine, its screened indicators,
the merge, and their audit entries, in one transaction.

Every record is accounted for: accepted + quarantined + screened = records submitted.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import insert
from sqlmodel import Session

from sharing.aggregate import AggregatedSubmission, Rejected, SightingAggregate
from sharing.audit.log import append_entry
from sharing.exchange import Exchange
from sharing.merge import MergeCounts, merge_aggregates
from sharing.screening import Warninglists
from sharing.store.models import QuarantinedRecord, ScreenedIndicator, Submission

_RAW_LIMIT = 64 * 1024


@dataclass(frozen=True)
class Screened:
    """An indicator on a warninglist: kept and reported, never merged or sent."""

    type: str
    value: str
    warninglist: str
    aggregate: SightingAggregate


@dataclass(frozen=True)
class SubmissionCounts:
    records: int
    accepted: int
    quarantined: int
    screened: int
    merge: MergeCounts


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


def record_submission(
    exchange: Exchange,
    lab: str,
    file: tuple[str, int],
    parsed: AggregatedSubmission,
    screened: list[Screened],
    *,
    signer: str | None,
    now: datetime,
) -> SubmissionCounts:
    """Store everything derived from one submission and commit; IntegrityError when the
    same bytes were recorded meanwhile by another collector."""
    filename, size = file
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

    with exchange.session() as session:
        session.add(
            Submission(
                sha256=sha,
                lab=lab,
                filename=filename,
                size=size,
                received=now,
                records=parsed.records,
                accepted=accepted,
                quarantined=quarantined,
                screened=screened_records,
                signer=signer,
            )
        )
        session.flush()
        log(
            "submission-received",
            file=filename,
            size=size,
            records=parsed.records,
            accepted=accepted,
            quarantined=quarantined,
            screened=screened_records,
            signer=signer,
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
        merged = merge_aggregates(session, lab, parsed.aggregates)
        log(
            "indicators-merged",
            distinct=len(parsed.aggregates),
            new=merged.new,
            changed=merged.changed,
            unchanged=merged.unchanged,
        )
        session.commit()
    return SubmissionCounts(parsed.records, accepted, quarantined, screened_records, merged)


def _store_quarantine(session: Session, sha: str, parsed: AggregatedSubmission) -> None:
    rows = [
        {
            "submission_sha256": sha,
            "line": r.line,
            "reason": r.reason,
            "raw": r.raw[:_RAW_LIMIT].decode("utf-8", "replace"),
        }
        for r in parsed.rejected
    ]
    session.connection().execute(insert(QuarantinedRecord.__table__), rows)


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
    session.connection().execute(insert(ScreenedIndicator.__table__), rows)
