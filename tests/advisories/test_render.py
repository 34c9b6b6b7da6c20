"""Rendering advisories: golden output per format, what each format states, the HTML's
self-containment and charts, and templates that fail loudly.

Regenerate the golden files deliberately with
`DTIX_UPDATE_GOLDEN=1 pytest tests/advisories/test_render.py -k golden`, then review the diff.
"""

import itertools
import os
import re
from pathlib import Path

import pytest

from sharing.advisories import FORMATS, render_advisory
from sharing.errors import InputError
from sharing.tlp import TLP
from tests.advisories.samples import SVG, facts, html_errors, html_tree, short_guidance

GOLDEN = Path(__file__).parents[1] / "golden"


@pytest.mark.parametrize("fmt", FORMATS)
def test_matches_golden_file(fmt: str, tmp_path: Path) -> None:
    output = render_advisory(facts(), fmt, templates_dir=short_guidance(tmp_path))
    golden = GOLDEN / f"advisory.{fmt}"
    if os.environ.get("DTIX_UPDATE_GOLDEN") == "1":
        golden.write_text(output, encoding="utf-8")
    assert output == golden.read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt", FORMATS)
def test_states_counts_trends_corroboration_guidance_and_bulletins(fmt: str) -> None:
    output = render_advisory(facts(), fmt)
    for figure in ("24,180", "3,112", "1,406", "57", "21,000", "1,900", "640", "2,900"):
        assert figure in output
    assert "3 of 4" in output and "up 20% from 17,500" in output and "down 20% from 800" in output
    assert "up 20% from 20,150" in output  # the whole period against the one before
    assert "reported by 3 of 4 labs" in output
    assert "Account farming" in output and "Chain-of-thought elicitation" in output
    assert "Payment fraud" not in output  # guidance only for techniques observed
    assert "seat-sharing" in output
    assert "t13d1516h2_8daaf6152771_b0da82dd1658" in output
    assert "hub-anthropic-000042" in output and "hub-openai-000042" in output


@pytest.mark.parametrize("fmt", ["md", "txt"])
def test_text_formats_show_a_sparkline_per_technique(fmt: str) -> None:
    output = render_advisory(facts(), fmt)
    assert "▇██" in output  # account farming: 18,000, 20,500, 21,000
    assert "▁██" in output  # seat-sharing: 0, 3, 3


@pytest.mark.parametrize("tlp", list(TLP))
@pytest.mark.parametrize("fmt", FORMATS)
def test_marks_every_level_at_top_and_bottom(fmt: str, tlp: TLP) -> None:
    output = render_advisory(facts(tlp=tlp, indicators=[]), fmt)
    if fmt == "html":
        assert html_errors(output) == []
        root = html_tree(output)
        assert [el.text for el in root.iter("span") if el.get("class") == "tlp"] == [tlp.label] * 2
    else:
        lines = [line for line in output.splitlines() if line.strip()]
        assert tlp.label in lines[0] and tlp.label in lines[-1]


def test_html_is_self_contained_and_accessible() -> None:
    html = render_advisory(facts(), "html")
    assert html_errors(html) == []
    root = html_tree(html)
    assert root.get("lang") == "en"
    assert not root.findall(".//script") and not root.findall(".//link")
    assert not re.search(r"\b(src|href)=|url\(|@import", html, re.IGNORECASE)
    assert root.findall(".//style") and len(root.findall(f".//{SVG}svg")) == 2
    assert all(svg.find(f"{SVG}title") is not None for svg in root.iter(f"{SVG}svg"))
    levels = [int(el.tag[1]) for el in root.iter() if re.fullmatch(r"h[1-6]", str(el.tag))]
    assert levels[0] == 1
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels))
    headers = root.findall(".//th")
    assert headers and all(th.get("scope") in ("col", "row") for th in headers)


def test_html_bar_chart_has_one_bar_per_technique_scaled_to_the_largest() -> None:
    root = html_tree(render_advisory(facts(), "html"))
    widths = [int(rect.get("width", "")) for rect in root.iter(f"{SVG}rect")]
    assert widths[0] == max(widths) and len(widths) == 3
    assert all(w > 0 for w in widths)


def test_html_timeline_draws_a_line_per_technique_over_the_days() -> None:
    root = html_tree(render_advisory(facts(), "html"))
    lines = list(root.iter(f"{SVG}polyline"))
    assert len(lines) == 3
    points = [
        [tuple(map(float, p.split(","))) for p in line.get("points", "").split()] for line in lines
    ]
    assert all(len(series) == 3 for series in points)  # one point per day
    farming = points[0]
    assert farming[0][1] > farming[1][1] > farming[2][1]  # rising: smaller y is higher
    assert len({line.get("stroke") for line in lines}) == 3
    days = [
        el.text for el in root.iter(f"{SVG}text") if el.text and re.fullmatch(r"\d\d-\d\d", el.text)
    ]
    assert days == ["11-20", "11-21", "11-22"]
    table = root.find(".//details/table")
    assert table is not None and len(table.findall("./tbody/tr")) == 3


@pytest.mark.parametrize("fmt", FORMATS)
def test_renders_an_empty_period(fmt: str) -> None:
    empty = facts(
        indicators_total=0,
        indicators_new=0,
        corroborated=0,
        quarantined=0,
        labs_reporting=0,
        by_type={},
        by_technique={},
        indicators=[],
        bulletins=[],
        activity={},
        timeline=None,
        indicators_previous=0,
    )
    output = render_advisory(empty, fmt)
    assert "No indicators are attached" in output and "none in the previous period" in output
    if fmt == "html":
        assert html_errors(output) == [] and "<svg" not in output


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_focused_advisory_names_its_technique(fmt: str) -> None:
    output = render_advisory(facts(focus="cot-elicitation"), fmt)
    assert "Technique:" in output and "cot-elicitation" in output


def test_unknown_format_is_refused() -> None:
    with pytest.raises(InputError, match="pdf"):
        render_advisory(facts(), "pdf")
