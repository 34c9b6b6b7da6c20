"""Streams one lab's sightings to JSON Lines files, hour by hour over the last 14 days.

Each file is written under a hidden temporary name and renamed into place only when
complete, so a collector watching the inbox never reads a half-written feed.
"""

import math
import os
from collections import Counter
from datetime import datetime, timedelta
from io import BufferedWriter
from pathlib import Path
from random import Random
from types import TracebackType

from sharing.synth.bad import BAD_KINDS, bad_count, bad_line
from sharing.synth.view import LabView

WINDOW_HOURS = 14 * 24
MAX_LINES = 1_000_000
BATCH = 32_768
_SECONDS = [f"{m:02d}:{s:02d}Z" for m in range(60) for s in range(60)]


class FeedWriter:
    """Writes lines to `<stem>-001.jsonl`, `-002`, ... with at most `max_lines` lines each."""

    def __init__(self, folder: Path, stem: str, max_lines: int = MAX_LINES) -> None:
        self.folder, self.stem, self.max_lines = folder, stem, max_lines
        self.files: list[Path] = []
        self._out: BufferedWriter | None = None
        self._lines = 0

    def write(self, lines: list[str]) -> None:
        while lines:
            out = self._out or self._open()
            room = self.max_lines - self._lines
            chunk, lines = lines[:room], lines[room:]
            out.write("".join(chunk).encode())
            self._lines += len(chunk)
            if self._lines >= self.max_lines:
                self._finish()

    def close(self) -> list[Path]:
        """Publishes the last file; returns every file written, in order."""
        if self._out is not None:
            self._finish()
        return self.files

    def _tmp(self, path: Path) -> Path:
        """The hidden name a file has while it is written (collectors read only `*.jsonl`)."""
        return path.with_name(f".{path.name}.part")

    def _open(self) -> BufferedWriter:
        path = self.folder / f"{self.stem}-{len(self.files) + 1:03d}.jsonl"
        self.files.append(path)
        self._out = open(self._tmp(path), "wb", buffering=1 << 20)  # noqa: SIM115
        self._lines = 0
        return self._out

    def _finish(self) -> None:
        out, self._out = self._out, None
        assert out is not None
        out.flush()
        os.fsync(out.fileno())
        out.close()
        os.replace(self._tmp(self.files[-1]), self.files[-1])

    def __enter__(self) -> "FeedWriter":
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if exc is None:
            self.close()
        elif self._out is not None:
            self._out.close()
            self._out = None
            self._tmp(self.files.pop()).unlink(missing_ok=True)


def write_lab(writer: FeedWriter, view: LabView, records: int, end: datetime, rng: Random) -> int:
    """Writes `records` lines (bad ones included) ending at `end`; returns how many are bad.

    Every template is written at least once, at a random point of the window; the other
    lines are sampled by weight.
    """
    bad = bad_count(records)
    good = max(1, records - bad)
    counts = _hour_counts(rng, good, end)
    bad_hours = Counter(rng.choices(range(WINDOW_HOURS), weights=counts, k=bad))
    templates, cum_weights, n_sure = view.templates, view.cum_weights, len(view.templates)
    first_sightings = rng.sample(templates, n_sure)
    start, done, kind = end - timedelta(hours=WINDOW_HOURS), 0, rng.randrange(len(BAD_KINDS))
    for hour, count in enumerate(counts):
        stamp = f"{start + timedelta(hours=hour):%Y-%m-%dT%H:}"
        sure = first_sightings[n_sure * done // good : n_sure * (done + count) // good]
        done += count
        for offset in range(0, count, BATCH):
            k = min(BATCH, count - offset)
            picks, sure = sure[:k], sure[k:]
            picks += rng.choices(templates, cum_weights=cum_weights, k=k - len(picks))
            seconds = rng.choices(_SECONDS, k=k)
            lines = [f"{h}{stamp}{s}{t}" for (h, t), s in zip(picks, seconds, strict=True)]
            for _ in range(bad_hours.pop(hour, 0)):
                line = bad_line(kind, stamp + rng.choice(_SECONDS), view.samples)
                lines.insert(rng.randrange(len(lines) + 1), line)
                kind += 1
            writer.write(lines)
    return bad


def _hour_counts(rng: Random, total: int, end: datetime) -> list[int]:
    """`total` sightings over the window: a daily rhythm, a growing campaign, a few bursts."""
    first = (end.hour - WINDOW_HOURS) % 24
    weights = []
    for h in range(WINDOW_HOURS):
        daily = 1.0 + 0.6 * math.sin(2 * math.pi * ((first + h) % 24 - 8) / 24)
        weights.append(daily * (0.4 + 0.6 * h / WINDOW_HOURS))
    for burst in rng.sample(range(WINDOW_HOURS - 6), 3):
        for h in range(burst, burst + 6):
            weights[h] *= 3.0
    scale = total / sum(weights)
    counts = [int(w * scale) for w in weights]
    by_remainder = sorted(range(WINDOW_HOURS), key=lambda h: counts[h] - weights[h] * scale)
    for h in by_remainder[: total - sum(counts)]:
        counts[h] += 1
    return counts
