"""`dtix init | synth | collect | run | serve | demo`: founding and running the exchange."""

import os
from typing import Annotated, Any

import typer
from rich.markup import escape

from sharing.cli.app import app
from sharing.cli.console import HomeOption, err, home_of, out, reports_errors, split_list
from sharing.clock import utcnow
from sharing.founding import DEFAULT_LABS as FOUNDING_LABS
from sharing.home import Home


@app.command()
@reports_errors
def init(
    home: HomeOption = None,
    labs: Annotated[str, typer.Option(help="Comma-separated lab ids.")] = ",".join(FOUNDING_LABS),
    pq: Annotated[
        bool, typer.Option("--pq", help="Post-quantum keys: ML-KEM-768+X25519 and ML-DSA-65.")
    ] = False,
) -> None:
    """Create a federation: a hub and labs, their keys, and federation.toml."""
    from sharing.founding import found_federation

    where = home_of(home)
    founded = found_federation(where, labs=split_list(labs), now=utcnow(), pq=pq)
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

    report = synthesize_feeds(home_of(home), scale=scale, seed=seed, now=utcnow())
    out.print(
        f"wrote {report.total_records:,} records for {report.accounts:,} accounts "
        f"into {len(report.files)} lab inboxes"
    )


@app.command()
@reports_errors
def collect(
    home: HomeOption = None,
    workers: Annotated[
        int | None,
        typer.Option(
            min=1,
            help="Collect in this many processes, each taking a batch of a lab's files at a"
            " time (default: one process reading large files with a worker per core).",
        ),
    ] = None,
) -> None:
    """Collect, validate, normalize and merge every lab's new submissions, without Prefect."""
    from sharing.collect import collect_lab
    from sharing.collect_batches import by_lab, collect_in_parallel
    from sharing.exchange import Exchange

    now = utcnow()
    where = home_of(home).root
    failed: dict[str, str] = {}
    if workers is None:
        exchange = Exchange.open(where, now=now)
        reports = [collect_lab(exchange, lab.id, now=now) for lab in exchange.federation.labs]
    else:
        done = collect_in_parallel(where, workers=workers, now=now)
        reports, failed = by_lab(done.reports), done.failed
    for r in reports:
        out.print(
            f"{r.lab}: {r.submissions} submissions "
            f"({r.already_collected} already collected), {r.records:,} records: "
            f"{r.accepted:,} accepted, {r.quarantined:,} quarantined, {r.screened:,} screened; "
            f"{r.indicators_new:,} new and {r.indicators_changed:,} changed indicators"
        )
    if reports:
        total = sum(reports[1:], reports[0])
        out.print(
            f"all labs: {total.records:,} records submitted = {total.accepted:,} accepted"
            f" + {total.quarantined:,} quarantined + {total.screened:,} screened"
        )
    for batch, reason in failed.items():
        err.print(f"dtix: collecting {batch} failed: {escape(reason)}", highlight=False)
    if failed:
        raise typer.Exit(1)


@app.command()
@reports_errors
def run(home: HomeOption = None) -> None:
    """Run the whole exchange flow once, through Prefect."""
    from sharing.run_summary import RunSummary

    summary: RunSummary = _run_flow(home_of(home))
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
def serve(
    home: HomeOption = None,
    port: Annotated[int, typer.Option(help="Port of the Prefect server started here.")] = 4200,
) -> None:
    """Run the hourly exchange and the daily advisories (prefect.yaml) with a worker of the
    `dtix` process work pool, on the Prefect server PREFECT_API_URL names, else on one started
    here on 127.0.0.1. Ctrl-C stops what it started. See docs/operations.md."""
    from sharing.errors import FederationError
    from sharing.federation import load_federation

    where = home_of(home)
    if not where.federation_file.is_file():
        raise FederationError(
            f"no federation at {where.root}: `make demo` builds the demo one in demo-output,"
            f" `dtix init --home {where.root}` founds a new one"
        )
    load_federation(where)
    os.environ.setdefault("DO_NOT_TRACK", "1")  # no usage data from Prefect's client
    from flows import serving

    serving.serve(where.root, port=port, say=lambda text: out.print(text, markup=False))


@app.command()
@reports_errors
def demo(
    home: HomeOption = None,
    scale: Annotated[float, typer.Option(help="Synthetic scale.")] = 0.001,
    reset: Annotated[bool, typer.Option(help="Replace an earlier demo in --home.")] = False,
) -> None:
    """init + synthetic feeds + one exchange run + open a bulletin per lab + audit verify."""
    from sharing.demo import run_demo

    where = home_of(home)
    # The demo's Prefect state lives beside its federation, apart from any other Prefect use.
    os.environ.setdefault("PREFECT_HOME", str(where.root.resolve() / "prefect"))
    run_demo(where, scale=scale, reset=reset, run_flow=_run_flow, console=out)
