"""The `dtix` command. An entrypoint: it validates what a person typed, calls into
`sharing` (or runs a flow), and turns every dtix error into one line and a non-zero exit."""

import csv
import functools
import io
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.markup import escape

from sharing.clock import utcnow
from sharing.errors import DtixError
from sharing.founding import DEFAULT_LABS as FOUNDING_LABS
from sharing.home import Home, resolve_home

app = typer.Typer(
    help="dtix: the Distillation Threat Intelligence eXchange.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
audit_app = typer.Typer(help="Inspect and verify the audit log.", no_args_is_help=True)
app.add_typer(audit_app, name="audit")
err = Console(stderr=True, soft_wrap=True)
out = Console(soft_wrap=True)

HomeOption = Annotated[
    Path | None,
    typer.Option(
        "--home", help="Federation folder (default: $DTIX_HOME, else ./.dtix).", show_default=False
    ),
]
F = TypeVar("F", bound=Callable[..., Any])


def reports_errors(command: F) -> F:
    """Print a user-caused error as one line, without a traceback, and exit 1."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except DtixError as exc:
            err.print(f"[bold red]dtix: error:[/] {escape(str(exc))}", highlight=False)
            raise typer.Exit(1) from None
        except OSError as exc:
            err.print(
                f"[bold red]dtix: error:[/] {exc.strerror or exc}: {exc.filename or ''}",
                highlight=False,
            )
            raise typer.Exit(1) from None

    return wrapper  # type: ignore[return-value]


def _home(home: Path | None) -> Home:
    return Home(resolve_home(home))


@app.command()
@reports_errors
def init(
    home: HomeOption = None,
    labs: Annotated[str, typer.Option(help="Comma-separated lab ids.")] = ",".join(FOUNDING_LABS),
) -> None:
    """Create a federation: a hub and labs, their keys, and federation.toml."""
    from sharing.founding import found_federation

    where = _home(home)
    founded = found_federation(where, labs=_split(labs), now=utcnow())
    out.print(f"federation created in {where.root}")
    for p in founded.federation.participants.values():
        out.print(f"  {p.role:4} {p.id:12} sign {p.active_key('sign').kid}")
    if founded.passphrase_file:
        out.print(f"private keys are encrypted under the passphrase in {founded.passphrase_file}")


@app.command()
@reports_errors
def synth(
    scale: Annotated[float, typer.Option(help="1 = the reported campaign (~16M records).")],
    home: HomeOption = None,
    seed: Annotated[int, typer.Option()] = 7,
) -> None:
    """Write deterministic synthetic campaign feeds into each lab's inbox."""
    from sharing.demo import synthesize_feeds

    report = synthesize_feeds(_home(home), scale=scale, seed=seed, now=utcnow())
    out.print(
        f"wrote {report.total_records:,} records for {report.accounts:,} accounts "
        f"into {len(report.files)} lab inboxes"
    )


@app.command()
@reports_errors
def collect(home: HomeOption = None) -> None:
    """Collect, validate, normalize and merge every lab's new submissions, in process."""
    from sharing.collect import collect_lab
    from sharing.exchange import Exchange

    now = utcnow()
    exchange = Exchange.open(_home(home).root, now=now)
    for lab in exchange.federation.labs:
        r = collect_lab(exchange, lab.id, now=now)
        out.print(
            f"{lab.id}: {r.submissions} submissions "
            f"({r.already_collected} already collected), "
            f"{r.records:,} records, {r.quarantined:,} quarantined, "
            f"{r.indicators_new:,} new and {r.indicators_changed:,} changed indicators"
        )


@app.command()
@reports_errors
def run(home: HomeOption = None) -> None:
    """Run the whole exchange flow once, through Prefect."""
    from sharing.run_summary import RunSummary

    summary: RunSummary = _run_flow(_home(home))
    out.print(summary.describe())
    for lab, reason in {**summary.failed, **summary.failed_bulletins}.items():
        err.print(f"dtix: {lab}: {escape(reason)}", highlight=False)
    if summary.failed or summary.failed_bulletins:
        raise typer.Exit(1)


def _run_flow(home: Home) -> Any:
    from sharing.federation import load_federation

    load_federation(home)  # fail fast, before Prefect starts
    # A one-shot run's temporary Prefect server has no use for usage reports.
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    from flows.exchange import exchange

    return exchange(home=str(home.root.resolve()))


@app.command()
@reports_errors
def serve(home: HomeOption = None) -> None:
    """Serve the scheduled deployments (hourly exchange, daily advisories). Needs a Prefect
    server: start one with `prefect server start` and set PREFECT_API_URL."""
    from flows.serving import serve_deployments
    from sharing.federation import load_federation

    where = _home(home)
    load_federation(where)
    serve_deployments(str(where.root.resolve()))


@app.command("open")
@reports_errors
def open_(
    bulletin: Annotated[Path, typer.Argument(help="A dtix-bulletin/1 file.")],
    as_: Annotated[str, typer.Option("--as", help="The lab opening it.")],
    home: HomeOption = None,
    format: Annotated[str, typer.Option(help="jsonl or csv")] = "jsonl",
) -> None:
    """Verify, replay-check and decrypt a bulletin, then print its indicators."""
    from sharing.receiver import receive_bulletin

    if format not in ("jsonl", "csv"):
        raise typer.BadParameter("--format must be jsonl or csv")
    data = bulletin.read_bytes()
    received = receive_bulletin(_home(home), as_, data, now=utcnow())
    h = received.header
    err.print(
        f"bulletin {h['id']}: stream {h['stream']} seq {h['seq']}, "
        f"{len(received.indicators)} indicators, TLP:{received.body['tlp'].upper()}"
    )
    sys.stdout.write(format_indicators(received.indicators, format))


def format_indicators(indicators: list[dict[str, Any]], fmt: str) -> str:
    if fmt == "jsonl":
        return "".join(json.dumps(i, sort_keys=True) + "\n" for i in indicators)
    buffer = io.StringIO()
    columns = [
        "type",
        "value",
        "tlp",
        "confidence",
        "labs",
        "corroborated",
        "first_seen",
        "last_seen",
        "valid_until",
        "campaign",
        "tags",
    ]
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for indicator in indicators:
        writer.writerow({**indicator, "tags": ";".join(indicator["tags"])})
    return buffer.getvalue()


@audit_app.command("verify")
@reports_errors
def audit_verify(home: HomeOption = None) -> None:
    """Recompute the Merkle tree and check every signed checkpoint."""
    from sharing.checkpoints import verify_audit
    from sharing.exchange import Exchange

    report = verify_audit(Exchange.open(_home(home).root, now=utcnow()))
    out.print(
        f"audit log verified: {report.size} entries, root {report.root}, "
        f"{report.checkpoints} checkpoints"
    )


@audit_app.command("checkpoint")
@reports_errors
def audit_checkpoint(home: HomeOption = None) -> None:
    """Print the latest signed checkpoint."""
    from sharing.audit.log import latest_checkpoint
    from sharing.errors import AuditError
    from sharing.exchange import Exchange

    exchange = Exchange.open(_home(home).root, now=utcnow())
    with exchange.session() as session:
        checkpoint = latest_checkpoint(session)
    if checkpoint is None:
        raise AuditError("no checkpoint yet: run the exchange first")
    sys.stdout.write(checkpoint.note)


@app.command()
@reports_errors
def demo(
    home: HomeOption = None,
    scale: Annotated[float, typer.Option(help="Synthetic scale.")] = 0.001,
    reset: Annotated[bool, typer.Option(help="Replace an earlier demo in --home.")] = False,
) -> None:
    """init + synthetic feeds + one exchange run + open a bulletin per lab + audit verify."""
    from sharing.demo import run_demo

    where = _home(home)
    # The demo's Prefect state lives beside its federation, apart from any other Prefect use.
    os.environ.setdefault("PREFECT_HOME", str(where.root.resolve() / "prefect"))
    run_demo(where, scale=scale, reset=reset, run_flow=_run_flow, console=out)


def _split(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(",") if part.strip())
