"""The oversight report: built only from entries the latest checkpoint covers, one
self-contained HTML file, every value from the log escaped."""

from collections import Counter
from datetime import UTC, datetime

import html5lib
import pytest
from sqlmodel import Session

from sharing.audit.log import append_entry
from sharing.audit.report import gather
from sharing.audit.report_chart import indicators_chart
from sharing.audit.report_render import render_report, write_report
from sharing.checkpoints import seal_checkpoint
from sharing.errors import AuditError
from sharing.exchange import Exchange
from tests.audit.runs import at, run_times

HOSTILE = '<script>alert("x")</script>'


def _hostile_entry(exchange: Exchange) -> None:
    with Session(exchange.engine) as session:
        reasons = {HOSTILE: 2, "ipv4: not an address": 1}
        details = {"lab": "google", "count": 3, "reasons": reasons}
        append_entry(
            session, actor="hub", action="records-quarantined", time=at(3), details=details
        )
        session.commit()
    seal_checkpoint(exchange, now=at(3))


def test_the_report_shows_what_the_signed_log_says(hub_home, tmp_path) -> None:  # type: ignore[no-untyped-def]
    run_times(hub_home, 3)
    exchange = Exchange.open(hub_home.root, now=at(3))
    _hostile_entry(exchange)
    with exchange.session() as session:
        facts = gather(session, exchange.federation)
    assert facts.labs["openai"].bulletins == 3 and facts.labs["openai"].indicators == 3
    assert facts.labs["google"].submissions == 3
    assert facts.quarantine_reasons[HOSTILE] == 2
    assert facts.actions["bulletin-issued"] == 3
    assert any(e["action"] == "participant-changed" for e in facts.key_events)
    out = tmp_path / "report.html"
    write_report(exchange, out, now=at(4))
    html = out.read_text("utf-8")
    html5lib.HTMLParser(strict=True).parse(html)
    assert facts.root in html and facts.note.split("\n")[2] in html
    assert "<script" not in html and "&lt;script&gt;" in html
    assert "<svg" in html and "<polyline" in html
    assert "http://" not in html and "https://" not in html and " src=" not in html
    assert "TLP:AMBER" in html


def test_no_report_before_a_checkpoint_or_over_a_rewritten_log(hub_home, tmp_path) -> None:  # type: ignore[no-untyped-def]
    exchange = Exchange.open(hub_home.root, now=at(0))
    with pytest.raises(AuditError, match="no checkpoint yet"):
        write_report(exchange, tmp_path / "r.html", now=at(0))
    run_times(hub_home, 1)
    from tests.audit.test_log import _tamper

    _tamper(exchange.engine, "UPDATE audit_entry SET leaf = :leaf WHERE idx = 0", leaf=b"{}")
    with pytest.raises(AuditError, match="does not match its checkpoint"):
        write_report(exchange, tmp_path / "r.html", now=at(1))
    assert not (tmp_path / "r.html").exists()


def test_the_chart_goes_weekly_over_long_spans_and_is_absent_when_empty() -> None:
    assert indicators_chart({}) is None
    assert indicators_chart({"openai": Counter()}) is None
    daily = indicators_chart({"openai": Counter({"2026-11-01": 5, "2026-11-03": 7})})
    assert daily is not None and daily.step == "day"
    assert daily.buckets == ("2026-11-01", "2026-11-02", "2026-11-03")
    assert daily.series[0].counts == (5, 0, 7)
    weekly = indicators_chart(
        {"a": Counter({"2026-01-01": 1, "2026-06-30": 2}), "b": Counter({"2026-01-02": 4})}
    )
    assert weekly is not None and weekly.step == "week"
    assert weekly.buckets[0] == "2026-W01" and weekly.series[1].counts[0] == 4


def test_rendering_needs_no_store() -> None:
    from sharing.audit.report import LabFacts, ReportFacts

    facts = ReportFacts("f", "o/audit", 0, "00" * 32, "t", "note\n", [], {"x": LabFacts("x")})
    html = render_report(facts, generated=datetime(2026, 1, 1, tzinfo=UTC))
    assert "No bulletin has been issued yet." in html
