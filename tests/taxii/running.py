"""A real TAXII server on loopback, and a hub whose labs have received bulletins to serve."""

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import requests
import uvicorn

from sharing.collect import collect_lab
from sharing.exchange import Exchange
from sharing.federation import inbox_path, load_federation
from sharing.home import Home
from sharing.issuing import issue_bulletin
from tests.conftest import NOW, _allow_documentation_values, fast_argon2, write_feed

LATER = NOW + timedelta(hours=1)
SERVED_AT = NOW + timedelta(hours=2)  # the server's clock: both rounds are out by then
SEEN = "2026-11-20T10:00:00Z"


class BearerAuth(requests.auth.AuthBase):
    """`Authorization: Bearer <token>` for taxii2-client's requests session."""

    def __init__(self, token: str) -> None:
        self.token = token

    def __call__(self, r: requests.PreparedRequest) -> requests.PreparedRequest:
        r.headers["Authorization"] = f"Bearer {self.token}"
        return r


@contextmanager
def serving(app: object) -> Iterator[str]:
    """Run `app` with uvicorn on a free loopback port; yields its base URL."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")  # type: ignore[arg-type]
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the TAXII server did not start")
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


@contextmanager
def founded(root: Path) -> Iterator[Home]:
    """A founded federation (hub + anthropic, openai, google) on SQLite, as conftest's `home`."""
    from sharing.founding import found_federation

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DTIX_PASSPHRASE", "correct horse battery staple")
        patch.delenv("DTIX_DATABASE_URL", raising=False)
        patch.delenv("DTIX_HOME", raising=False)
        home = Home(root)
        found_federation(home, now=NOW, argon2=fast_argon2())
        _allow_documentation_values(home)
        yield home


def make_strict(home: Home) -> None:
    """Turn on strict_submissions: the hub takes signed submissions only."""
    text = home.federation_file.read_text()
    assert "strict_submissions = false" in text
    home.federation_file.write_text(
        text.replace("strict_submissions = false", "strict_submissions = true")
    )


def ip(value: str, **extra: object) -> dict[str, object]:
    return {"type": "ipv4", "value": value, "seen": SEEN, "tlp": "amber", **extra}


def submit(
    home: Home, lab: str, name: str, records: list[dict[str, object]], now: datetime
) -> None:
    """Drop a feed in `lab`'s inbox and collect it."""
    write_feed(inbox_path(home, load_federation(home).participant(lab)) / name, records)
    collect_lab(Exchange.open(home.root, now=now), lab, now=now)


def issue_all(home: Home, now: datetime) -> None:
    exchange = Exchange.open(home.root, now=now)
    for lab in exchange.federation.labs:
        issue_bulletin(exchange, lab.id, now=now)


def exchanged(home: Home) -> Home:
    """Two rounds of submissions and bulletins: openai gets 8 indicators at NOW, 2 at LATER."""
    anthropic = [ip(f"198.51.100.{n}") for n in range(1, 7)]
    anthropic.append({"type": "domain", "value": "farm.example.net", "seen": SEEN, "tlp": "green"})
    anthropic.append(ip("198.51.100.99", tlp="red"))  # RED without an audience: nobody gets it
    submit(home, "anthropic", "a1.jsonl", anthropic, NOW)
    submit(home, "google", "g1.jsonl", [ip("198.51.100.1"), ip("192.0.2.7", tlp="green")], NOW)
    submit(home, "openai", "o1.jsonl", [ip("203.0.113.9")], NOW)  # only openai saw it
    issue_all(home, NOW)
    submit(home, "google", "g2.jsonl", [ip("192.0.2.8"), ip("192.0.2.9", confidence=90)], LATER)
    issue_all(home, LATER)
    return home
