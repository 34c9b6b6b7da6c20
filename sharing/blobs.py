"""Raw submissions kept exactly as received, addressed by their SHA-256."""

import hashlib
import os
import shutil
import tempfile
from pathlib import Path

_CHUNK = 1 << 20


def blob_path(blobs_dir: Path, sha256: str) -> Path:
    return blobs_dir / sha256[:2] / sha256


def store_blob(blobs_dir: Path, source: Path) -> tuple[str, Path]:
    """Copy `source` into the blob store in one pass, hashing as it goes; return (sha256, path).

    The copy is written under a temporary name and renamed, so a blob is whole or absent.
    """
    blobs_dir.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    fd, tmp_name = tempfile.mkstemp(dir=blobs_dir, prefix=".incoming-")
    try:
        with os.fdopen(fd, "wb") as out, source.open("rb") as src:
            while chunk := src.read(_CHUNK):
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        sha = digest.hexdigest()
        final = blob_path(blobs_dir, sha)
        final.parent.mkdir(exist_ok=True)
        os.replace(tmp_name, final)
        return sha, final
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise


def move_aside(source: Path, folder: Path) -> Path:
    """Move a collected inbox file out of the way without overwriting an older one."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / source.name
    n = 1
    while target.exists():
        target = folder / f"{source.stem}.{n}{source.suffix}"
        n += 1
    shutil.move(source, target)
    return target
