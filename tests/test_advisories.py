"""Advisories: golden output per format, hostile lab strings stay inert, templates fail loudly.

Regenerate the golden files with `DTIX_UPDATE_GOLDEN=1 pytest tests/test_advisories.py`.
"""

import itertools
import os
import re
import shutil
import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import html5lib
import pytest
from jinja2.exceptions import SecurityError, UndefinedError
from markdown_it import MarkdownIt
from markdown_it.token import Token

from sharing.advisories import (
    FORMATS,
    AdvisoryFacts,
    AdvisoryIndicator,
    default_templates_dir,
    load_guidance,
    render_advisory,
)
from sharing.advisories.filters import clean, clip, md_cell, md_code, md_text
from sharing.errors import InputError
from sharing.tlp import TLP

GOLDEN = Path(__file__).parent / "golden"
SVG = "{http://www.w3.org/2000/svg}"
TECHNIQUES = {
    "account-farming",
    "proxy-hydra",
    "rate-limit-evasion",
    "cot-elicitation",
    "rubric-harvesting",
    "payment-fraud",
}
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


def _facts(**changes: object) -> AdvisoryFacts:
    """A fixed week: three labs of four reporting, two titled techniques and one untitled."""
    facts = AdvisoryFacts(
        title="Distillation campaigns, week 47",
        period_start=datetime(2026, 11, 16, tzinfo=UTC),
        period_end=datetime(2026, 11, 23, tzinfo=UTC),
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
    )
    return replace(facts, **changes)


def _hostile_facts() -> AdvisoryFacts:
    """Every hostile string as an indicator value and tag, and in type and technique names."""
    indicators = [
        AdvisoryIndicator("url", value, 2, 60, (value[:300], "cot-elicitation"), TLP.AMBER)
        for value in HOSTILE
    ]
    return _facts(
        title="Hostile values",
        by_type={"url": len(HOSTILE), "{{ 7*7 }}": 1},
        by_technique={"<script>alert(1)</script>": 1, "| a | b |": 2, "cot-elicitation": 5},
        indicators=indicators,
    )


def _html_errors(html: str) -> list[object]:
    """Parse errors html5lib reports in strict mode (it raises on the first)."""
    parser = html5lib.HTMLParser(strict=True)
    parser.parse(html)
    return list(parser.errors)


def _html_tree(html: str) -> ET.Element:
    """The parsed document; HTML elements unprefixed, SVG ones under the SVG namespace."""
    return html5lib.parse(html, treebuilder="etree", namespaceHTMLElements=False)


def _md_tables(markdown: str) -> list[list[list[str]]]:
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


@pytest.mark.parametrize("fmt", FORMATS)
def test_matches_golden_file(fmt: str) -> None:
    output = render_advisory(_facts(), fmt)
    golden = GOLDEN / f"advisory.{fmt}"
    if os.environ.get("DTIX_UPDATE_GOLDEN") == "1":
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(output, encoding="utf-8")
    assert output == golden.read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt", FORMATS)
def test_states_counts_guidance_indicators_and_bulletins(fmt: str) -> None:
    output = render_advisory(_facts(), fmt)
    for figure in ("24,180", "3,112", "1,406", "57", "21,000", "1,900", "640"):
        assert figure in output
    assert "3 of 4" in output
    assert "Account farming" in output and "Chain-of-thought elicitation" in output
    assert "Payment fraud" not in output  # guidance only for techniques observed
    assert "seat-sharing" in output
    assert "t13d1516h2_8daaf6152771_b0da82dd1658" in output
    assert "hub-anthropic-000042" in output and "hub-openai-000042" in output


@pytest.mark.parametrize("tlp", list(TLP))
@pytest.mark.parametrize("fmt", FORMATS)
def test_marks_every_level_at_top_and_bottom(fmt: str, tlp: TLP) -> None:
    indicator = AdvisoryIndicator("asn", "AS64500", 2, 80, ("proxy-hydra",), TLP.CLEAR)
    output = render_advisory(_facts(tlp=tlp, indicators=[indicator]), fmt)
    if fmt == "html":
        assert _html_errors(output) == []
        root = _html_tree(output)
        assert [el.text for el in root.iter("span") if el.get("class") == "tlp"] == [tlp.label] * 2
    else:
        lines = [line for line in output.splitlines() if line.strip()]
        assert tlp.label in lines[0] and tlp.label in lines[-1]


