"""`dtix taxii serve | token issue | token revoke | token list | pull`: TAXII 2.1 at the hub."""

from typing import Annotated

import typer
from rich.table import Table

from sharing.cli.app import app
from sharing.cli.console import HomeOption, err, home_of, out, reports_errors
from sharing.clock import rfc3339, utcnow

taxii_app = typer.Typer(help="The hub's TAXII 2.1 server and collector.", no_args_is_help=True)
token_app = typer.Typer(help="Issue, revoke and list the labs' API tokens.", no_args_is_help=True)
taxii_app.add_typer(token_app, name="token")
app.add_typer(taxii_app, name="taxii")


@taxii_app.command("serve")
@reports_errors
def serve(
    home: HomeOption = None,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 9000,
) -> None:
    """Serve TAXII 2.1 over the hub's store until interrupted (put TLS in front of it)."""
    import uvicorn

    from sharing.taxii.app import taxii_app as build

    app = build(home_of(home).root)
    out.print(f"TAXII 2.1 discovery at http://{host}:{port}/taxii2/", highlight=False)
    uvicorn.run(app, host=host, port=port, log_level="info", proxy_headers=True)


@token_app.command("issue")
@reports_errors
def issue(
    for_: Annotated[str, typer.Option("--for", help="The lab the token is for.")],
    home: HomeOption = None,
) -> None:
    """A new API token for a lab, printed once: the hub keeps only its hash."""
    from sharing.exchange import Exchange
    from sharing.taxii.tokens import issue_token

    now = utcnow()
    issued = issue_token(Exchange.open(home_of(home).root, now=now), for_, now=now)
    err.print(f"token {issued.ref} for {issued.participant} (shown once; keep it secret):")
    print(issued.token)


@token_app.command("revoke")
@reports_errors
def revoke(
    ref: Annotated[str | None, typer.Argument(help="The token's ref (from 'token list').")] = None,
    for_: Annotated[
        str | None, typer.Option("--for", help="Revoke every live token of this lab.")
    ] = None,
    home: HomeOption = None,
) -> None:
    """Revoke one token by its ref, or every token of a lab; the server refuses it at once."""
    from sharing.exchange import Exchange
    from sharing.taxii.tokens import revoke_tokens

    now = utcnow()
    exchange = Exchange.open(home_of(home).root, now=now)
    revoked = revoke_tokens(exchange, ref=ref, lab=for_, now=now)
    for token in revoked:
        out.print(f"revoked {token.ref} of {token.participant}")
    if not revoked:
        out.print("no live token to revoke")


@token_app.command("list")
@reports_errors
def list_(home: HomeOption = None) -> None:
    """Every token issued: its ref, lab, and when it was issued and revoked."""
    from sharing.exchange import Exchange
    from sharing.taxii.tokens import list_tokens

    now = utcnow()
    table = Table("ref", "participant", "created", "revoked")
    for token in list_tokens(Exchange.open(home_of(home).root, now=now)):
        revoked = rfc3339(token.revoked) if token.revoked else ""
        table.add_row(token.ref, token.participant, rfc3339(token.created), revoked)
    out.print(table)


@taxii_app.command("pull")
@reports_errors
def pull(
    home: HomeOption = None,
    lab: Annotated[str | None, typer.Option(help="Pull this lab only.")] = None,
) -> None:
    """Pull what is new from the labs' TAXII servers ([taxii_sources] in federation.toml)
    into their inboxes; `dtix collect` then takes it in."""
    from sharing.exchange import Exchange
    from sharing.taxii.pull import pull_source
    from sharing.taxii.sources import taxii_sources

    now = utcnow()
    exchange = Exchange.open(home_of(home).root, now=now)
    sources = taxii_sources(exchange.home, exchange.federation)
    if lab is not None:
        exchange.federation.lab(lab)
        sources = {lab: sources[lab]} if lab in sources else {}
    if not sources:
        out.print("no TAXII source to pull ([taxii_sources.<lab>] in federation.toml)")
    for source in sources.values():
        report = pull_source(exchange, source, now=now)
        names = ", ".join(p.name for p in report.files) or "nothing new"
        out.print(f"{report.lab}: {report.objects:,} objects from {source.url}: {names}")
