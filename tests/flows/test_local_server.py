"""Waiting for a Prefect server started here: it answers, or it says why it did not."""

import os
import sys

import pytest

from flows.child_processes import ChildProcesses
from flows.local_server import api_answers, ui_url, wait_until_answers
from sharing.errors import DtixError
from tests.flows.local_processes import free_port


def test_nothing_answers_on_a_closed_port() -> None:
    assert not api_answers(f"http://127.0.0.1:{free_port()}/api")


def test_a_server_that_stops_before_answering_is_reported_with_its_log(tmp_path) -> None:  # type: ignore[no-untyped-def]
    api_url = f"http://127.0.0.1:{free_port()}/api"
    with ChildProcesses() as processes:
        child = processes.start(
            "Prefect server",
            [sys.executable, "-c", "print('Port 4200 is already in use.'); raise SystemExit(1)"],
            env=os.environ,
            log=tmp_path / "server.log",
        )
        with pytest.raises(DtixError, match=r"(?s)stopped \(exit 1\).*already in use"):
            wait_until_answers(api_url, child, timeout=60)


def test_a_server_that_never_answers_is_given_up_on(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with ChildProcesses() as processes:
        child = processes.start(
            "Prefect server", [sys.executable, "-c", "import time; time.sleep(60)"], env=os.environ
        )
        with pytest.raises(DtixError, match="did not answer"):
            wait_until_answers(f"http://127.0.0.1:{free_port()}/api", child, timeout=0.5)


def test_the_ui_is_the_api_address_without_api() -> None:
    assert ui_url("http://127.0.0.1:4200/api") == "http://127.0.0.1:4200"
    assert ui_url("https://prefect.example.org/api/") == "https://prefect.example.org"
