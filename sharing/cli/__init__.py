"""The `dtix` command. An entrypoint: it validates what a person typed, calls into
`sharing` (or runs a flow), and turns every dtix error into one line and a non-zero exit.

Each command group lives in its own module and attaches itself to `app` on import.
"""

from sharing.cli import exchange_commands, open_command  # noqa: F401  (they register commands)
from sharing.cli.app import app
from sharing.cli.audit_commands import audit_app

app.add_typer(audit_app, name="audit")

__all__ = ["app"]
