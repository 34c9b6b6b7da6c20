"""Publish the period's advisories: the hub's edition as files, and each lab's, sealed.

The hub's edition attaches indicators every lab may receive and is kept under
advisories/; a lab's edition attaches what that lab may receive and goes to its outbox,
sealed when it is marked above TLP:CLEAR, signed in clear otherwise. Every file written
is recorded in the audit log.
"""

import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path

from sharing.advisories import FORMATS, advisory_template_dirs, render_advisory
from sharing.advisories.browser import find_browser, html_to_pdf
from sharing.advisories.distribution import advisory_state, edition, sealed_header_hash
from sharing.advisories.envelope import advisory_payload, sign_advisory
from sharing.advisories.period_facts import advisory_facts
from sharing.advisories.sealing import advisory_stream, seal_advisory
from sharing.atomic_files import write_atomically
from sharing.audit.indicator_ids import attached_ids
from sharing.audit.log import append_entry
from sharing.clock import rfc3339
from sharing.encoding import canonical_json, sha256_hex
from sharing.exchange import Exchange
from sharing.tlp import TLP

__all__ = ["advisory_facts", "distribute_advisory", "publish_advisories"]

PUBLISHED_FORMATS = ("md", "html")
DAILY_FORMATS = ("md", "html", "txt", "pdf")
ADVISORY_VALIDITY = timedelta(days=30)


def publish_advisories(
    exchange: Exchange,
    *,
    now: datetime,
    period: timedelta,
    formats: Sequence[str] = PUBLISHED_FORMATS,
) -> list[Path]:
    """Render the hub's advisory for [now - period, now] in `formats`, write it, audit it.

    `pdf` among the formats is printed from the HTML when a browser is installed and
    skipped otherwise.
    """
    with exchange.session() as session:
        facts = advisory_facts(exchange, session, start=now - period, end=now)
    templates = advisory_template_dirs(exchange.home)
    texts = {fmt: render_advisory(facts, fmt, templates_dir=templates) for fmt in FORMATS}
    files = {fmt: texts[fmt].encode("utf-8") for fmt in formats if fmt in texts}
    browser = find_browser() if "pdf" in formats else None
    if browser is not None:
        files["pdf"] = html_to_pdf(texts["html"], browser=browser)
    folder = exchange.home.advisories_dir
    paths = []
    with exchange.session() as session:
        for fmt, data in files.items():
            path = folder / f"advisory-{now:%Y-%m-%d}.{fmt}"
            write_atomically(path, data)
            append_entry(
                session,
                actor=exchange.federation.hub.id,
                action="advisory-published",
                time=now,
                object_sha256=sha256_hex(data),
                recipients=[lab.id for lab in exchange.federation.labs],
                details={
                    "file": f"advisories/{path.name}",
                    "format": fmt,
                    "tlp": facts.tlp.value,
                    "period_start": rfc3339(facts.period_start),
                    "period_end": rfc3339(facts.period_end),
                    "indicators": attached_ids(facts.indicators),
                },
            )
            paths.append(path)
        session.commit()
    return paths


def distribute_advisory(
    exchange: Exchange, lab: str, *, now: datetime, period: timedelta
) -> Path | None:
    """Write `lab`'s advisory of the day to its outbox; None when today's is already there."""
    recipient = exchange.federation.lab(lab)
    day = edition(now)
    with exchange.session() as session:
        previous = advisory_state(session, lab)
        if previous.edition == day:
            return None
        facts = advisory_facts(exchange, session, start=now - period, end=now, recipient=recipient)
        templates = advisory_template_dirs(exchange.home)
        documents = {fmt: render_advisory(facts, fmt, templates_dir=templates) for fmt in FORMATS}
        id = str(uuid.uuid4())
        payload = advisory_payload(facts, documents, id=id, audience=[lab], issued=now)
        envelope = sign_advisory(payload, exchange.hub_keys().sign)
        details: dict[str, object] = {"edition": day, "tlp": facts.tlp.value, "id": id}
        if facts.tlp is TLP.CLEAR:
            data = canonical_json(envelope)
        else:
            seq = previous.seq + 1
            data = seal_advisory(
                envelope,
                id=id,
                recipient=recipient,
                seq=seq,
                prev=previous.header_hash,
                issued=now,
                expires=now + ADVISORY_VALIDITY,
                sender=exchange.hub_keys(),
            )
            details |= {
                "stream": advisory_stream(lab),
                "seq": seq,
                "header_hash": sealed_header_hash(data),
            }
        path = exchange.home.outbox(lab) / f"advisory-{day}.dtix.json"
        write_atomically(path, data)
        details["file"] = f"outbox/{lab}/{path.name}"
        append_entry(
            session,
            actor=exchange.federation.hub.id,
            action="advisory-published",
            time=now,
            object_sha256=sha256_hex(data),
            recipients=[lab],
            details={**details, "indicators": attached_ids(facts.indicators)},
        )
        session.commit()
    return path
