"""Blocks folded in parallel worker processes, results handed back in file order.

The reading process hashes the file and finds the block boundaries; each worker reads its
block from the file itself (no bytes cross a pipe), checks and folds it
(sharing.block_aggregation), and returns only aggregates and odd lines. A multi-gigabyte
submission so uses every core while memory stays a few blocks per worker.
"""

import os
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from multiprocessing import get_context
from typing import TypeVar

from sharing.block_aggregation import BlockAggregate, BlockAggregator
from sharing.line_blocks import LineBlock
from sharing.record_reader import SightingChecks

WORKERS_ENV = "DTIX_COLLECT_WORKERS"
_POLARS_THREADS = "POLARS_MAX_THREADS"
# Blocks queued per worker: enough that the workers go on while this process records a
# file; a queued block costs this process only its place, never its bytes.
AHEAD = 8
_aggregator: BlockAggregator | None = None
_pools: dict[int, ProcessPoolExecutor] = {}


@dataclass(frozen=True, slots=True)
class FileBlock:
    """A block of whole lines and the file it was read from."""

    path: str
    block: LineBlock


Passed = TypeVar("Passed")


@dataclass(frozen=True)
class BlockAt:
    """Where a block of whole lines lies in a file."""

    path: str
    offset: int
    length: int
    first_line: int


def default_workers() -> int:
    """`DTIX_COLLECT_WORKERS` if set, else one worker per core the process may use."""
    chosen = os.environ.get(WORKERS_ENV, "").strip()
    if chosen.isdigit() and int(chosen) > 0:
        return int(chosen)
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1)


def fold_block(block: LineBlock) -> BlockAggregate:
    """Fold one block with this process's aggregator (its learnt shapes and memos persist)."""
    global _aggregator
    if _aggregator is None:
        _aggregator = BlockAggregator(SightingChecks())
    return _aggregator.aggregate(block)


def fold_block_at(where: BlockAt) -> BlockAggregate:
    """Read a block from its file and fold it (in a worker process)."""
    fd = os.open(where.path, os.O_RDONLY)
    try:
        data = os.pread(fd, where.length, where.offset)
    finally:
        os.close(fd)
    return fold_block(LineBlock(where.first_line, data, where.offset))


def folded_blocks(
    items: Iterable[FileBlock | Passed], *, workers: int
) -> Iterator[BlockAggregate | Passed]:
    """Each block folded, everything else passed through, all in the order given; blocks
    of several files keep the workers busy across file ends. With one worker, all is
    done in this process."""
    if workers <= 1:
        aggregator = BlockAggregator(SightingChecks())
        for item in items:
            yield aggregator.aggregate(item.block) if isinstance(item, FileBlock) else item
        return
    pool = _pool(workers)
    waiting: deque[Future[BlockAggregate] | Passed] = deque()
    try:
        for item in items:
            if isinstance(item, FileBlock):
                block = item.block
                at = BlockAt(item.path, block.offset, len(block.data), block.first_line)
                waiting.append(pool.submit(fold_block_at, at))
            else:
                waiting.append(item)
            while len(waiting) > AHEAD * workers:
                yield _result(waiting.popleft())
        while waiting:
            yield _result(waiting.popleft())
    except BrokenProcessPool:
        del _pools[workers]  # a worker died (out of memory, killed): start afresh next time
        raise


def _pool(workers: int) -> ProcessPoolExecutor:
    """One pool per process and size, kept for the next file: workers take a second each
    to start. They start fresh rather than forked (a forked polars thread pool can hang),
    each with one polars thread, since the workers already fill the cores."""
    pool = _pools.get(workers)
    if pool is None:
        before = os.environ.get(_POLARS_THREADS)
        os.environ[_POLARS_THREADS] = "1"
        try:
            pool = ProcessPoolExecutor(workers, mp_context=get_context("spawn"))
            wait([pool.submit(_started) for _ in range(workers)])
        finally:
            if before is None:
                del os.environ[_POLARS_THREADS]
            else:
                os.environ[_POLARS_THREADS] = before
        _pools[workers] = pool
    return pool


def _started() -> bool:
    return True


def _result(item: "Future[BlockAggregate] | Passed") -> BlockAggregate | Passed:
    return item.result() if isinstance(item, Future) else item
