"""Claims on the files of a lab's inbox: one collector at a time handles a file, from the
moment it reads it to the moment it sets it aside.

Two runs started together, or the batches of one run, list the same inbox. A collector
claims each file before reading it and keeps the claim until the file is set aside: a file
claimed elsewhere is left to its claimant (or, should that one die, to the next run), and a
file gone by the time it is claimed was set aside by the collector that held it.

On PostgreSQL a claim is a session advisory lock on a connection of the claims' own, let go
on release or when that connection drops. On SQLite, whose store lives on one machine, it is
an exclusive flock of a lock file under the home, let go when the file is closed.
"""

import fcntl
import hashlib
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, text

from sharing.exchange import Exchange

CLAIMS = Path("state") / "claims"  # SQLite's lock files, under the home


class InboxClaims:
    """The claims one collector holds, until `release` (see `inbox_claims`)."""

    def __init__(self, exchange: Exchange) -> None:
        self._exchange = exchange
        self._connection: Connection | None = None
        self._lock_files: list[tuple[int, Path]] = []

    def claim(self, lab: str, path: Path) -> bool:
        """Claim `path`, a file in `lab`'s inbox: False when another collector holds it or
        it is no longer there."""
        digest = _digest(lab, path.relative_to(self._exchange.inbox(lab)).as_posix())
        if self._exchange.engine.dialect.name == "postgresql":
            held = self._advisory_lock(int.from_bytes(digest[:8], "big", signed=True))
        else:
            held = self._lock_file(self._exchange.home.root / CLAIMS / f"{digest[:16].hex()}.lock")
        return held and path.is_file()

    def release(self) -> None:
        """Let go of every claim."""
        connection, self._connection = self._connection, None
        if connection is not None:
            try:
                connection.execute(text("SELECT pg_advisory_unlock_all()"))
            finally:
                connection.close()
        lock_files, self._lock_files = self._lock_files, []
        for fd, path in lock_files:
            path.unlink(missing_ok=True)  # while still locked: no one else holds this one
            os.close(fd)

    def _advisory_lock(self, key: int) -> bool:
        if self._connection is None:
            connection = self._exchange.engine.connect()
            self._connection = connection.execution_options(isolation_level="AUTOCOMMIT")
        taken = self._connection.execute(
            text("SELECT pg_try_advisory_lock(:key)"), {"key": key}
        ).scalar()
        return bool(taken)

    def _lock_file(self, path: Path) -> bool:
        path.parent.mkdir(parents=True, exist_ok=True)
        while True:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                return False
            if _is_linked(path, fd):
                self._lock_files.append((fd, path))
                return True
            os.close(fd)  # its last holder removed it meanwhile: claim the one there now


@contextmanager
def inbox_claims(exchange: Exchange) -> Iterator[InboxClaims]:
    """Claims that are all let go when the block ends, however it ends."""
    claims = InboxClaims(exchange)
    try:
        yield claims
    finally:
        claims.release()


def claimed_files(exchange: Exchange, lab: str, paths: Iterable[Path]) -> Iterator[Path]:
    """Each of `paths` (files in `lab`'s inbox) as soon as it is claimed, leaving out those
    another collector holds or has set aside; the claims are let go when iteration ends."""
    with inbox_claims(exchange) as claims:
        for path in paths:
            if claims.claim(lab, path):
                yield path


def _digest(lab: str, name: str) -> bytes:
    """What names the claim on an inbox file, whatever characters its name holds."""
    return hashlib.sha256(f"dtix inbox claim\0{lab}\0{name}".encode()).digest()


def _is_linked(path: Path, fd: int) -> bool:
    """Whether `path` still names the file open as `fd`."""
    try:
        return os.stat(path).st_ino == os.fstat(fd).st_ino
    except FileNotFoundError:
        return False
