"""The federation secret: the HMAC key every lab hashes personal data with, so the same
email gives the same email_hash at every lab, and no one without it can test a guess.

It lives in a file readable by its owner only, `keys/federation-secret` under the home
(64 hex characters), or wherever DTIX_FEDERATION_SECRET_FILE points; never on a command
line. The labs share it out of band; the hub needs it only where it also submits.
"""

import os
import secrets
from pathlib import Path

from sharing.errors import FederationError
from sharing.home import Home

SECRET_FILE_ENV = "DTIX_FEDERATION_SECRET_FILE"


def secret_path(home: Home) -> Path:
    override = os.environ.get(SECRET_FILE_ENV)
    return Path(override) if override else home.keys_dir / "federation-secret"


def create_federation_secret(home: Home) -> Path:
    """Write a fresh 32-byte secret (owner-only) unless one is already there."""
    path = secret_path(home)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_hex(32) + "\n")
    return path


def load_federation_secret(home: Home) -> bytes:
    """The secret's 32 bytes; a FederationError saying where it was looked for."""
    path = secret_path(home)
    try:
        text = path.read_text("utf-8").strip()
    except OSError:
        raise FederationError(
            f"no federation secret at {path} (set {SECRET_FILE_ENV} or ask the federation)"
        ) from None
    try:
        secret = bytes.fromhex(text)
    except ValueError:
        secret = b""
    if len(secret) != 32:
        raise FederationError(f"{path}: the federation secret must be 64 hex characters")
    return secret
