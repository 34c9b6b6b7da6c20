"""The `dtix` command. An entrypoint: it validates what a person typed, calls into
`sharing` (or runs a flow), and turns every dtix error into one line and a non-zero exit.

Each command group lives in its own module and attaches itself to `app` on import.
"""

from sharing.cli import (  # noqa: F401  (they register commands)
    advise_command,
    audit_report_commands,
    exchange_commands,
    export_command,
    open_command,
    review_command,
    submit_command,
    taxii_commands,
)
from sharing.cli.app import app
from sharing.cli.audit_commands import audit_app
from sharing.cli.db_commands import db_app
from sharing.cli.indicators_commands import indicators_app
from sharing.cli.keys_commands import keys_app

app.add_typer(audit_app, name="audit")
app.add_typer(db_app, name="db")
app.add_typer(indicators_app, name="indicators")
app.add_typer(keys_app, name="keys")

__all__ = ["app"]
