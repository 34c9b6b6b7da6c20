"""Best-practice guidance per technique, kept as data in templates/guidance/<technique>.toml.

The hub edits the advice without touching code; a file that does not have the expected
shape is refused with its name and the problem, never rendered half-way. An operator's
folder listed first replaces the shipped file of the same technique or adds a new one.
"""

import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sharing.errors import InputError
from sharing.indicators import CATALOGUE

TECHNIQUE = re.compile(r"^[a-z][a-z0-9-]{0,62}$")
_TEXT_KEYS = ("title", "summary")
_LIST_KEYS = ("detection", "mitigations")
_OPTIONAL_LIST_KEYS = ("indicator_types",)


@dataclass(frozen=True)
class Guidance:
    """What a lab's trust-and-safety lead should know, look for and do about one technique.

    `indicator_types` names the exchanged types that evidence the technique (may be empty).
    """

    technique: str
    title: str
    summary: str
    detection: tuple[str, ...]
    mitigations: tuple[str, ...]
    indicator_types: tuple[str, ...] = ()


def load_guidance(templates_dir: Path | Sequence[Path]) -> dict[str, Guidance]:
    """Every `guidance/*.toml` under the folder(s), keyed by technique (the file's stem).

    With several folders, the first that has a technique's file wins; one at least must
    have a guidance folder.
    """
    folders = [templates_dir] if isinstance(templates_dir, str | Path) else list(templates_dir)
    guidance = [Path(templates) / "guidance" for templates in folders]
    if not any(folder.is_dir() for folder in guidance):
        raise InputError(f"{guidance[0]}: no guidance folder")
    found: dict[str, Guidance] = {}
    for folder in reversed(guidance):
        found.update({path.stem: _load_one(path) for path in sorted(folder.glob("*.toml"))})
    return dict(sorted(found.items()))


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
        indicator_types=tuple(data.get("indicator_types", ())),
    )


def _shape_problem(data: dict[str, Any]) -> str | None:
    """What is wrong with a parsed guidance file, or None when it has the expected shape."""
    unknown = sorted(set(data) - {*_TEXT_KEYS, *_LIST_KEYS, *_OPTIONAL_LIST_KEYS})
    if unknown:
        return f"unknown key(s) {', '.join(unknown)}"
    for key in _TEXT_KEYS:
        if not isinstance(data.get(key), str) or not data[key].strip():
            return f"{key!r} must be a non-empty string"
    for key in (*_LIST_KEYS, *(k for k in _OPTIONAL_LIST_KEYS if k in data)):
        items = data.get(key)
        if not isinstance(items, list) or not items:
            return f"{key!r} must be a non-empty list of strings"
        if not all(isinstance(item, str) and item.strip() for item in items):
            return f"every item of {key!r} must be a non-empty string"
    strange = [t for t in data.get("indicator_types", ()) if t not in CATALOGUE]
    if strange:
        return f"'indicator_types' names unknown type(s) {', '.join(strange)}"
    return None
