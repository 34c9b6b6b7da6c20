"""Stopping what `dtix serve` started: whole process groups, strays in their own sessions,
children that ignore SIGTERM, and SIGINT left working in the children."""

import os
import signal
import sys
import time
from pathlib import Path

import pytest

from flows.child_processes import ChildProcesses, descendants

# A child that starts a grandchild in a session of its own (as a Prefect worker starts a
# flow run), writes the grandchild's pid, then waits.
SPAWNS_A_STRAY = """
import subprocess, sys, time
stray = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(300)"],
                         start_new_session=True)
open(sys.argv[1], "w").write(str(stray.pid))
time.sleep(300)
"""
IGNORES_SIGTERM = """
import signal, sys, time
signal.signal(signal.SIGTERM, signal.SIG_IGN)
open(sys.argv[1], "w").write("ready")
time.sleep(300)
"""
REPORTS_SIGINT = """
import signal, sys
open(sys.argv[1], "w").write(str(signal.getsignal(signal.SIGINT)))
"""


def _gone(pid: int) -> bool:
    """Whether `pid` ended (a zombie waiting for its new parent to reap it has ended),
    allowing a moment for a SIGKILL to land."""
    for _ in range(100):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        stat = Path(f"/proc/{pid}/stat")
        if stat.exists() and stat.read_text().rsplit(")", 1)[1].split()[0] == "Z":
            return True
        time.sleep(0.05)
    return False


def _wait_for_file(path: Path) -> str:
    for _ in range(200):
        if path.exists() and path.read_text():
            return path.read_text()
        time.sleep(0.05)
    raise AssertionError(f"{path} was never written")


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="strays are found through /proc")
def test_stop_ends_a_child_and_the_stray_it_started_in_another_session(tmp_path) -> None:  # type: ignore[no-untyped-def]
    marker = tmp_path / "stray.pid"
    with ChildProcesses() as processes:
        child = processes.start(
            "spawner", [sys.executable, "-c", SPAWNS_A_STRAY, str(marker)], env=os.environ
        )
        stray = int(_wait_for_file(marker))
        assert stray in {pid for pid, _ in descendants(child.process.pid)}
        assert os.getpgid(stray) != os.getpgid(child.process.pid)
    assert child.process.poll() is not None
    assert _gone(stray)


def test_a_child_that_ignores_sigterm_is_killed_after_the_grace_period(tmp_path) -> None:  # type: ignore[no-untyped-def]
    marker = tmp_path / "ready"
    processes = ChildProcesses()
    child = processes.start(
        "stubborn",
        [sys.executable, "-c", IGNORES_SIGTERM, str(marker)],
        env=os.environ,
        log=tmp_path / "stubborn.log",
    )
    _wait_for_file(marker)
    processes.stop(grace_seconds=0.5)
    assert child.process.returncode == -signal.SIGKILL
    assert processes.children == []


def test_first_exited_names_a_child_that_ended_and_keeps_its_last_words(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with ChildProcesses() as processes:
        child = processes.start(
            "short-lived",
            [sys.executable, "-c", "print('port already in use'); raise SystemExit(3)"],
            env=os.environ,
            log=tmp_path / "short.log",
        )
        child.process.wait(timeout=30)
        assert processes.first_exited() is child
        assert child.log_tail() == "port already in use"


def test_children_react_to_sigint_even_when_this_process_ignores_it(tmp_path) -> None:  # type: ignore[no-untyped-def]
    marker = tmp_path / "sigint"
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        with ChildProcesses() as processes:
            child = processes.start(
                "reporter", [sys.executable, "-c", REPORTS_SIGINT, str(marker)], env=os.environ
            )
            child.process.wait(timeout=30)
        assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
    finally:
        signal.signal(signal.SIGINT, previous)
    assert _wait_for_file(marker) == str(signal.default_int_handler)
