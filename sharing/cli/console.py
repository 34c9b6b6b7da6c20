"""What every `dtix` command shares: the consoles, the --home option, and one-line errors."""

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.markup import escape

from sharing.errors import DtixError
from sharing.home import Home, resolve_home

err = Console(stderr=True, soft_wrap=True)
out = Console(soft_wrap=True)

HomeOption = Annotated[
    Path | None,
    typer.Option(
        "--home", help="Federation folder (default: $DTIX_HOME, else ./.dtix).", show_default=False
    ),
]
F = TypeVar("F", bound=Callable[..., Any])


def reports_errors(command: F) -> F:
    """Print a user-caused error as one line, without a traceback, and exit 1."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except DtixError as exc:
            err.print(f"[bold red]dtix: error:[/] {escape(str(exc))}", highlight=False)
            raise typer.Exit(1) from None
        except OSError as exc:
            err.print(
                f"[bold red]dtix: error:[/] {exc.strerror or exc}: {exc.filename or ''}",
                highlight=False,
            )
            raise typer.Exit(1) from None

    return wrapper  # type: ignore[return-value]


def home_of(home: Path | None) -> Home:
    return Home(resolve_home(home))


def split_list(text: str) -> tuple[str, ...]:
    """The items of a comma-separated option, without blanks."""
    return tuple(part.strip() for part in text.split(",") if part.strip())
