"""Time advisories on a synthetic campaign: facts from the store, rendering per format,
PDF (when Chromium is installed), each lab's sealed edition, and opening one.

Usage: .venv/bin/python bench/advisories.py [--scale 0.01]. Prints figures; asserts nothing.
"""

import argparse
import os
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from sharing.advisories import FORMATS, render_advisory
from sharing.advisories.browser import find_browser, html_to_pdf
from sharing.advisories.opening import open_advisory
from sharing.advisories.period_facts import advisory_facts
from sharing.clock import utcnow
from sharing.collect import collect_lab
from sharing.crypto.keystore import Argon2Params
from sharing.demo import synthesize_feeds
from sharing.exchange import Exchange
from sharing.founding import found_federation
from sharing.home import Home
from sharing.publishing import distribute_advisory

WEEK = timedelta(days=7)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=float, default=0.01)
    args = parser.parse_args()
    os.environ.setdefault("DTIX_PASSPHRASE", "bench")
    with tempfile.TemporaryDirectory() as tmp:
        home = Home(Path(tmp) / "fed")
        now = utcnow()
        found_federation(
            home, now=now, argon2=Argon2Params(memory_cost=1024, iterations=1, lanes=1)
        )
        synthesize_feeds(home, scale=args.scale, seed=7, now=now)
        exchange = Exchange.open(home.root, now=now)
        for lab in exchange.federation.labs:
            collect_lab(exchange, lab.id, now=now)
        t = time.perf_counter()
        with exchange.session() as session:
            facts = advisory_facts(exchange, session, start=now - WEEK, end=now)
        lap("facts (7 days)", t, f"{facts.indicators_total:,} indicators")
        for fmt in FORMATS:
            t = time.perf_counter()
            text = render_advisory(facts, fmt)
            lap(f"render {fmt}", t, f"{len(text.encode()):,} bytes")
        browser = find_browser()
        if browser:
            t = time.perf_counter()
            pdf = html_to_pdf(render_advisory(facts, "html"), browser=browser)
            lap("pdf (chromium)", t, f"{len(pdf):,} bytes")
        else:
            print("pdf: skipped, no Chromium installed")
        paths = []
        for lab in exchange.federation.labs:
            t = time.perf_counter()
            path = distribute_advisory(exchange, lab.id, now=now, period=WEEK)
            if path is not None:
                paths.append(path)
                lap(f"edition {lab.id}", t, f"{path.stat().st_size:,} bytes")
        t = time.perf_counter()
        opened = open_advisory(home, paths[0].parent.name, paths[0].read_bytes(), now=now)
        lap("open (lab side)", t, f"{len(opened.indicators)} indicators, {opened.tlp.label}")


def lap(stage: str, start: float, what: str) -> None:
    print(f"{stage:18} {time.perf_counter() - start:8.3f} s   {what}")


if __name__ == "__main__":
    main()
