"""Labs sign what they submit: a detached DSSE envelope (Ed25519) in a sidecar file.

`<name>.sig` beside `<name>` holds a DSSE envelope whose payload is the RFC 8785 JSON of
{"lab", "file", "size", "sha256"}: it binds the lab, the file's name, its size and its
SHA-256 (files may be gigabytes, so the file itself is never encoded). The hub checks it
with `verify_submission`; in strict mode (federation.toml `strict_submissions = true`) an
unsigned submission is refused too. docs/keys.md describes it for outsiders.
"""

import hashlib
import json
import os
from datetime import datetime
from pathlib import Path

from sharing.crypto import ParticipantKeys, sign_envelope, verify_envelope
from sharing.encoding import canonical_json
from sharing.errors import BulletinRejected, DtixError
from sharing.federation import Federation
from sharing.hub_trust import lab_signing_keys

PAYLOAD_TYPE = "application/vnd.dtix.submission+json"
SIDECAR_SUFFIX = ".sig"
_CHUNK = 1 << 20


class SubmissionRefused(DtixError):
    """A submission is unsigned in strict mode, or its signature does not hold; says why."""


def sidecar_path(path: Path) -> Path:
    """Where the signature of `path` lives: the same name with `.sig` appended."""
    return path.with_name(path.name + SIDECAR_SUFFIX)


def file_sha256(path: Path) -> str:
    """Hex SHA-256 of a file, read in chunks (submissions may be gigabytes)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def statement(lab: str, name: str, size: int, sha256: str) -> bytes:
    """The signed payload: what is submitted, by whom."""
    return canonical_json({"lab": lab, "file": name, "size": size, "sha256": sha256})


def sign_submission(
    keys: ParticipantKeys, lab: str, path: Path, *, name: str | None = None
) -> Path:
    """Write the sidecar for `path` (to be submitted as `name`); returns the sidecar's path."""
    name = name or path.name
    payload = statement(lab, name, path.stat().st_size, file_sha256(path))
    kid = keys.public().sign_kid
    envelope = sign_envelope(PAYLOAD_TYPE, payload, keys.sign, kid)
    sidecar = sidecar_path(path.with_name(name))
    tmp = sidecar.with_name(f".{sidecar.name}.tmp")
    tmp.write_text(json.dumps(envelope, indent=2) + "\n", "utf-8")
    os.replace(tmp, sidecar)
    return sidecar


def verify_submission(
    federation: Federation,
    lab: str,
    path: Path,
    sha256: str,
    *,
    strict: bool,
    now: datetime | None = None,
) -> str | None:
    """The signer's kid; None if unsigned and not `strict`; SubmissionRefused otherwise.

    `sha256` is the hex digest the hub computed of the bytes it stored.
    """
    sidecar = sidecar_path(path)
    where = f"submission {path.name} from '{lab}'"
    if not sidecar.is_file():
        if strict:
            raise SubmissionRefused(f"{where}: unsigned (strict mode needs {sidecar.name})")
        return None
    participant = federation.lab(lab)
    try:
        envelope = json.loads(sidecar.read_bytes())
    except (ValueError, OSError) as exc:
        raise SubmissionRefused(f"{where}: {sidecar.name} is not JSON ({exc})") from None
    for entry in envelope.get("signatures", []) if isinstance(envelope, dict) else []:
        record = participant.key(entry.get("keyid")) if isinstance(entry, dict) else None
        if record is not None and record.status == "revoked":
            raise SubmissionRefused(f"{where}: signed by revoked key {record.kid}")
    trusted = lab_signing_keys(participant, now)
    try:
        payload_type, payload, kid = verify_envelope(envelope, trusted)
    except BulletinRejected as exc:
        raise SubmissionRefused(f"{where}: bad signature: {exc}") from None
    if payload_type != PAYLOAD_TYPE:
        raise SubmissionRefused(f"{where}: the signature is not for a submission")
    expected = statement(lab, path.name, path.stat().st_size, sha256)
    if payload != expected:
        raise SubmissionRefused(
            f"{where}: the signature is for another file (name, size or SHA-256 differ)"
        )
    return kid
