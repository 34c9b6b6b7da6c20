"""Errors a user can cause. Each carries a message that says what was wrong and where.

The CLI prints them as one line and exits non-zero; anything else is a bug.
"""


class DtixError(Exception):
    """Base of every error a user can cause."""


class FederationError(DtixError):
    """The federation home or federation.toml is missing or malformed."""


class PassphraseError(DtixError):
    """A private key could not be unlocked (no passphrase, or the wrong one)."""


class InputError(DtixError):
    """A file given to dtix is unreadable or malformed."""


class BulletinRejected(DtixError):
    """A bulletin failed a check: tampered, not for us, replayed, out of order or expired."""


class AuditError(DtixError):
    """The audit log or one of its checkpoints does not verify."""
