"""`dtix db upgrade | current | history`: the store's schema revisions."""

import typer
from sqlalchemy.engine import Engine

from sharing.cli.console import HomeOption, home_of, out, reports_errors
from sharing.errors import FederationError

db_app = typer.Typer(help="Show and upgrade the store's schema revision.", no_args_is_help=True)


@db_app.command("upgrade")
@reports_errors
def upgrade(home: HomeOption = None) -> None:
    """Bring the store to this dtix's newest schema revision (back it up first)."""
    from sharing.store.schema import HEAD_REVISION, upgrade_schema

    engine = _store_engine(home)
    try:
        done = upgrade_schema(engine)
    finally:
        engine.dispose()
    before = done.before
    if before.revision == HEAD_REVISION:
        out.print(f"the store is at {HEAD_REVISION}, the newest revision: nothing to do")
    elif before.revision is not None:
        out.print(f"upgraded the store from {before.revision} to {done.after}")
    elif before.unversioned_match is not None:
        then = (
            "" if before.unversioned_match == done.after else f", and upgraded it to {done.after}"
        )
        out.print(
            f"the store predates schema revisions and matches {before.unversioned_match}: "
            f"stamped it{then}"
        )
    else:
        out.print(f"created the store's schema at {done.after}")


@db_app.command("current")
@reports_errors
def current(home: HomeOption = None) -> None:
    """The store's schema revision, and whether it is this dtix's newest."""
    from sharing.store.schema import HEAD_REVISION, schema_state

    engine = _store_engine(home)
    try:
        state = schema_state(engine)
    finally:
        engine.dispose()
    if state.at_head:
        out.print(f"{state.revision} (head)")
    elif state.revision is not None:
        out.print(f"{state.revision} (the newest is {HEAD_REVISION}: run dtix db upgrade)")
    elif state.unversioned_match is not None:
        out.print(
            f"none: the store predates schema revisions and matches "
            f"{state.unversioned_match} (run dtix db upgrade)"
        )
    else:
        out.print("none: the store is empty (run dtix db upgrade)")


@db_app.command("history")
@reports_errors
def history(home: HomeOption = None) -> None:
    """Every schema revision this dtix knows, oldest first, marking the store's."""
    from sharing.store.schema import HEAD_REVISION, revision_history, schema_state

    engine = _store_engine(home)
    try:
        state = schema_state(engine)
    finally:
        engine.dispose()
    for revision in revision_history():
        marks = [
            mark
            for mark, applies in (
                ("head", revision.id == HEAD_REVISION),
                ("current", revision.id == state.revision),
            )
            if applies
        ]
        suffix = f" ({', '.join(marks)})" if marks else ""
        out.print(f"{revision.id}  {revision.title}{suffix}", highlight=False)


def _store_engine(home: HomeOption) -> Engine:
    """An engine on the federation's store; the federation must exist, so that a mistyped
    --home is not taken for an empty store."""
    from sharing.store.engine import make_engine

    where = home_of(home)
    if not where.federation_file.is_file():
        raise FederationError(
            f"no federation at {where.root} (missing {where.federation_file}); run 'dtix init'"
        )
    return make_engine(where.database_url)
