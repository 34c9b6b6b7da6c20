"""Facts, guidance and parsers the advisory tests share: a fixed week, hostile lab strings."""

import re
import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import html5lib

from sharing.advisories import (
    AdvisoryFacts,
    AdvisoryIndicator,
    TechniqueActivity,
    Timeline,
    default_templates_dir,
)
from sharing.tlp import TLP

SVG = "{http://www.w3.org/2000/svg}"
LONG = "A" * 10_000
HOSTILE = [
    "<script>alert(1)</script>",
    "[x](javascript:alert(1))",
    "{{ 7*7 }}",
    "{% for %}",
    "| a | b |",
    LONG,
    "http://evil.example/login",
    "<img src=x onerror=alert(1)>",
    "`code` **bold** # heading",
    "line one\nline two\r\x1b[31mred\x00\u202egnp.exe",
]
START = datetime(2026, 11, 20, tzinfo=UTC)


def facts(**changes: object) -> AdvisoryFacts:
    """Three days: three labs of four reporting, two guided techniques and one unguided."""
    base = AdvisoryFacts(
        title="Distillation campaigns, week 47",
        period_start=START,
        period_end=START + timedelta(days=3),
        generated=datetime(2026, 11, 23, 10, 0, tzinfo=UTC),
        tlp=TLP.AMBER,
        labs_participating=4,
        labs_reporting=3,
        indicators_total=24_180,
        indicators_new=3_112,
        corroborated=1_406,
        quarantined=57,
        by_type={"account_hash": 21_000, "payment_fingerprint": 1_900, "tls_fingerprint": 12},
        by_technique={"account-farming": 21_000, "cot-elicitation": 640, "seat-sharing": 3},
        indicators=[
            AdvisoryIndicator(
                "tls_fingerprint",
                "t13d1516h2_8daaf6152771_b0da82dd1658",
                3,
                90,
                ("account-farming", "proxy-hydra"),
                TLP.GREEN,
            ),
            AdvisoryIndicator(
                "prompt_fingerprint",
                "pf1:9c2e|step-by-step",
                2,
                75,
                ("cot-elicitation",),
                TLP.AMBER,
            ),
        ],
        bulletins=["hub-anthropic-000042", "hub-openai-000042"],
        activity={
            "account-farming": TechniqueActivity(
                21_000, 17_500, 2_900, 1_200, 3, {"account_hash": 20_000, "tls_fingerprint": 12}
            ),
            "cot-elicitation": TechniqueActivity(640, 800, 40, 200, 2, {"prompt_fingerprint": 640}),
        },
        indicators_previous=20_150,
        timeline=Timeline(
            START,
            timedelta(days=1),
            {
                "account-farming": (18_000, 20_500, 21_000),
                "cot-elicitation": (600, 640, 320),
                "seat-sharing": (0, 3, 3),
            },
        ),
    )
    return replace(base, **changes)


def hostile_facts() -> AdvisoryFacts:
    """Every hostile string as an indicator value and tag, and in type and technique names."""
    indicators = [
        AdvisoryIndicator("url", value, 2, 60, (value[:300], "cot-elicitation"), TLP.AMBER)
        for value in HOSTILE
    ]
    names = ["<script>alert(1)</script>", "| a | b |", "{{ 7*7 }}", LONG]
    return facts(
        title="Hostile values",
        by_type={"url": len(HOSTILE), "{{ 7*7 }}": 1},
        by_technique={**{name: 1 for name in names}, "cot-elicitation": 5},
        indicators=indicators,
        activity={"cot-elicitation": TechniqueActivity(5, 1, 1, 1, 2, {"{{ 7*7 }}": 5})},
        timeline=Timeline(START, timedelta(days=1), {name: (1, 0, 1) for name in names}),
    )


GUIDANCE = """title = "{title}"
summary = "What {title} is, in one line."
detection = ["Look for {title}."]
mitigations = ["Stop {title}."]
indicator_types = ["account_hash"]
"""


def short_guidance(root: Path) -> list[Path]:
    """Template folders whose first holds one-line guidance for the sample techniques, so that
    golden files test the templates, not the prose analysts improve."""
    folder = root / "operator" / "guidance"
    folder.mkdir(parents=True)
    for technique, title in (("account-farming", "Farming"), ("cot-elicitation", "Eliciting")):
        (folder / f"{technique}.toml").write_text(GUIDANCE.format(title=title))
    return [root / "operator", default_templates_dir()]


def html_errors(html: str) -> list[object]:
    """Parse errors html5lib reports in strict mode (it raises on the first)."""
    parser = html5lib.HTMLParser(strict=True)
    parser.parse(html)
    return list(parser.errors)


def html_tree(html: str) -> ET.Element:
    """The parsed document; HTML elements unprefixed, SVG ones under the SVG namespace."""
    return html5lib.parse(html, treebuilder="etree", namespaceHTMLElements=False)


def md_tables(markdown: str) -> list[list[list[str]]]:
    """Each Markdown table as rows of cells, split at unescaped pipes as GFM splits them."""
    tables: list[list[list[str]]] = []
    in_table = False
    for line in markdown.splitlines():
        if line.startswith("|"):
            if not in_table:
                tables.append([])
            tables[-1].append(re.split(r"(?<!\\)\|", line.strip())[1:-1])
        in_table = line.startswith("|")
    return tables