def test_html_is_self_contained_and_accessible() -> None:
    html = render_advisory(_facts(), "html")
    assert _html_errors(html) == []
    root = _html_tree(html)
    assert root.get("lang") == "en"
    assert not root.findall(".//script") and not root.findall(".//link")
    assert not re.search(r"\b(src|href)=|url\(|@import", html, re.IGNORECASE)
    assert root.findall(".//style") and root.findall(f".//{SVG}svg")
    assert [el.text for el in root.iter("span") if el.get("class") == "tlp"] == ["TLP:AMBER"] * 2
    levels = [int(el.tag[1]) for el in root.iter() if re.fullmatch(r"h[1-6]", str(el.tag))]
    assert levels[0] == 1
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels))
    headers = root.findall(".//th")
    assert headers and all(th.get("scope") in ("col", "row") for th in headers)


def test_html_chart_has_one_bar_per_technique_scaled_to_the_largest() -> None:
    root = _html_tree(render_advisory(_facts(), "html"))
    widths = [int(rect.get("width", "")) for rect in root.iter(f"{SVG}rect")]
    assert widths[0] == max(widths) and len(widths) == 3
    assert all(w > 0 for w in widths)


@pytest.mark.parametrize("fmt", FORMATS)
def test_hostile_values_are_inert(fmt: str) -> None:
    output = render_advisory(_hostile_facts(), fmt)
    assert "{{ 7*7 }}" in output and "{% for %}" in output
    assert "49" not in output
    assert LONG not in output and "A" * 200 + "…" in output
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f\u202e]", output)


def test_hostile_values_in_html_are_escaped_and_parse_strictly() -> None:
    html = render_advisory(_hostile_facts(), "html")
    assert "<script" not in html.lower() and "<img" not in html.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert _html_errors(html) == []
    root = _html_tree(html)
    assert not root.findall(".//script") and not root.findall(".//a")
    assert not root.findall(".//img")


def test_hostile_values_in_markdown_make_no_links_html_or_extra_columns() -> None:
    markdown = render_advisory(_hostile_facts(), "md")
    rendered = MarkdownIt("commonmark").enable("table").render(markdown)
    assert "<a " not in rendered and "<script" not in rendered and "<img" not in rendered
    assert rendered.count("<h1>") == 1
    tables = _md_tables(markdown)
    assert [len(table) for table in tables] == [4, 5, 2 + len(HOSTILE)]  # header, rule, rows
    for table in tables:
        assert len({len(row) for row in table}) == 1


def test_hostile_markdown_values_render_as_code_spans() -> None:
    markdown = render_advisory(_hostile_facts(), "md")
    tokens = MarkdownIt("commonmark").enable("table").parse(markdown)
    rows: list[list[Token]] = []
    row: list[Token] | None = None
    for token in tokens:
        if token.type == "tr_open":
            row = []
        elif token.type == "tr_close" and row is not None:
            rows.append(row)
            row = None
        elif token.type == "inline" and row is not None:
            row.append(token)
    indicator_rows = [row for row in rows if len(row) == 6][1:]
    assert len(indicator_rows) == len(HOSTILE)
    for row, value in zip(indicator_rows, HOSTILE, strict=True):
        children = row[1].children or []
        assert [child.type for child in children] == ["code_inline"]
        assert children[0].content == clip(value)


def test_text_lines_stay_short_and_plain() -> None:
    text = render_advisory(_hostile_facts(), "txt")
    assert max(len(line) for line in text.splitlines()) <= 220
    assert "\r" not in text and "\t" not in text
    assert text.startswith("TLP:AMBER\n") and text.rstrip().endswith("TLP:AMBER")


@pytest.mark.parametrize("fmt", FORMATS)
def test_renders_an_empty_period(fmt: str) -> None:
    empty = _facts(
        indicators_total=0,
        indicators_new=0,
        corroborated=0,
        quarantined=0,
        labs_reporting=0,
        by_type={},
        by_technique={},
        indicators=[],
        bulletins=[],
    )
    output = render_advisory(empty, fmt)
    assert "No indicators are attached" in output
    if fmt == "html":
        assert _html_errors(output) == []


def test_unknown_format_is_refused() -> None:
    with pytest.raises(InputError, match="pdf"):
        render_advisory(_facts(), "pdf")


def _copy_templates(tmp_path: Path) -> Path:
    """A private copy of templates/ that a test may break."""
    target = tmp_path / "templates"
    shutil.copytree(default_templates_dir(), target)
    return target


