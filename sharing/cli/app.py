"""The root `dtix` Typer application; command modules attach themselves to it."""

import typer

app = typer.Typer(
    help="dtix: the Distillation Threat Intelligence eXchange.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
