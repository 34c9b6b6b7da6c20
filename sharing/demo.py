"""`dtix demo`: a whole exchange on embedded defaults, from an empty folder to a verified audit.

The flow runner is passed in by the CLI, so this module stays free of Prefect.
"""

import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from sharing.checkpoints import verify_audit
from sharing.clock import utcnow
from sharing.errors import FederationError
from sharing.exchange import Exchange
from sharing.export_selection import select_for_export
from sharing.federation import inbox_path, load_federation
from sharing.founding import found_federation
from sharing.home import Home
from sharing.receiver import receive_bulletin
from sharing.stix_export import to_bundle
from sharing.synth import SynthReport, synthesize

DEMO_MARKER = ".dtix-demo"


def synthesize_feeds(home: Home, *, scale: float, seed: int, now: datetime) -> SynthReport:
    """Synthetic campaign feeds into every lab's inbox of the federation in `home`."""
    federation = load_federation(home)
    inboxes = {lab.id: inbox_path(home, lab) for lab in federation.labs}
    return synthesize(inboxes, scale=scale, seed=seed, now=now)


@dataclass(frozen=True)
class OpenedByLab:
    lab: str
    bulletin: Path
    indicators: int
    saved_to: Path


def run_demo(
    home: Home, *, scale: float, reset: bool, run_flow: Callable[[Home], Any], console: Console
) -> None:
    """init, synth, one run of the exchange flow, open the newest bulletin per lab, verify."""
    _prepare(home, reset)
    now = utcnow()
    found_federation(home, now=now, name="dtix-demo")
    (home.root / DEMO_MARKER).write_text("created by dtix demo; `dtix demo --reset` replaces it\n")
    console.rule("synthetic feeds")
    synth = synthesize_feeds(home, scale=scale, seed=7, now=now)
    console.print(
        f"{synth.total_records:,} sighting records for {synth.accounts:,} accounts "
        f"in {len(synth.files)} lab inboxes"
    )
    console.rule("exchange flow (Prefect)")
    summary = run_flow(home)
    console.rule("labs open their bulletins")
    opened = [_open_newest(home, lab.id) for lab in load_federation(home).labs]
    for item in opened:
        console.print(
            f"{item.lab}: opened {item.bulletin.name}, {item.indicators} indicators "
            f"-> {item.saved_to}"
        )
    console.rule("audit")
    report = verify_audit(Exchange.open(home.root, now=utcnow()))
    console.print(f"audit log verified: {report.size} entries, {report.checkpoints} checkpoints")
    console.print(_summary_table(summary, opened))
    console.print(
        f"\nresults are in {home.root.resolve()}:\n"
        f"  bulletins   {home.root / 'outbox'}/<lab>/\n"
        f"  opened      {home.root / 'received'}/<lab>/ (each accepted bulletin)\n"
        f"  exports     {home.root / 'exports'}/<lab>/ (JSON Lines, a STIX 2.1 bundle)\n"
        f"  advisories  {home.advisories_dir}/\n"
        f"  checkpoint  {home.audit_dir / 'checkpoint.txt'}\n"
        f"  store       {home.database_url}"
    )


def _prepare(home: Home, reset: bool) -> None:
    if not home.root.exists() or not any(home.root.iterdir()):
        return
    if not reset:
        raise FederationError(f"{home.root} is not empty; pass --reset to replace an earlier demo")
    if not (home.root / DEMO_MARKER).exists():
        raise FederationError(f"refusing to replace {home.root}: it was not created by dtix demo")
    shutil.rmtree(home.root)


def _open_newest(home: Home, lab: str) -> OpenedByLab:
    """Open every bulletin in the lab's outbox in order, as the lab would, and keep the last."""
    bulletins = sorted((home.root / "outbox" / lab).glob("*.dtix.json"))
    if not bulletins:
        raise FederationError(f"no bulletin was delivered to {lab}")
    received = None
    for path in bulletins:
        received = receive_bulletin(home, lab, path.read_bytes(), now=utcnow())
    assert received is not None
    folder = home.root / "exports" / lab
    folder.mkdir(parents=True, exist_ok=True)
    lines = "".join(json.dumps(i, sort_keys=True) + "\n" for i in received.indicators)
    (folder / f"{bulletins[-1].name.removesuffix('.dtix.json')}.jsonl").write_text(lines)
    view = select_for_export(home, lab, now=utcnow())
    bundle = to_bundle(view.stix_header(), view.indicators, federation=view.federation)
    (folder / "view.stix.json").write_text(bundle)
    return OpenedByLab(lab, bulletins[-1], len(received.indicators), folder)


def _summary_table(summary: Any, opened: list[OpenedByLab]) -> Table:
    table = Table(title="dtix demo: counts per stage")
    for column in ("lab", "records", "quarantined", "new indicators", "bulletin", "opened"):
        table.add_column(column, justify="right" if column != "lab" else "left")
    issued = {b.lab: b.issued for b in summary.bulletins}
    seen = {o.lab: o.indicators for o in opened}
    for report in summary.collected:
        bulletin = issued.get(report.lab)
        table.add_row(
            report.lab,
            f"{report.records:,}",
            f"{report.quarantined:,}",
            f"{report.indicators_new:,}",
            f"seq {bulletin.seq}, {bulletin.indicators}" if bulletin else "none",
            str(seen.get(report.lab, 0)),
        )
    return table
