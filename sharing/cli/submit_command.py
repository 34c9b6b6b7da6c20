"""`dtix submit FILE --as LAB`: a lab signs a submission and drops it in the hub's inbox."""

from pathlib import Path
from typing import Annotated

import typer

from sharing.cli.app import app
from sharing.cli.console import HomeOption, home_of, out, reports_errors


@app.command("submit")
@reports_errors
def submit(
    file: Annotated[Path, typer.Argument(help="A JSON Lines submission.")],
    as_: Annotated[str, typer.Option("--as", help="The submitting lab.")],
    home: HomeOption = None,
) -> None:
    """Hash FILE's personal data, sign it as LAB (FILE.sig) and drop both in the hub inbox."""
    from sharing.submitting import submit_file

    done = submit_file(home_of(home), as_, file)
    out.print(
        f"submitted {done.path} ({done.size:,} bytes, sha256 {done.sha256[:16]}…), "
        f"signed by {done.kid} in {done.signature.name}",
        highlight=False,
    )
    for raw_type, count in done.minimized.items():
        out.print(f"hashed {count:,} {raw_type} record(s) with the federation secret")
