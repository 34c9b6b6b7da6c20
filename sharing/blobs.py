"""Raw submissions kept exactly as received, addressed by their SHA-256."""

import os
import secrets
import shutil
from pathlib import Path

_CHUNK = 1 << 20


def blob_path(blobs_dir: Path, sha256: str) -> Path:
    return blobs_dir / sha256[:2] / sha256


def stage_blob(blobs_dir: Path, source: Path) -> Path:
    """Keep `source` exactly as received, under a temporary name in the blob store, before it
    is read: a hard link where the file system allows one (no copy of gigabytes), else a copy.
    The staged file is made read-only, so neither name can be edited by accident."""
    blobs_dir.mkdir(parents=True, exist_ok=True)
    staged = blobs_dir / f".incoming-{secrets.token_hex(8)}"
    try:
        os.link(source, staged)
    except OSError:
        _copy(source, staged)
    staged.chmod(0o444)
    return staged


def commit_blob(blobs_dir: Path, staged: Path, sha256: str) -> Path:
    """Give a staged blob its content address (`sha256`, computed while it was read)."""
    final = blob_path(blobs_dir, sha256)
    final.parent.mkdir(exist_ok=True)
    os.replace(staged, final)
    return final


def _copy(source: Path, target: Path) -> None:
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    try:
        with os.fdopen(fd, "wb") as out, source.open("rb") as src:
            shutil.copyfileobj(src, out, _CHUNK)
            out.flush()
            os.fsync(out.fileno())
    except BaseException:
        target.unlink(missing_ok=True)
        raise


def move_aside(source: Path, folder: Path, name: str | None = None) -> Path:
    """Move a collected inbox file out of the way, as `name` (default: its own), without
    overwriting an older one."""
    folder.mkdir(parents=True, exist_ok=True)
    wanted = Path(name or source.name)
    target = folder / wanted.name
    n = 1
    while target.exists():
        target = folder / f"{wanted.stem}.{n}{wanted.suffix}"
        n += 1
    shutil.move(source, target)
    return target
