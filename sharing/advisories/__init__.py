"""Best-practice advisories: counts for a period, guidance per technique, attached indicators.

`period_facts.advisory_facts` reads `AdvisoryFacts` from the store; `render_advisory` turns
them into Markdown, self-contained HTML or plain text for mail (`browser` prints PDF);
`envelope` and `sealing` make a lab's signed or sealed edition, `opening` reads it back.
docs/advisories.md describes the whole.
"""

from sharing.advisories.facts import AdvisoryFacts, AdvisoryIndicator, TechniqueActivity
from sharing.advisories.guidance import Guidance, load_guidance
from sharing.advisories.period import Period, parse_period
from sharing.advisories.render import FORMATS, render_advisory
from sharing.advisories.template_dirs import advisory_template_dirs, default_templates_dir
from sharing.advisories.timeline import Timeline, active_timeline

__all__ = [
    "FORMATS",
    "AdvisoryFacts",
    "AdvisoryIndicator",
    "Guidance",
    "Period",
    "TechniqueActivity",
    "Timeline",
    "active_timeline",
    "advisory_template_dirs",
    "default_templates_dir",
    "load_guidance",
    "parse_period",
    "render_advisory",
]
