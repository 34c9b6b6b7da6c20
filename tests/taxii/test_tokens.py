"""API tokens: printed once, kept as a hash, revoked by ref or by lab, each step audited;
and `dtix taxii token issue | list | revoke` on the command line."""

import hashlib

import pytest
from sqlmodel import select
from typer.testing import CliRunner

from sharing.audit.reading import read_entries
from sharing.cli import app
from sharing.errors import FederationError, InputError
from sharing.exchange import Exchange
from sharing.store.taxii_tables import ApiToken
from sharing.taxii.tokens import issue_token, list_tokens, revoke_tokens, token_holder
from tests.conftest import NOW

runner = CliRunner()


def _audited(exchange: Exchange) -> list[tuple[str, str, list[str], str]]:
    actions = ["taxii-token-issued", "taxii-token-revoked"]
    with exchange.session() as session:
        entries = list(read_entries(session, actions=actions))
    return [
        (e["action"], e["details"]["ref"], e["recipients"], e["object_sha256"]) for e in entries
    ]


def test_a_token_is_kept_only_as_its_hash_and_audited(hub_home) -> None:  # type: ignore[no-untyped-def]
    exchange = Exchange.open(hub_home.root, now=NOW)
    issued = issue_token(exchange, "openai", now=NOW)
    digest = hashlib.sha256(issued.token.encode()).hexdigest()
    assert len(issued.token) >= 43 and issued.ref == digest[:12]
    with exchange.session() as session:
        [row] = session.exec(select(ApiToken)).all()
    assert (row.sha256, row.participant, row.revoked) == (digest, "openai", None)
    database = hub_home.root / "dtix.db"  # on SQLite: the token is nowhere in the file
    assert not database.exists() or issued.token.encode() not in database.read_bytes()
    assert token_holder(exchange, issued.token) == "openai"
    assert token_holder(exchange, issued.token + "x") is None
    assert _audited(exchange) == [("taxii-token-issued", issued.ref, ["openai"], digest)]


def test_revoking_by_ref_or_by_lab(hub_home) -> None:  # type: ignore[no-untyped-def]
    exchange = Exchange.open(hub_home.root, now=NOW)
    one, two = (issue_token(exchange, "openai", now=NOW) for _ in range(2))
    other = issue_token(exchange, "google", now=NOW)
    [revoked] = revoke_tokens(exchange, ref=one.ref, now=NOW)
    assert (revoked.ref, revoked.revoked) == (one.ref, NOW)
    assert token_holder(exchange, one.token) is None
    assert token_holder(exchange, two.token) == "openai"
    assert [t.ref for t in revoke_tokens(exchange, lab="openai", now=NOW)] == [two.ref]
    assert token_holder(exchange, two.token) is None
    assert token_holder(exchange, other.token) == "google"
    assert [t.ref for t in list_tokens(exchange) if t.revoked is None] == [other.ref]
    revoked_refs = [ref for action, ref, *_ in _audited(exchange) if action.endswith("revoked")]
    assert revoked_refs == [one.ref, two.ref]


def test_tokens_are_for_labs_and_refs_must_name_one_token(home) -> None:  # type: ignore[no-untyped-def]
    exchange = Exchange.open(home.root, now=NOW)
    with pytest.raises(FederationError, match="is the hub"):
        issue_token(exchange, "hub", now=NOW)
    with pytest.raises(FederationError, match="unknown participant"):
        issue_token(exchange, "mistral", now=NOW)
    with pytest.raises(InputError, match="at least 8"):
        revoke_tokens(exchange, ref="abc", now=NOW)
    with pytest.raises(InputError, match="no live token"):
        revoke_tokens(exchange, ref="0123456789ab", now=NOW)
    with pytest.raises(InputError, match="either"):
        revoke_tokens(exchange, ref="0123456789ab", lab="openai", now=NOW)


def test_the_token_commands(home) -> None:  # type: ignore[no-untyped-def]
    where = ["--home", str(home.root)]
    issued = runner.invoke(app, ["taxii", "token", "issue", "--for", "google", *where])
    assert issued.exit_code == 0, issued.output
    token = issued.stdout.strip().splitlines()[-1]
    exchange = Exchange.open(home.root, now=NOW)
    assert token_holder(exchange, token) == "google"
    ref = hashlib.sha256(token.encode()).hexdigest()[:12]
    listed = runner.invoke(app, ["taxii", "token", "list", *where])
    assert listed.exit_code == 0 and ref in listed.output and token not in listed.output
    revoked = runner.invoke(app, ["taxii", "token", "revoke", ref, *where])
    assert revoked.exit_code == 0 and f"revoked {ref} of google" in revoked.output
    assert token_holder(exchange, token) is None
    again = runner.invoke(app, ["taxii", "token", "revoke", "--for", "google", *where])
    assert again.exit_code == 0 and "no live token" in again.output
    hub = runner.invoke(app, ["taxii", "token", "issue", "--for", "hub", *where])
    assert hub.exit_code == 1 and "is the hub, not a lab" in hub.output
