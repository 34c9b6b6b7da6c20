"""A few exchange runs on a founded federation, in process: google reports, openai gets
bulletins, each run ends with a checkpoint. Shared by the audit, witness and receipt tests."""

from datetime import datetime, timedelta
from pathlib import Path

from sharing.checkpoints import seal_checkpoint
from sharing.collect import collect_lab
from sharing.delivery import deliver_bulletins
from sharing.exchange import Exchange
from sharing.federation import inbox_path
from sharing.home import Home
from sharing.issuing import issue_bulletin
from tests.conftest import NOW, write_feed

HOUR = timedelta(hours=1)


def run_once(home: Home, n: int, *, lab: str = "openai", checkpoint: bool = True) -> list[Path]:
    """Run `n` (0, 1, ...): one new domain from google, a bulletin to `lab`; the paths of
    the bulletins delivered."""
    now = NOW + n * HOUR
    exchange = Exchange.open(home.root, now=now)
    inbox = inbox_path(home, exchange.federation.participant("google"))
    record = {"type": "domain", "value": f"farm{n}.proxyhydra.net", "seen": "2026-11-20T10:00:00Z"}
    write_feed(inbox / f"run{n}.jsonl", [record])
    collect_lab(exchange, "google", now=now)
    issue_bulletin(exchange, lab, now=now)
    paths = deliver_bulletins(exchange, lab, now=now)
    if checkpoint:
        seal_checkpoint(exchange, now=now)
    return paths


def run_times(home: Home, count: int, *, lab: str = "openai") -> list[Path]:
    """Runs 0..count-1; every bulletin delivered, in order."""
    return [p for n in range(count) for p in run_once(home, n, lab=lab)]


def at(n: int) -> datetime:
    return NOW + n * HOUR
