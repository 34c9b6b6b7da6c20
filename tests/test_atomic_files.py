"""Files written whole or not at all, also by two writers of one file at the same time."""

import threading
from pathlib import Path

from sharing.atomic_files import write_atomically


def test_two_writers_of_one_file_at_once_both_succeed(tmp_path: Path) -> None:
    path = tmp_path / "outbox" / "advisory.md"
    failures: list[BaseException] = []

    def write(data: bytes) -> None:
        try:
            for _ in range(200):
                write_atomically(path, data)
        except BaseException as exc:  # reported below, with the other writer's
            failures.append(exc)

    writers = [threading.Thread(target=write, args=(data,)) for data in (b"a" * 4096, b"b" * 4096)]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join()
    assert failures == []
    assert path.read_bytes() in (b"a" * 4096, b"b" * 4096)
    assert [p.name for p in path.parent.iterdir()] == ["advisory.md"]
