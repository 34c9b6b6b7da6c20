"""Batched appends: the same leaves as one at a time, consecutive indices even when mixed
with single appends from other threads, all or nothing with the caller's transaction."""

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from sharing.audit.log import EntryDraft, append_entries, append_entry, log_size
from sharing.audit.tables import AuditEntry
from tests.audit.test_log import _checkpoint, _verify

T0 = datetime(2026, 11, 23, 10, tzinfo=UTC)


def _drafts(n: int, start: int = 0) -> list[EntryDraft]:
    return [
        EntryDraft(
            actor="hub",
            action="records-screened",
            time=T0 + timedelta(microseconds=i),
            object_sha256=f"{i:064x}",
            recipients=["openai"] if i % 2 else (),
            details={"lab": "google", "count": i, "lists": {"rfc5737 \u2014 docs": i}},
        )
        for i in range(start, start + n)
    ]


def _leaves(engine: Engine) -> list[bytes]:
    with Session(engine) as session:
        return [bytes(e.leaf) for e in session.exec(select(AuditEntry).order_by(AuditEntry.idx))]


def test_a_batch_stores_what_single_appends_store(engine: Engine, tmp_path) -> None:  # type: ignore[no-untyped-def]
    with Session(engine) as session:
        assert append_entries(session, []) == range(0)
        assert append_entries(session, _drafts(5)) == range(0, 5)
        assert append_entries(session, _drafts(3, start=5)) == range(5, 8)
        assert log_size(session) == 8
        session.commit()
    batched = _leaves(engine)
    from sharing.store.engine import create_schema, make_engine

    other = make_engine(f"sqlite:///{tmp_path / 'singles.db'}")
    create_schema(other)
    with Session(other) as session:
        for d in _drafts(8):
            append_entry(
                session,
                actor=d.actor,
                action=d.action,
                time=d.time,
                object_sha256=d.object_sha256,
                recipients=d.recipients,
                details=d.details,
            )
        session.commit()
    assert _leaves(other) == batched
    other.dispose()
    _checkpoint(engine)
    assert _verify(engine).size == 8


def test_a_batch_shares_the_callers_transaction(engine: Engine) -> None:
    with Session(engine) as session:
        append_entries(session, _drafts(4))
        session.rollback()
    with Session(engine) as session:
        assert log_size(session) == 0


def test_a_bad_draft_refuses_the_whole_batch(engine: Engine) -> None:
    bad = EntryDraft("hub", "x", T0, object_sha256="not a hash")
    with Session(engine) as session:
        with pytest.raises(ValueError, match="object_sha256"):
            append_entries(session, [*_drafts(2), bad])
        with pytest.raises(TypeError):
            append_entries(session, [EntryDraft("hub", "x", T0, recipients="openai")])


def test_batches_and_singles_from_threads_get_consecutive_indices(engine: Engine) -> None:
    errors: list[BaseException] = []

    def batches(n: int) -> None:
        try:
            for k in range(5):
                with Session(engine) as session:
                    append_entries(session, _drafts(7, start=1000 * n + 10 * k))
                    session.commit()
        except BaseException as exc:
            errors.append(exc)

    def singles() -> None:
        try:
            for _ in range(10):
                with Session(engine) as session:
                    append_entry(session, actor="hub", action="single", time=T0)
                    session.commit()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=batches, args=(n,)) for n in range(3)]
    threads.append(threading.Thread(target=singles))
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    _checkpoint(engine)
    assert _verify(engine).size == 3 * 5 * 7 + 10
