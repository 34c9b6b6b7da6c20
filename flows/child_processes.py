"""The processes `dtix serve` starts (a Prefect server, a worker), stopped together.

Each child runs in its own session, so a Ctrl-C in the terminal reaches only `dtix serve`,
which then stops them in order. Stopping covers the child's whole process group and any
descendant that left it: Prefect starts each flow run in a session of its own.
"""

import os
import signal
import subprocess
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

PROC = Path("/proc")


@dataclass(frozen=True)
class Child:
    name: str
    process: subprocess.Popen[bytes]
    log: Path | None
    log_start: int = 0  # the log is appended to; this child's output starts here

    def log_tail(self, lines: int = 15) -> str:
        """The last lines the child wrote, to say why it stopped."""
        if self.log is None or not self.log.is_file():
            return ""
        with self.log.open("rb") as f:
            f.seek(self.log_start)
            text = f.read().decode("utf-8", errors="replace").splitlines()
        return "\n".join(text[-lines:])


class ChildProcesses:
    """Start children; `stop()` (or leaving the `with` block) ends every one of them."""

    def __init__(self) -> None:
        self.children: list[Child] = []

    def __enter__(self) -> "ChildProcesses":
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(
        self,
        name: str,
        argv: Sequence[str],
        *,
        env: Mapping[str, str],
        cwd: Path | None = None,
        log: Path | None = None,
    ) -> Child:
        """Start `argv` in a new session; its output goes to `log`, else to this terminal."""
        out = _open_log(log) if log is not None else None
        log_start = log.stat().st_size if log is not None else 0
        try:
            with _sigint_by_default():
                process = subprocess.Popen(
                    list(argv),
                    env=dict(env),
                    cwd=cwd,
                    stdin=subprocess.DEVNULL,
                    stdout=out,
                    stderr=subprocess.STDOUT if out else None,
                    start_new_session=True,
                )
        finally:
            if out is not None:
                out.close()
        child = Child(name, process, log, log_start)
        self.children.append(child)
        return child

    def first_exited(self) -> Child | None:
        """A child that has ended on its own, if any."""
        return next((c for c in self.children if c.process.poll() is not None), None)

    def stop(self, grace_seconds: float = 15.0) -> None:
        """End the children, last started first: SIGTERM to each group, SIGKILL after
        `grace_seconds`, then SIGKILL to any descendant still running."""
        while self.children:
            child = self.children.pop()
            strays = descendants(child.process.pid)
            _signal_group(child.process, signal.SIGTERM)
            try:
                child.process.wait(timeout=grace_seconds)
            except subprocess.TimeoutExpired:
                _signal_group(child.process, signal.SIGKILL)
                child.process.wait()
            _signal_group(child.process, signal.SIGKILL)  # what the leader left behind
            for pid, started in strays:
                if _start_time(pid) == started:
                    _kill(pid)


def _open_log(path: Path) -> BinaryIO:
    path.parent.mkdir(parents=True, exist_ok=True)
    return path.open("ab")


@contextmanager
def _sigint_by_default() -> Iterator[None]:
    """Children must react to SIGINT (a Prefect worker stops itself with one) even where a
    shell started this process ignoring it; exec resets a caught signal, not an ignored one."""
    if (
        threading.current_thread() is not threading.main_thread()
        or signal.getsignal(signal.SIGINT) is not signal.SIG_IGN
    ):
        yield
        return
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)


def _signal_group(process: subprocess.Popen[bytes], sig: signal.Signals) -> None:
    with suppress(ProcessLookupError, PermissionError):  # already gone
        os.killpg(process.pid, sig)


def _kill(pid: int) -> None:
    with suppress(ProcessLookupError, PermissionError):
        os.kill(pid, signal.SIGKILL)


def descendants(pid: int) -> list[tuple[int, str]]:
    """Every process below `pid`, as (pid, start time) so that a reused pid is never hit.
    Read from /proc; empty where there is none (the process groups are still stopped)."""
    parents: dict[int, list[int]] = {}
    for entry in PROC.glob("[0-9]*") if PROC.is_dir() else ():
        stat = _stat_fields(int(entry.name))
        if stat is not None:
            parents.setdefault(int(stat[1]), []).append(int(entry.name))
    found: list[tuple[int, str]] = []
    todo = list(parents.get(pid, []))
    while todo:
        child = todo.pop()
        started = _start_time(child)
        if started is not None:
            found.append((child, started))
        todo.extend(parents.get(child, []))
    return found


def _stat_fields(pid: int) -> list[str] | None:
    """The fields of /proc/PID/stat after the command name: state, ppid, ..."""
    try:
        text = (PROC / str(pid) / "stat").read_text()
    except OSError:
        return None
    return text[text.rfind(")") + 2 :].split()


def _start_time(pid: int) -> str | None:
    fields = _stat_fields(pid)
    return fields[19] if fields is not None and len(fields) > 19 else None
