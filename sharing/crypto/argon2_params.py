"""Argon2id cost for keys at rest, checked so that a hostile file cannot ask for absurd values."""

from dataclasses import dataclass

from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

_MAX_MEMORY_KIB = 4 * 1024 * 1024


@dataclass(frozen=True)
class Argon2Params:
    """Argon2id cost; the defaults follow RFC 9106's second recommended option (64 MiB)."""

    memory_cost: int = 65536  # KiB
    iterations: int = 3
    lanes: int = 4

    def problem(self) -> str | None:
        """Why these parameters are unusable (or absurd enough to be an attack), else None."""
        values = (self.memory_cost, self.iterations, self.lanes)
        if any(type(v) is not int for v in values):
            return "Argon2id parameters must be integers"
        if not (1 <= self.lanes <= 64 and 1 <= self.iterations <= 64):
            return "Argon2id lanes and iterations must be between 1 and 64"
        if not 8 * self.lanes <= self.memory_cost <= _MAX_MEMORY_KIB:
            return f"Argon2id memory_cost must be between 8*lanes and {_MAX_MEMORY_KIB} KiB"
        return None

    def as_dict(self) -> dict[str, int]:
        return {"memory_cost": self.memory_cost, "iterations": self.iterations, "lanes": self.lanes}


def derive_key(passphrase: bytes, salt: bytes, params: Argon2Params) -> bytes:
    """The 32-byte AES key Argon2id derives from `passphrase` and `salt`."""
    kdf = Argon2id(
        salt=salt,
        length=32,
        iterations=params.iterations,
        lanes=params.lanes,
        memory_cost=params.memory_cost,
    )
    return kdf.derive(passphrase)
