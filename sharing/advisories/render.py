"""Render an advisory from Jinja templates as Markdown, self-contained HTML or mail text.

Templates are operator-editable, so they always run sandboxed with strict undefined
variables; a broken template is reported as an InputError naming it.
"""

from collections.abc import Callable
from pathlib import Path
from typing import Any

from jinja2 import (
    FileSystemLoader,
    StrictUndefined,
    TemplateError,
    TemplateNotFound,
    TemplateSyntaxError,
    select_autoescape,
)
from jinja2.sandbox import ImmutableSandboxedEnvironment, SandboxedEnvironment

from sharing.advisories import filters
from sharing.advisories.facts import AdvisoryFacts
from sharing.advisories.guidance import load_guidance
from sharing.advisories.view import advisory_context
from sharing.errors import InputError

FORMATS = ("md", "html", "txt")

_COMMON: dict[str, Callable[..., Any]] = {
    "clip": filters.clip,
    "utc": filters.utc,
    "iso": filters.iso,
    "num": filters.count,
}
# Filters that return Markup are registered only where that Markup is safe to print as is.
_PER_FORMAT: dict[str, dict[str, Callable[..., Any]]] = {
    "md": {"code": filters.md_code, "cell": filters.md_cell},
    "html": {},
    "txt": {"wrap": filters.text_wrap},
}


def default_templates_dir() -> Path:
    """The repository's top-level `templates/` folder."""
    return Path(__file__).resolve().parents[2] / "templates"


def environment(templates_dir: Path, fmt: str) -> SandboxedEnvironment:
    """A sandboxed, strict environment: HTML autoescaped, Markdown escaped on output."""
    env = ImmutableSandboxedEnvironment(
        loader=FileSystemLoader(templates_dir),
        autoescape=select_autoescape(("html", "htm", "html.j2"), default_for_string=False),
        undefined=StrictUndefined,
        finalize=filters.finalize_md if fmt == "md" else filters.finalize_clean,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(_COMMON)
    env.filters.update(_PER_FORMAT[fmt])
    return env


def render_advisory(facts: AdvisoryFacts, fmt: str, *, templates_dir: Path | None = None) -> str:
    """The advisory for `facts` in `fmt` (md, html or txt) from `templates_dir`."""
    if fmt not in FORMATS:
        raise InputError(f"unknown advisory format {fmt!r} (expected one of {', '.join(FORMATS)})")
    folder = Path(templates_dir) if templates_dir is not None else default_templates_dir()
    context = advisory_context(facts, load_guidance(folder))
    name = f"advisory.{fmt}.j2"
    try:
        return environment(folder, fmt).get_template(name).render(context)
    except TemplateSyntaxError as exc:
        where = exc.filename or str(folder / name)
        raise InputError(f"{where}:{exc.lineno}: {exc.message}") from exc
    except TemplateNotFound as exc:
        raise InputError(f"{folder}: no template {exc.name}") from exc
    except TemplateError as exc:
        raise InputError(f"{folder / name}: {exc}") from exc