def test_missing_variable_is_an_error(tmp_path: Path) -> None:
    templates = _copy_templates(tmp_path)
    page = templates / "advisory.md.j2"
    page.write_text(page.read_text() + "{{ facts.no_such_field }}\n")
    with pytest.raises(InputError, match="no_such_field") as caught:
        render_advisory(_facts(), "md", templates_dir=templates)
    assert isinstance(caught.value.__cause__, UndefinedError)


@pytest.mark.parametrize(
    "snippet",
    ["{{ facts.__class__.__mro__ }}", "{{ facts.bulletins.append('x') }}"],
)
def test_templates_run_sandboxed(tmp_path: Path, snippet: str) -> None:
    templates = _copy_templates(tmp_path)
    (templates / "advisory.txt.j2").write_text(snippet)
    facts = _facts()
    with pytest.raises(InputError) as caught:
        render_advisory(facts, "txt", templates_dir=templates)
    assert isinstance(caught.value.__cause__, SecurityError)
    assert facts.bulletins == ["hub-anthropic-000042", "hub-openai-000042"]


def test_template_syntax_error_names_the_file_and_line(tmp_path: Path) -> None:
    templates = _copy_templates(tmp_path)
    (templates / "advisory.html.j2").write_text("<p>\n{% for %}\n")
    with pytest.raises(InputError, match=r"advisory\.html\.j2:2"):
        render_advisory(_facts(), "html", templates_dir=templates)


def test_guidance_covers_every_technique() -> None:
    guidance = load_guidance(default_templates_dir())
    assert set(guidance) == TECHNIQUES
    for technique, g in guidance.items():
        assert g.technique == technique and g.title and g.summary
        assert len(g.detection) >= 3 and len(g.mitigations) >= 3


GOOD_TOML = 'title = "T"\nsummary = "S"\ndetection = ["d"]\nmitigations = ["m"]\n'


@pytest.mark.parametrize(
    ("name", "body", "problem"),
    [
        ("proxy-hydra.toml", 'title = "T"\nsummary = \n', "line 2"),
        ("proxy-hydra.toml", 'title = "T"\ndetection = ["d"]\nmitigations = ["m"]\n', "summary"),
        ("proxy-hydra.toml", GOOD_TOML.replace('["d"]', '"d"'), "detection"),
        ("proxy-hydra.toml", GOOD_TOML.replace('["m"]', "[]"), "mitigations"),
        ("proxy-hydra.toml", GOOD_TOML.replace('["d"]', '["d", 3]'), "detection"),
        ("proxy-hydra.toml", GOOD_TOML + 'mitigation = ["typo"]\n', "mitigation"),
        ("Proxy Hydra.toml", GOOD_TOML, "file name"),
    ],
)
def test_malformed_guidance_names_file_and_problem(
    tmp_path: Path, name: str, body: str, problem: str
) -> None:
    folder = tmp_path / "guidance"
    folder.mkdir()
    (folder / name).write_text(body)
    with pytest.raises(InputError, match=re.escape(name)) as caught:
        load_guidance(tmp_path)
    assert problem in str(caught.value)


def test_malformed_guidance_stops_rendering(tmp_path: Path) -> None:
    templates = _copy_templates(tmp_path)
    (templates / "guidance" / "payment-fraud.toml").write_text("title = [\n")
    with pytest.raises(InputError, match=r"payment-fraud\.toml"):
        render_advisory(_facts(), "md", templates_dir=templates)


def test_facts_refuse_an_indicator_above_the_advisory_marking() -> None:
    secret = AdvisoryIndicator("ipv4", "192.0.2.1", 1, 50, (), TLP.RED)
    with pytest.raises(InputError, match="TLP:RED"):
        _facts(indicators=[secret])


def test_facts_refuse_a_reversed_period_and_negative_counts() -> None:
    with pytest.raises(InputError, match="period_start"):
        _facts(period_start=datetime(2026, 12, 1, tzinfo=UTC))
    with pytest.raises(InputError, match="quarantined"):
        _facts(quarantined=-1)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("plain", "`plain`"),
        ("a`b", "``a`b``"),
        ("`x`", "`` `x` ``"),
        ("a|b", "`a\\|b`"),
        ("", ""),
    ],
)
def test_md_cell(value: str, expected: str) -> None:
    assert md_cell(value) == expected


def test_md_text_and_clean() -> None:
    assert md_text("[x](y) *a* | <b> #1") == r"\[x\](y) \*a\* \| \<b\> \#1"
    assert md_text("1. not a list") == r"1\. not a list"
    assert md_text("- not a list") == r"\- not a list"
    assert md_code("a|b") == "`a|b`"
    assert clean("a\nb\x00c\u202ed\ufffe") == "a bcd"
