"""Seal and open one large bulletin: a ~100 MB body of indicators to 50 recipients.

Usage: .venv/bin/python bench/seal.py [--mb 100] [--recipients 50] [--pq]
Prints wall time (best of --runs) and peak memory (tracemalloc, in a separate run, as a
multiple of the body size) for sealing, for opening (decrypt and verify), and for
parsing the opened body. Asserts nothing.
"""

import argparse
import time
import tracemalloc
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson

from sharing.crypto import GENESIS_PREV, SenderKeys, generate_keys, open_bulletin, seal_bulletin
from sharing.crypto.bulletin import check_inner

NOW = datetime(2026, 11, 23, 10, 0, 0, tzinfo=UTC)


def make_body(megabytes: float) -> bytes:
    """A bulletin body shaped like the hub's, with enough indicators to reach the size."""
    item = {
        "campaign": "hydra-2026-11",
        "confidence": 80,
        "corroborated": True,
        "first_seen": "2026-11-20T10:00:00Z",
        "labs": 2,
        "last_seen": "2026-11-22T10:00:00Z",
        "reported_by_you": False,
        "sources": [],
        "tags": ["account-farming", "proxy-hydra"],
        "tlp": "amber",
        "type": "account_hash",
        "valid_until": "2026-12-22T10:00:00Z",
    }
    one = len(orjson.dumps({**item, "value": "0" * 64})) + 1
    count = int(megabytes * 1_000_000 / one)
    indicators = [{**item, "value": f"{i:064x}"} for i in range(count)]
    head = {"audience": ["lab"], "id": "b-1", "seq": 1, "stream": "lab", "tlp": "amber"}
    return orjson.dumps({**head, "indicators": indicators}, option=orjson.OPT_SORT_KEYS)


def best_time(runs: int, action: Callable[[], Any]) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(runs):
        start = time.perf_counter()
        result = action()
        best = min(best, time.perf_counter() - start)
    return best, result


def peak(action: Callable[[], Any], held: int = 0) -> int:
    """Peak bytes allocated while `action` runs, beyond `held` bytes it was given."""
    tracemalloc.start()
    action()
    top = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return top - held


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mb", type=float, default=100)
    parser.add_argument("--recipients", type=int, default=50)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--pq", action="store_true", help="the post-quantum suite")
    args = parser.parse_args()
    hub = generate_keys(log=True, pq=args.pq)
    labs = [generate_keys(pq=args.pq) for _ in range(args.recipients)]
    body = make_body(args.mb)
    size = len(body)
    recipients = {lab.public().encrypt_kid: lab.public().encrypt for lab in labs}
    public = hub.public()
    trusted = {public.sign_kid: SenderKeys(public.sign, public.pq_sign)}

    def seal() -> bytes:
        return seal_bulletin(
            id="b-1", stream="lab", seq=1, prev=GENESIS_PREV, issued=NOW,
            expires=NOW + timedelta(days=7), body=body, sender=hub, recipients=recipients,
            check_body=False,
        )  # fmt: skip

    seal_s, data = best_time(args.runs, seal)
    reader = labs[args.recipients // 2].decryption_keys()

    def open_() -> Any:
        return open_bulletin(
            data, recipient_keys=reader, trusted_senders=trusted, now=NOW, check_body=False
        )

    open_s, opened = best_time(args.runs, open_)
    parse_s, _ = best_time(1, lambda: check_inner(opened.body, opened.header, ValueError))
    assert_same = opened.body == body
    seal_peak = peak(seal)
    open_peak = peak(open_)
    suite = "HPKE-MLKEM768X25519-SHA256-AES256GCM" if args.pq else "HPKE-X25519-SHA256-AES256GCM"
    print(f"suite {suite}, {args.recipients} recipients, body {size / 1e6:.1f} MB")
    print(f"  file    {len(data) / 1e6:7.1f} MB ({len(data) / size:.2f}x body)")
    print(f"  seal    {seal_s:7.3f} s   peak {seal_peak / 1e6:7.1f} MB ({seal_peak / size:.2f}x)")
    print(f"  open    {open_s:7.3f} s   peak {open_peak / 1e6:7.1f} MB ({open_peak / size:.2f}x)")
    print(f"  parse   {parse_s:7.3f} s   (the receiver's JSON parse of the opened body)")
    print(f"  opened body identical: {assert_same}")


if __name__ == "__main__":
    main()
