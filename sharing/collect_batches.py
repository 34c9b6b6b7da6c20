"""A large inbox split into batches that separate processes collect at the same time.

Each batch is some of one lab's pending files, recorded in its own transaction like any
collection; the store serializes the merges (the audit log's lock), so counts add up
whichever batch commits first and a file recorded by one batch is recognised by its hash in
any other. Only the order of a lab's batches is left to chance: when two of its files name
different campaigns for one indicator, the campaign of the batch recorded first stays.
"""

from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from multiprocessing import get_context
from pathlib import Path

from sharing.collect import BATCH_FILES, CollectReport, collect_files, pending_submissions
from sharing.errors import InputError
from sharing.exchange import Exchange

BATCHES_PER_WORKER = 2  # enough that a worker finishing early takes another lab's batch


@dataclass(frozen=True)
class CollectBatch:
    """Some of one lab's pending inbox files, by name, to be collected together."""

    lab: str
    files: tuple[str, ...]
    size: int

    @property
    def name(self) -> str:
        """A name for logs and task runs: the lab and its first file."""
        return f"{self.lab}/{self.files[0]}" + (f"+{len(self.files) - 1}" if self.files[1:] else "")


@dataclass(frozen=True)
class CollectPlan:
    """The batches to collect, largest first, and the labs whose inbox cannot be read."""

    batches: list[CollectBatch]
    unreadable: dict[str, str]  # lab -> why


def plan_batches(exchange: Exchange, workers: int) -> CollectPlan:
    """Every lab's pending files cut into runs of consecutive files of about equal size,
    about `BATCHES_PER_WORKER` batches per worker in all."""
    pending: dict[str, list[Path]] = {}
    unreadable: dict[str, str] = {}
    for lab in exchange.federation.labs:
        try:
            pending[lab.id] = pending_submissions(exchange, lab.id)
        except InputError as exc:
            unreadable[lab.id] = str(exc)
    sizes = {lab: [_size(p) for p in paths] for lab, paths in pending.items()}
    total = sum(sum(s) for s in sizes.values())
    target = max(1, total // max(1, workers * BATCHES_PER_WORKER))
    batches = [
        CollectBatch(lab, tuple(p.name for p in run), sum(_size(p) for p in run))
        for lab, paths in pending.items()
        for run in _runs(paths, sizes[lab], target)
    ]
    return CollectPlan(sorted(batches, key=lambda b: -b.size), unreadable)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return 0


def _runs(paths: Sequence[Path], sizes: Sequence[int], target: int) -> Iterable[list[Path]]:
    """`paths` in order, cut into about sum(sizes)/target runs of similar total size."""
    if not paths:
        return
    count = max(1, min(len(paths), round(sum(sizes) / target)))
    per_run = max(1, sum(sizes) / count)
    run: list[Path] = []
    filled = 0
    for path, size in zip(paths, sizes, strict=True):
        if run and (len(run) >= BATCH_FILES or filled + size / 2 > per_run):
            yield run
            run, filled = [], 0
        run.append(path)
        filled += size
    if run:
        yield run


def collect_batch(
    exchange: Exchange, batch: CollectBatch, *, now: datetime, workers: int | None = 1
) -> CollectReport:
    """Collect the batch's files that are still in the inbox (another run may have taken
    some), read in this process alone unless `workers` says otherwise."""
    inbox = exchange.inbox(batch.lab)
    paths = [inbox / name for name in batch.files if (inbox / name).is_file()]
    report = CollectReport(batch.lab, already_collected=len(batch.files) - len(paths))
    if not paths:
        return report
    return report + collect_files(exchange, batch.lab, paths, now=now, workers=workers)


def by_lab(reports: Iterable[CollectReport]) -> list[CollectReport]:
    """Batch reports summed per lab, in the order the labs first appear."""
    summed: dict[str, CollectReport] = {}
    for report in reports:
        summed[report.lab] = summed[report.lab] + report if report.lab in summed else report
    return list(summed.values())


@dataclass
class ParallelCollection:
    """What every batch of a parallel collection did, and why the others failed."""

    reports: list[CollectReport]
    failed: dict[str, str]  # batch name (or lab, if its inbox cannot be read) -> reason


def collect_in_parallel(
    home: Path,
    *,
    workers: int,
    now: datetime,
    on_done: Callable[[CollectBatch, CollectReport | None], None] | None = None,
) -> ParallelCollection:
    """Collect the inbox of every lab in `workers` processes, one batch at a time each."""
    plan = plan_batches(Exchange.open(home, now=now), workers)
    result = ParallelCollection([], dict(plan.unreadable))
    if not plan.batches:
        return result
    processes = min(workers, len(plan.batches))
    with ProcessPoolExecutor(processes, mp_context=get_context("spawn")) as pool:
        futures = [(b, pool.submit(collect_batch_at, str(home), b, now)) for b in plan.batches]
        for batch, future in futures:
            try:
                report: CollectReport | None = future.result()
            except Exception as exc:  # one batch failing leaves the others recorded
                result.failed[batch.name] = f"{type(exc).__name__}: {exc}"
                report = None
            else:
                result.reports.append(report)
            if on_done is not None:
                on_done(batch, report)
    return result


def collect_batch_at(home: str, batch: CollectBatch, now: datetime) -> CollectReport:
    """`collect_batch` on the federation at `home`: what a worker process runs."""
    return collect_batch(Exchange.open(home, now=now), batch, now=now)
