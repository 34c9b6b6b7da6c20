"""An advisory rendered on request (`dtix advise`): check what was asked, then render it.

Nothing is published or audited here: the hub's operator reads the result. A bad period,
technique, format or lab is an InputError naming it and what would be accepted.
"""

from datetime import datetime

from sharing.advisories.browser import find_browser, html_to_pdf
from sharing.advisories.guidance import load_guidance
from sharing.advisories.period import parse_period
from sharing.advisories.period_facts import TITLE, advisory_facts
from sharing.advisories.render import FORMATS, render_advisory
from sharing.advisories.template_dirs import advisory_template_dirs
from sharing.errors import DtixError, InputError
from sharing.exchange import Exchange

ON_DEMAND_FORMATS = (*FORMATS, "pdf")


def render_on_demand(
    exchange: Exchange,
    *,
    now: datetime,
    period: str = "7d",
    technique: str | None = None,
    fmt: str = "md",
    recipient: str | None = None,
) -> bytes:
    """The advisory for the `period` ending `now`, for `recipient`'s edition or the hub's."""
    length = parse_period(period)
    if fmt not in ON_DEMAND_FORMATS:
        raise InputError(
            f"unknown advisory format {fmt!r} (expected one of {', '.join(ON_DEMAND_FORMATS)})"
        )
    templates = advisory_template_dirs(exchange.home)
    guidance = load_guidance(templates)
    title = TITLE
    if technique is not None:
        if technique not in guidance:
            raise InputError(
                f"unknown technique {technique!r} (expected one of {', '.join(guidance)})"
            )
        title = f"{TITLE}: {guidance[technique].title}"
    lab = exchange.federation.lab(recipient) if recipient is not None else None
    browser = find_browser() if fmt == "pdf" else None
    if fmt == "pdf" and browser is None:
        raise DtixError("no browser to print PDF with: install chromium or set DTIX_CHROMIUM")
    with exchange.session() as session:
        facts = advisory_facts(
            exchange,
            session,
            start=now - length,
            end=now,
            technique=technique,
            recipient=lab,
            title=title,
        )
    html_or_text = render_advisory(facts, "html" if fmt == "pdf" else fmt, templates_dir=templates)
    if browser is not None:
        return html_to_pdf(html_or_text, browser=browser)
    return html_or_text.encode("utf-8")
