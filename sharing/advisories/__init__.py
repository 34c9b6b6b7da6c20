"""Best-practice advisories: counts for a period, guidance per technique, attached indicators.

Other code builds `AdvisoryFacts` from the store; `render_advisory` turns them into
Markdown, self-contained HTML or plain text for mail.
"""

from sharing.advisories.facts import AdvisoryFacts, AdvisoryIndicator
from sharing.advisories.guidance import Guidance, load_guidance
from sharing.advisories.render import FORMATS, default_templates_dir, render_advisory

__all__ = [
    "FORMATS",
    "AdvisoryFacts",
    "AdvisoryIndicator",
    "Guidance",
    "default_templates_dir",
    "load_guidance",
    "render_advisory",
]
