"""Render the oversight report: one self-contained HTML file (inline CSS, inline SVG).

The template is templates/audit/report.html.j2, rendered with autoescaping and strict
undefined variables: every value from the log is escaped, so an entry cannot inject markup.
"""

from datetime import datetime
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from sharing.advisories.template_dirs import default_templates_dir
from sharing.audit.report import ReportFacts, gather
from sharing.audit.report_chart import indicators_chart
from sharing.clock import rfc3339
from sharing.exchange import Exchange
from sharing.tlp import TLP

TEMPLATE = "audit/report.html.j2"
TLP_ORDER = [t.value for t in TLP]


def render_report(facts: ReportFacts, *, generated: datetime) -> str:
    """The report as HTML text."""
    env = Environment(
        loader=FileSystemLoader(default_templates_dir()),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    labs = sorted(facts.labs.values(), key=lambda lab: lab.lab)
    tlp_seen = [t for t in TLP_ORDER if facts.tlp[t]] + sorted(set(facts.tlp) - set(TLP_ORDER))
    return env.get_template(TEMPLATE).render(
        facts=facts,
        labs=labs,
        chart=indicators_chart({lab.lab: lab.per_day for lab in labs}),
        tlp_levels=tlp_seen,
        tlp_total=sum(facts.tlp.values()),
        generated=rfc3339(generated),
    )


def write_report(exchange: Exchange, path: Path, *, now: datetime) -> ReportFacts:
    """Gather the facts up to the latest checkpoint and write the report to `path`."""
    with exchange.session() as session:
        facts = gather(session, exchange.federation)
    html = render_report(facts, generated=now)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(html, "utf-8")
    tmp.replace(path)
    return facts
