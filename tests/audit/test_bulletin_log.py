"""What the log records of each bulletin, and the log section each bulletin's body shows
its lab: the latest checkpoint, with a proof from the one the previous bulletin showed."""

import base64
import hashlib

from sharing.audit.indicator_ids import indicator_id
from sharing.audit.note import parse_checkpoint
from sharing.audit.proofs import verify_consistency
from sharing.audit.reading import read_entries
from sharing.crypto.bulletin_file import parse_file
from sharing.exchange import Exchange
from sharing.receiver import receive_bulletin
from tests.audit.runs import at, run_once


def _issued(exchange: Exchange) -> list[dict]:  # type: ignore[type-arg]
    with exchange.session() as session:
        return [e["details"] for e in read_entries(session, actions=["bulletin-issued"])]


def test_issued_entries_bind_the_bulletin_and_name_its_indicators(hub_home) -> None:  # type: ignore[no-untyped-def]
    [path] = run_once(hub_home, 0)
    exchange = Exchange.open(hub_home.root, now=at(0))
    [details] = _issued(exchange)
    data = path.read_bytes()
    parsed = parse_file(data)
    text = data[parsed.start : parsed.end].decode()
    ciphertext = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    assert details["ciphertext_sha256"] == hashlib.sha256(ciphertext).hexdigest()
    assert (details["stream"], details["seq"], details["id"]) == ("openai", 1, parsed.header["id"])
    assert details["indicators"] == [indicator_id("domain", "farm0.proxyhydra.net")]
    assert details["tlp_counts"] == {details["tlp"]: 1}
    assert details["checkpoint"] is None  # no checkpoint existed before the first run
    with exchange.session() as session:
        [entry] = read_entries(session, actions=["bulletin-issued"])
    assert entry["object_sha256"] == hashlib.sha256(data).hexdigest()
    assert entry["recipients"] == ["openai"]


def test_each_bulletin_shows_the_latest_checkpoint_and_proves_from_the_previous(hub_home) -> None:  # type: ignore[no-untyped-def]
    paths = [p for n in range(3) for p in run_once(hub_home, n)]
    first, second, third = _issued(Exchange.open(hub_home.root, now=at(3)))
    bodies = [receive_bulletin(hub_home, "openai", p.read_bytes(), now=at(3)).body for p in paths]
    assert first["checkpoint"] is None and bodies[0]["log"] is None
    shown = [parse_checkpoint(b["log"]["checkpoint"].split("\n\n")[0] + "\n") for b in bodies[1:]]
    assert [(size, root.hex()) for _, size, root in shown] == [
        (second["checkpoint"]["size"], second["checkpoint"]["root"]),
        (third["checkpoint"]["size"], third["checkpoint"]["root"]),
    ]
    assert bodies[1]["log"]["consistency"] is None  # the first bulletin showed none
    proof = bodies[2]["log"]["consistency"]
    old, new = second["checkpoint"], third["checkpoint"]
    assert proof["old_size"] == old["size"]
    hashes = [bytes.fromhex(h) for h in proof["proof"]]
    roots = bytes.fromhex(old["root"]), bytes.fromhex(new["root"])
    assert verify_consistency(old["size"], new["size"], *roots, hashes)


def test_a_stream_without_bulletins_yet_gets_no_proof(hub_home) -> None:  # type: ignore[no-untyped-def]
    from sharing.audit.bulletin_log import log_section

    run_once(hub_home, 0)
    exchange = Exchange.open(hub_home.root, now=at(1))
    section = log_section(exchange, "anthropic", "some-id")
    assert section is not None and section["consistency"] is None
    assert section["checkpoint"].startswith(exchange.federation.origin + "\n")
    assert exchange.carried_checkpoints["some-id"]["size"] > 0
