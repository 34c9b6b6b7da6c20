"""`dtix keys rotate | revoke | list | export-private`: the participants' key lifecycle."""

import sys
from typing import Annotated

import typer
from rich.table import Table

from sharing.cli.console import HomeOption, err, home_of, out, reports_errors
from sharing.clock import utcnow

keys_app = typer.Typer(help="Rotate, revoke, list and back up keys.", no_args_is_help=True)
_USES = ("sign", "encrypt", "log")


@keys_app.command("rotate")
@reports_errors
def rotate(
    as_: Annotated[str, typer.Option("--as", help="The participant whose keys to rotate.")],
    home: HomeOption = None,
    use: Annotated[
        list[str] | None,
        typer.Option(help="sign, encrypt or log (repeatable; default sign and encrypt)."),
    ] = None,
) -> None:
    """New keys for a participant; the old ones stay usable through the grace period."""
    from sharing.key_lifecycle import DEFAULT_USES, rotate_keys

    uses = tuple(use) if use else DEFAULT_USES
    if bad := [u for u in uses if u not in _USES]:
        raise typer.BadParameter(f"--use must be one of {', '.join(_USES)}, not {bad[0]!r}")
    for event in rotate_keys(home_of(home), as_, now=utcnow(), uses=uses):  # type: ignore[arg-type]
        out.print(
            f"{event.participant} {event.use} {event.alg}: {event.kid} -> {event.replaced_by}"
        )


@keys_app.command("revoke")
@reports_errors
def revoke(
    kid: Annotated[str, typer.Argument(help="The key id to revoke.")],
    home: HomeOption = None,
) -> None:
    """Revoke a key at once; an active key is replaced first."""
    from sharing.key_lifecycle import revoke_key

    for event in revoke_key(home_of(home), kid, now=utcnow()):
        successor = f" -> {event.replaced_by}" if event.replaced_by else ""
        out.print(f"{event.action} {event.participant} {event.use} {event.kid}{successor}")


@keys_app.command("list")
@reports_errors
def list_(home: HomeOption = None) -> None:
    """Every published key: owner, use, algorithm, kid, state and end of validity."""
    from sharing.federation import load_federation

    table = Table("participant", "use", "alg", "kid", "status", "created", "until")
    for p in load_federation(home_of(home)).participants.values():
        for key in p.keys:
            table.add_row(p.id, key.use, key.alg, key.kid, key.status, key.created, key.expires)
    out.print(table)


@keys_app.command("export-private")
@reports_errors
def export_private(
    as_: Annotated[str, typer.Option("--as", help="The participant whose keys to export.")],
    home: HomeOption = None,
    unencrypted: Annotated[
        bool, typer.Option(help="Write plain PKCS#8 instead of encrypting it under the passphrase.")
    ] = False,
) -> None:
    """PKCS#8 PEM of a participant's private keys on standard output, for backup."""
    from sharing.crypto.private_export import export_pkcs8
    from sharing.federation import load_federation
    from sharing.keyring import load_private_keys, read_passphrase

    where = home_of(home)
    load_federation(where).participant(as_)
    keys = load_private_keys(where, as_)
    passphrase = None if unencrypted else read_passphrase(where)
    if unencrypted:
        err.print("warning: writing private keys unencrypted", highlight=False)
    sys.stdout.write(export_pkcs8(keys, as_, passphrase))
