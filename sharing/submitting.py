"""`dtix submit`: a lab signs a file and drops it, with its signature, in its hub inbox.

The file is staged under a hidden name, signed, and only then renamed into place, so the
hub never collects a submission whose signature is not there yet. Personal data is hashed
here before anything is sent: `prepare` is that step (default: sharing.minimizing).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sharing.errors import InputError
from sharing.federation import inbox_path, load_federation
from sharing.federation_secret import load_federation_secret
from sharing.home import Home
from sharing.keyring import load_private_keys
from sharing.minimizing import Minimizer
from sharing.submission_signature import file_sha256, sign_submission

Prepare = Callable[[Path, Path], None]
SUFFIXES = (".jsonl",)


@dataclass(frozen=True)
class Submitted:
    path: Path
    signature: Path
    size: int
    sha256: str
    kid: str
    minimized: dict[str, int] = field(default_factory=dict)  # raw records hashed, per type


def submit_file(home: Home, lab: str, source: Path, *, prepare: Prepare | None = None) -> Submitted:
    """Stage `source` (through `prepare`), sign it as `lab`, and move it into the inbox."""
    participant = load_federation(home).lab(lab)
    if not source.is_file():
        raise InputError(f"{source}: no such file")
    if source.suffix not in SUFFIXES:
        raise InputError(f"{source}: only {', '.join(SUFFIXES)} submissions are collected")
    inbox = inbox_path(home, participant)
    inbox.mkdir(parents=True, exist_ok=True)
    target = inbox / source.name
    if target.exists():
        raise InputError(f"{target} already exists: rename the file or wait for collection")
    staged = inbox / f".{source.name}.part"
    minimizer = Minimizer(lambda: load_federation_secret(home))
    try:
        (prepare or minimizer.rewrite)(source, staged)
    except BaseException:
        staged.unlink(missing_ok=True)
        raise
    keys = load_private_keys(home, lab)
    signature = sign_submission(keys, lab, staged, name=target.name)
    size, digest = staged.stat().st_size, file_sha256(staged)
    staged.replace(target)
    kid = keys.public().sign_kid
    return Submitted(target, signature, size, digest, kid, dict(sorted(minimizer.changed.items())))
