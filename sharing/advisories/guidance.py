"""Best-practice guidance per technique, kept as data in templates/guidance/<technique>.toml.

The hub edits the advice without touching code; a file that does not have the expected
shape is refused with its name and the problem, never rendered half-way.
"""

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sharing.errors import InputError

TECHNIQUE = re.compile(r"^[a-z][a-z0-9-]{0,62}$")
_TEXT_KEYS = ("title", "summary")
_LIST_KEYS = ("detection", "mitigations")


@dataclass(frozen=True)
class Guidance:
    """What a lab's trust-and-safety lead should know, look for and do about one technique."""

    technique: str
    title: str
    summary: str
    detection: tuple[str, ...]
    mitigations: tuple[str, ...]


def load_guidance(templates_dir: Path) -> dict[str, Guidance]:
    """Every `guidance/*.toml` under `templates_dir`, keyed by technique (the file's stem)."""
    folder = Path(templates_dir) / "guidance"
    if not folder.is_dir():
        raise InputError(f"{folder}: no guidance folder")
    return {path.stem: _load_one(path) for path in sorted(folder.glob("*.toml"))}


def _load_one(path: Path) -> Guidance:
    if not TECHNIQUE.match(path.stem):
        raise InputError(f"{path}: the file name must be a technique such as account-farming")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise InputError(f"{path}: {exc}") from None
    problem = _shape_problem(data)
    if problem:
        raise InputError(f"{path}: {problem}")
    return Guidance(
        technique=path.stem,
        title=data["title"].strip(),
        summary=" ".join(data["summary"].split()),
        detection=tuple(" ".join(item.split()) for item in data["detection"]),
        mitigations=tuple(" ".join(item.split()) for item in data["mitigations"]),
    )


def _shape_problem(data: dict[str, Any]) -> str | None:
    """What is wrong with a parsed guidance file, or None when it has the expected shape."""
    unknown = sorted(set(data) - set(_TEXT_KEYS) - set(_LIST_KEYS))
    if unknown:
        return f"unknown key(s) {', '.join(unknown)}"
    for key in _TEXT_KEYS:
        if not isinstance(data.get(key), str) or not data[key].strip():
            return f"{key!r} must be a non-empty string"
    for key in _LIST_KEYS:
        items = data.get(key)
        if not isinstance(items, list) or not items:
            return f"{key!r} must be a non-empty list of strings"
        if not all(isinstance(item, str) and item.strip() for item in items):
            return f"every item of {key!r} must be a non-empty string"
    return None
