"""Render an advisory from Jinja templates as Markdown, self-contained HTML or mail text.

Templates are operator-editable, so they always run sandboxed with strict undefined
variables; a broken template is reported as an InputError naming it. Several template
folders may be given: the first that has a file wins (an operator's folder before ours).
"""

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from jinja2 import (
    FileSystemLoader,
    StrictUndefined,
    TemplateError,
    TemplateNotFound,
    TemplatesNotFound,
    TemplateSyntaxError,
    select_autoescape,
)
from jinja2.sandbox import ImmutableSandboxedEnvironment, SandboxedEnvironment

from sharing.advisories import filters
from sharing.advisories.facts import AdvisoryFacts
from sharing.advisories.guidance import load_guidance
from sharing.advisories.template_dirs import default_templates_dir
from sharing.advisories.view import advisory_context
from sharing.errors import InputError

FORMATS = ("md", "html", "txt")

_COMMON: dict[str, Callable[..., Any]] = {
    "clip": filters.clip,
    "utc": filters.utc,
    "iso": filters.iso,
    "num": filters.count,
    "counted": filters.counted,
}
# Filters that return Markup are registered only where that Markup is safe to print as is.
_PER_FORMAT: dict[str, dict[str, Callable[..., Any]]] = {
    "md": {"code": filters.md_code, "cell": filters.md_cell},
    "html": {},
    "txt": {"wrap": filters.text_wrap},
}


def environment(templates_dir: Path | Sequence[Path], fmt: str) -> SandboxedEnvironment:
    """A sandboxed, strict environment: HTML autoescaped, Markdown escaped on output."""
    env = ImmutableSandboxedEnvironment(
        loader=FileSystemLoader(_folders(templates_dir)),
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


def render_advisory(
    facts: AdvisoryFacts, fmt: str, *, templates_dir: Path | Sequence[Path] | None = None
) -> str:
    """The advisory for `facts` in `fmt` (md, html or txt) from `templates_dir`."""
    if fmt not in FORMATS:
        raise InputError(f"unknown advisory format {fmt!r} (expected one of {', '.join(FORMATS)})")
    folders = _folders(templates_dir if templates_dir is not None else default_templates_dir())
    context = advisory_context(facts, load_guidance(folders))
    name = f"advisory.{fmt}.j2"
    where = str(folders[0] / name)
    try:
        return environment(folders, fmt).get_template(name).render(context)
    except TemplateSyntaxError as exc:
        raise InputError(f"{exc.filename or where}:{exc.lineno}: {exc.message}") from exc
    except (TemplateNotFound, TemplatesNotFound) as exc:
        raise InputError(f"{folders[0]}: no template {exc.name}") from exc
    except TemplateError as exc:
        raise InputError(f"{where}: {exc}") from exc


def _folders(templates_dir: Path | Sequence[Path]) -> list[Path]:
    if isinstance(templates_dir, str | Path):
        return [Path(templates_dir)]
    return [Path(folder) for folder in templates_dir]
