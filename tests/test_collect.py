"""Collection: raw bytes kept, bad records quarantined, duplicates merged across labs, no
submission counted twice, and a crash before the commit loses nothing."""

import hashlib
import json

import pytest
from sqlmodel import select

from sharing.audit.tables import AuditEntry
from sharing.blobs import blob_path
from sharing.collect import collect_lab
from sharing.errors import InputError
from sharing.exchange import Exchange
from sharing.federation import inbox_path, load_federation
from sharing.home import Home
from sharing.inbox_claims import inbox_claims
from sharing.store.models import Contribution, Indicator, QuarantinedRecord, Submission
from tests.conftest import NOW, write_feed

PROXY = {
    "type": "ipv4",
    "value": "198.51.100.7",
    "seen": "2026-11-20T10:00:00Z",
    "tlp": "green",
    "confidence": 70,
    "tags": ["proxy-hydra"],
}


def _inbox(home, lab):  # type: ignore[no-untyped-def]
    return inbox_path(home, load_federation(home).participant(lab))


def test_collect_keeps_raw_bytes_and_quarantines_bad_records(hub_home) -> None:  # type: ignore[no-untyped-def]
    feed = write_feed(
        _inbox(hub_home, "openai") / "a.jsonl",
        [
            PROXY,
            {**PROXY, "seen": "2026-11-21T10:00:00Z", "count": 4},
            "{not json",
            {**PROXY, "value": "010.1.2.3"},
        ],
    )
    raw = feed.read_bytes()
    exchange = Exchange.open(hub_home.root, now=NOW)
    report = collect_lab(exchange, "openai", now=NOW)
    assert (report.submissions, report.records, report.quarantined) == (1, 4, 2)
    assert report.indicators_new == 1
    sha = hashlib.sha256(raw).hexdigest()
    assert blob_path(hub_home.blobs_dir, sha).read_bytes() == raw
    assert not feed.exists() and (feed.parent / "collected" / "a.jsonl").exists()
    with exchange.session() as session:
        quarantined = session.exec(select(QuarantinedRecord).order_by(QuarantinedRecord.line)).all()
        assert [q.line for q in quarantined] == [3, 4]
        assert quarantined[0].raw == "{not json"
        assert "leading zero" in quarantined[1].reason
        indicator = session.exec(select(Indicator)).one()
        assert (indicator.sightings, indicator.labs) == (5, 1)


def test_same_indicator_from_three_labs_is_one_indicator_with_three_contributions(hub_home) -> None:  # type: ignore[no-untyped-def]
    spellings = {
        "anthropic": "2001:DB8:0:0:0:0:0:1",
        "openai": "2001:db8::1",
        "google": "2001:0db8::0001",
    }
    for lab, value in spellings.items():
        write_feed(
            _inbox(hub_home, lab) / "f.jsonl",
            [{**PROXY, "type": "ipv6", "value": value, "confidence": len(lab)}],
        )
    exchange = Exchange.open(hub_home.root, now=NOW)
    for lab in spellings:
        collect_lab(exchange, lab, now=NOW)
    with exchange.session() as session:
        indicator = session.exec(select(Indicator)).one()
        assert (indicator.value, indicator.labs, indicator.confidence) == ("2001:db8::1", 3, 9)
        labs = session.exec(select(Contribution.lab)).all()
        assert sorted(labs) == ["anthropic", "google", "openai"]


def test_a_submission_is_never_collected_twice(hub_home) -> None:  # type: ignore[no-untyped-def]
    inbox = _inbox(hub_home, "google")
    write_feed(inbox / "a.jsonl", [PROXY])
    exchange = Exchange.open(hub_home.root, now=NOW)
    collect_lab(exchange, "google", now=NOW)
    write_feed(inbox / "copy.jsonl", [PROXY])  # the same bytes again, under another name
    again = collect_lab(exchange, "google", now=NOW)
    assert (again.submissions, again.already_collected) == (0, 1)
    with exchange.session() as session:
        assert len(session.exec(select(Submission)).all()) == 1
        assert session.exec(select(Indicator)).one().sightings == 1


