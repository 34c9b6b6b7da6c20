"""The lab's side of the audit log: keep the latest checkpoint seen, refuse a rewritten log.

Every bulletin carries the hub's latest signed checkpoint and a consistency proof from the
one the lab saw before (sharing.audit.bulletin_log). The lab checks the signature with the
hub's log keys from federation.toml, checks the proof, and only then accepts the
bulletin; the checkpoint is saved atomically beside the receiver's stream state.
"""

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from sharing.atomic_files import write_atomically
from sharing.audit.log_keys import trusted_log_keys
from sharing.audit.note import parse_checkpoint, verify_note
from sharing.audit.proofs import verify_consistency
from sharing.errors import AuditError, BulletinRejected, InputError
from sharing.federation import Federation
from sharing.home import Home


@dataclass(frozen=True)
class SeenCheckpoint:
    """A checkpoint of the hub's log that this lab has checked and accepted."""

    origin: str
    size: int
    root: str  # hex
    note: str


def seen_path(home: Home, lab: str) -> Path:
    """Where `lab` keeps the latest checkpoint it has seen (beside its stream state)."""
    return home.receiver_state(lab).with_name(f"{lab}.checkpoint.json")


def load_seen(path: Path) -> SeenCheckpoint | None:
    if not path.exists():
        return None
    try:
        seen = SeenCheckpoint(**json.loads(path.read_text("utf-8")))
        if type(seen.size) is not int or len(bytes.fromhex(seen.root)) != 32:
            raise ValueError("size or root is malformed")
        return seen
    except (ValueError, TypeError) as exc:
        raise InputError(f"{path}: saved audit checkpoint is unreadable ({exc})") from None


def save_seen(path: Path, seen: SeenCheckpoint) -> None:
    write_atomically(path, json.dumps(asdict(seen), indent=2, sort_keys=True).encode("utf-8"))


def checked_checkpoint(federation: Federation, note: object) -> SeenCheckpoint:
    """The checkpoint in `note` after checking its signature (a current or retired log key
    of the hub) and its origin."""
    if not isinstance(note, str):
        raise BulletinRejected("malformed: the audit checkpoint is not a string")
    try:
        body = verify_note(note, federation.origin, trusted_log_keys(federation.hub))
        origin, size, root = parse_checkpoint(body)
    except AuditError as exc:
        raise BulletinRejected(f"the audit checkpoint does not verify: {exc}") from None
    if origin != federation.origin:
        raise BulletinRejected(f"the audit checkpoint is for {origin!r}, not {federation.origin!r}")
    return SeenCheckpoint(origin, size, root.hex(), note)


def _proof(consistency: Any) -> tuple[int, list[bytes]]:
    try:
        old_size, proof = consistency["old_size"], consistency["proof"]
        if type(old_size) is not int or not isinstance(proof, list):
            raise TypeError
        return old_size, [bytes.fromhex(h) for h in proof]
    except (KeyError, TypeError, ValueError):
        raise BulletinRejected("malformed: the audit consistency proof") from None


def check_growth(
    seen: SeenCheckpoint, new: SeenCheckpoint, consistency: Any, *, gap: bool = False
) -> None:
    """Refuse `new` unless the log it signs extends the one `seen` signed."""
    rewritten = f"the hub's audit log was rewritten: the checkpoint of size {new.size}"
    if new.size < seen.size:
        raise BulletinRejected(f"{rewritten} is smaller than size {seen.size} seen before")
    if new.size == seen.size:
        if new.root != seen.root:
            raise BulletinRejected(f"{rewritten} has another root than the one seen before")
        return
    if consistency is None:
        raise BulletinRejected(
            f"the bulletin carries no consistency proof from size {seen.size} seen before"
        )
    old_size, proof = _proof(consistency)
    if old_size != seen.size and gap:
        return
    if old_size != seen.size:
        raise BulletinRejected(
            f"cannot check the audit log: the bulletin proves from size {old_size}, but the "
            f"last checkpoint seen has size {seen.size} (the hub can give the proof with "
            f"`dtix audit consistency --from {seen.size} --to {new.size}`)"
        )
    old, root = bytes.fromhex(seen.root), bytes.fromhex(new.root)
    if not verify_consistency(seen.size, new.size, old, root, proof):
        raise BulletinRejected(f"{rewritten} is not consistent with size {seen.size} seen before")


def witness_log(
    home: Home, lab: str, federation: Federation, body: dict[str, Any], *, gap: bool = False
) -> SeenCheckpoint | None:
    """Check the checkpoint a bulletin's body carries against the last one `lab` saw and
    save it; BulletinRejected if the log was rewritten. None when the body has none.

    With `gap` (the lab chose to accept bulletins it never received), a proof that starts
    from a checkpoint the lab never saw cannot be checked; the signed checkpoint is then
    accepted if it is not smaller, and the receipt tells the hub which one it was."""
    path, section = seen_path(home, lab), body.get("log")
    seen = load_seen(path)
    if section is None:
        if seen is not None:
            raise BulletinRejected(
                f"the bulletin carries no audit checkpoint (size {seen.size} was seen before)"
            )
        return None
    if not isinstance(section, dict):
        raise BulletinRejected("malformed: the bulletin's audit log section")
    new = checked_checkpoint(federation, section.get("checkpoint"))
    if seen is not None:
        check_growth(seen, new, section.get("consistency"), gap=gap)
    save_seen(path, new)
    return new