def test_crash_before_commit_then_rerun_counts_once(hub_home, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import sharing.submission_record as collect_module

    write_feed(_inbox(hub_home, "openai") / "a.jsonl", [PROXY, {**PROXY, "value": "203.0.113.9"}])
    exchange = Exchange.open(hub_home.root, now=NOW)

    def crash(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("power cut")

    merge = collect_module.merge_aggregates
    monkeypatch.setattr(collect_module, "merge_aggregates", crash)
    with pytest.raises(RuntimeError):
        collect_lab(exchange, "openai", now=NOW)
    monkeypatch.setattr(collect_module, "merge_aggregates", merge)
    with exchange.session() as session:
        assert session.exec(select(Submission)).all() == []
    report = collect_lab(exchange, "openai", now=NOW)
    assert (report.submissions, report.indicators_new) == (1, 2)


def test_an_inbox_that_is_not_a_folder_is_a_clear_error(home) -> None:  # type: ignore[no-untyped-def]
    inbox = _inbox(home, "openai")
    inbox.rmdir()
    inbox.write_text("oops")
    with pytest.raises(InputError, match="inbox of 'openai'"):
        collect_lab(Exchange.open(home.root, now=NOW), "openai", now=NOW)


def test_hidden_and_temporary_files_are_not_collected(home) -> None:  # type: ignore[no-untyped-def]
    inbox = _inbox(home, "openai")
    write_feed(inbox / ".partial.jsonl", [PROXY])
    write_feed(inbox / "x.jsonl.tmp", [PROXY])
    report = collect_lab(Exchange.open(home.root, now=NOW), "openai", now=NOW)
    assert report.submissions == 0
    assert json.loads((inbox / ".partial.jsonl").read_text())["value"] == PROXY["value"]


def test_csv_and_stix_submissions_are_collected_like_json_lines(hub_home) -> None:  # type: ignore[no-untyped-def]
    inbox = _inbox(hub_home, "anthropic")
    (inbox / "a.csv").write_text(
        "type,value,seen,tlp,confidence,tags\n"
        "ipv4,198.51.100.7,2026-11-20T10:00:00Z,green,70,proxy-hydra\n"
        "ipv4,010.1.2.3,2026-11-20T10:00:00Z,green,70,proxy-hydra\n",
        "utf-8",
    )
    bundle = {
        "type": "bundle",
        "id": "bundle--6f8f2bd4-3a14-4c43-8c5a-6c3d3cfa8a1b",
        "objects": [
            {
                "type": "indicator",
                "spec_version": "2.1",
                "id": "indicator--9d3c5b59-4ad4-4f7f-9c55-7c1f0a6b1b11",
                "created": "2026-11-20T10:00:00.000Z",
                "modified": "2026-11-20T10:00:00.000Z",
                "pattern": "[domain-name:value = 'relay.example.net']",
                "pattern_type": "stix",
                "valid_from": "2026-11-20T10:00:00Z",
            }
        ],
    }
    (inbox / "b.json").write_text(json.dumps(bundle), "utf-8")
    report = collect_lab(Exchange.open(hub_home.root, now=NOW), "anthropic", now=NOW)
    assert (report.submissions, report.records, report.quarantined) == (2, 3, 1)
    assert report.indicators_new == 2


def test_a_json_file_that_is_no_bundle_is_recorded_and_quarantined(home) -> None:  # type: ignore[no-untyped-def]
    inbox = _inbox(home, "openai")
    (inbox / "notes.json").write_text("just some words", "utf-8")
    exchange = Exchange.open(home.root, now=NOW)
    report = collect_lab(exchange, "openai", now=NOW)
    assert (report.submissions, report.records, report.quarantined) == (1, 1, 1)
    with exchange.session() as session:
        (reason,) = session.exec(select(QuarantinedRecord.reason)).all()
    assert "not a JSON document" in reason


def _strict(home) -> None:  # type: ignore[no-untyped-def]
    text = home.federation_file.read_text()
    if "strict_submissions" in text:
        text = text.replace("strict_submissions = false", "strict_submissions = true")
    else:
        text = text.replace("[federation]\n", "[federation]\nstrict_submissions = true\n", 1)
    home.federation_file.write_text(text)


def test_strict_mode_records_a_signed_submission_with_its_signer(hub_home) -> None:  # type: ignore[no-untyped-def]
    from sharing.keyring import load_private_keys
    from sharing.submission_signature import sign_submission

    _strict(hub_home)
    feed = write_feed(_inbox(hub_home, "openai") / "a.jsonl", [PROXY])
    keys = load_private_keys(hub_home, "openai")
    sign_submission(keys, "openai", feed)
    exchange = Exchange.open(hub_home.root, now=NOW)
    report = collect_lab(exchange, "openai", now=NOW)
    assert (report.accepted, report.quarantined) == (1, 0)
    with exchange.session() as session:
        assert session.exec(select(Submission)).one().signer == keys.public().sign_kid
    assert (feed.parent / "collected" / "a.jsonl.sig").exists()


@pytest.mark.parametrize("how", ["unsigned", "signed by another lab", "changed after signing"])
def test_strict_mode_quarantines_a_submission_whose_signature_does_not_hold(
    hub_home, how: str
) -> None:  # type: ignore[no-untyped-def]
    from sharing.keyring import load_private_keys
    from sharing.submission_signature import sign_submission

    _strict(hub_home)
    feed = write_feed(_inbox(hub_home, "openai") / "a.jsonl", [PROXY, {**PROXY, "count": 2}])
    if how != "unsigned":
        signer = "google" if how == "signed by another lab" else "openai"
        sign_submission(load_private_keys(hub_home, signer), "openai", feed)
    if how == "changed after signing":
        feed.write_bytes(feed.read_bytes().replace(b"198.51.100.7", b"198.51.100.8"))
    exchange = Exchange.open(hub_home.root, now=NOW)
    report = collect_lab(exchange, "openai", now=NOW)
    assert (report.submissions, report.records, report.accepted, report.quarantined) == (1, 2, 0, 2)
    with exchange.session() as session:
        assert session.exec(select(Indicator)).all() == []
        (reason,) = session.exec(select(QuarantinedRecord.reason)).all()
        assert session.exec(select(Submission)).one().signer is None
    assert reason.startswith("submission refused: submission a.jsonl from 'openai'")


def _store_state(exchange: Exchange) -> tuple[list, list]:  # type: ignore[type-arg]
    view = ("type", "value", "tlp", "confidence", "first_seen", "last_seen", "tags", "campaign")
    with exchange.session() as session:
        indicators = sorted(
            (*(getattr(i, k) for k in view), i.labs, i.sightings)
            for i in session.exec(select(Indicator))
        )
        contributions = sorted(
            (c.lab, c.sightings, c.tlp, c.tags, c.campaign, c.audience, c.confidence)
            for c in session.exec(select(Contribution))
        )
    return indicators, contributions


_LATER_FILES = [
    [PROXY, {**PROXY, "value": "203.0.113.9", "tlp": "red", "audience": ["google"]}],
    [
        {**PROXY, "campaign": "crimson-relay", "tags": ["residential"], "confidence": 90},
        {**PROXY, "value": "203.0.113.9", "tlp": "red", "audience": ["google", "anthropic"]},
    ],
    [{**PROXY, "campaign": "other", "seen": "2026-11-22T10:00:00Z", "count": 3}],
]


def test_a_batch_of_files_merges_as_if_collected_one_by_one(tmp_path, home) -> None:  # type: ignore[no-untyped-def]
    import shutil

    other = Home(tmp_path / "other-home")
    shutil.copytree(home.root, other.root)
    batched = Exchange.open(home.root, now=NOW)
    for n, records in enumerate(_LATER_FILES):
        write_feed(_inbox(home, "openai") / f"{n}.jsonl", records)
    report = collect_lab(batched, "openai", now=NOW)
    assert (report.submissions, report.records, report.indicators_new) == (3, 5, 2)

    one_by_one = Exchange.open(other.root, now=NOW)
    inbox = inbox_path(other, load_federation(other).participant("openai"))
    for n, records in enumerate(_LATER_FILES):
        write_feed(inbox / f"{n}.jsonl", records)
        collect_lab(one_by_one, "openai", now=NOW)
    assert _store_state(batched) == _store_state(one_by_one)
    indicators, contributions = _store_state(batched)
    assert [i[7] for i in indicators] == ["crimson-relay", None]  # the earliest campaign named
    assert contributions[0][5] == '["google"]'  # RED audiences narrow across files
    with batched.session() as session:
        merged = [e for e in session.exec(select(AuditEntry)) if e.action == "indicators-merged"]
        received = session.exec(select(Submission.sha256).order_by(Submission.filename)).all()
    assert len(merged) == 1
    assert json.loads(merged[0].details)["submissions"] == list(received)


def test_the_same_bytes_twice_in_one_batch_are_recorded_once(hub_home) -> None:  # type: ignore[no-untyped-def]
    inbox = _inbox(hub_home, "google")
    write_feed(inbox / "a.jsonl", [PROXY])
    write_feed(inbox / "b.jsonl", [PROXY])
    exchange = Exchange.open(hub_home.root, now=NOW)
    report = collect_lab(exchange, "google", now=NOW)
    assert (report.submissions, report.already_collected, report.records) == (1, 1, 1)
    assert sorted(p.name for p in (inbox / "collected").iterdir()) == ["a.jsonl", "b.jsonl"]
    with exchange.session() as session:
        assert session.exec(select(Indicator)).one().sightings == 1


def test_a_batch_racing_another_collector_records_the_rest_one_by_one(
    hub_home, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    import sharing.collect as collect_module

    inbox = _inbox(hub_home, "openai")
    write_feed(inbox / "a.jsonl", [PROXY])
    write_feed(inbox / "b.jsonl", [{**PROXY, "value": "203.0.113.9"}])
    exchange = Exchange.open(hub_home.root, now=NOW)
    real = collect_module.record_submissions
    raced: list[str] = []

    def racing(exchange_, lab, batch, *, now):  # type: ignore[no-untyped-def]
        if not raced:  # another collector records a.jsonl just before this batch commits
            raced.append(batch[0].filename)
            real(exchange_, lab, batch[:1], now=now)
        return real(exchange_, lab, batch, now=now)

    monkeypatch.setattr(collect_module, "record_submissions", racing)
    report = collect_lab(exchange, "openai", now=NOW)
    assert (report.submissions, report.already_collected) == (1, 1)
    assert not any(p.suffix == ".jsonl" for p in inbox.iterdir())
    with exchange.session() as session:
        assert len(session.exec(select(Submission)).all()) == 2
        assert sorted(i.sightings for i in session.exec(select(Indicator))) == [1, 1]


def test_a_batch_holding_too_much_is_recorded_in_parts(hub_home, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import sharing.collect as collect_module

    monkeypatch.setattr(collect_module, "MAX_HELD", 2)
    inbox = _inbox(hub_home, "openai")
    for n in range(3):
        write_feed(inbox / f"{n}.jsonl", [{**PROXY, "value": f"203.0.113.{n}"}, "{bad", PROXY])
    exchange = Exchange.open(hub_home.root, now=NOW)
    report = collect_lab(exchange, "openai", now=NOW)
    assert (report.submissions, report.records, report.quarantined) == (3, 9, 3)
    assert (report.indicators_new, report.indicators_changed) == (4, 0)
    with exchange.session() as session:
        merges = [e for e in session.exec(select(AuditEntry)) if e.action == "indicators-merged"]
        assert len(merges) == 3
        assert (
            session.exec(select(Indicator).where(Indicator.value == PROXY["value"])).one().sightings
            == 3
        )


def test_a_file_another_collector_holds_is_left_to_it(hub_home) -> None:  # type: ignore[no-untyped-def]
    feed = write_feed(_inbox(hub_home, "openai") / "held.jsonl", [PROXY])
    exchange = Exchange.open(hub_home.root, now=NOW)
    with inbox_claims(exchange) as other_run:
        assert other_run.claim("openai", feed)
        report = collect_lab(exchange, "openai", now=NOW)
        assert (report.submissions, report.already_collected) == (0, 1)
        assert feed.is_file()
    assert collect_lab(exchange, "openai", now=NOW).submissions == 1
    assert not feed.exists()


def test_a_line_holding_nul_bytes_is_quarantined_on_every_database(hub_home) -> None:  # type: ignore[no-untyped-def]
    inbox = _inbox(hub_home, "openai")
    good = json.dumps(PROXY).encode()
    (inbox / "n.jsonl").write_bytes(good + b'\n{"type":"ipv4\x00","value":"x"}\n\x00\x00\n')
    exchange = Exchange.open(hub_home.root, now=NOW)
    report = collect_lab(exchange, "openai", now=NOW)
    assert (report.submissions, report.accepted, report.quarantined) == (1, 1, 2)
    with exchange.session() as session:
        rows = session.exec(select(QuarantinedRecord).order_by(QuarantinedRecord.line)).all()
    assert [r.raw for r in rows] == ['{"type":"ipv4\ufffd","value":"x"}', "\ufffd\ufffd"]
    assert all("\x00" not in r.reason for r in rows)
