"""Lab-supplied strings (values, tags, type and technique names) stay inert in every format:
no markup runs, no template syntax evaluates, no link forms, no layout breaks."""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token

from sharing.advisories import FORMATS, AdvisoryIndicator, render_advisory
from sharing.advisories.filters import clip
from sharing.tlp import TLP
from tests.advisories.samples import (
    HOSTILE,
    LONG,
    facts,
    hostile_facts,
    html_errors,
    html_tree,
    md_tables,
)


@pytest.mark.parametrize("fmt", FORMATS)
def test_hostile_values_are_inert(fmt: str) -> None:
    output = render_advisory(hostile_facts(), fmt)
    assert "{{ 7*7 }}" in output and "{% for %}" in output
    assert "49" not in output
    assert LONG not in output and "A" * 200 + "…" in output
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f\u202e]", output)


def test_hostile_values_in_html_are_escaped_and_parse_strictly() -> None:
    html = render_advisory(hostile_facts(), "html")
    assert "<script" not in html.lower() and "<img" not in html.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert html_errors(html) == []
    root = html_tree(html)
    assert not root.findall(".//script") and not root.findall(".//a")
    assert not root.findall(".//img")


def test_hostile_technique_names_stay_text_in_the_svg_charts() -> None:
    html = render_advisory(hostile_facts(), "html")
    root = html_tree(html)
    svg = "{http://www.w3.org/2000/svg}"
    labels = [el.text or "" for el in root.iter(f"{svg}text")]
    assert "<script>alert(1)</script>" in labels
    assert max(len(label) for label in labels) <= 31  # clipped: the chart keeps its layout
    assert not list(root.iter(f"{svg}script")) and not list(root.iter(f"{svg}foreignObject"))


def test_hostile_values_in_markdown_make_no_links_html_or_extra_columns() -> None:
    markdown = render_advisory(hostile_facts(), "md")
    rendered = MarkdownIt("commonmark").enable("table").render(markdown)
    assert "<a " not in rendered and "<script" not in rendered and "<img" not in rendered
    assert rendered.count("<h1>") == 1
    tables = md_tables(markdown)
    assert [len(table) for table in tables] == [4, 7, 2 + len(HOSTILE)]  # header, rule, rows
    for table in tables:
        assert len({len(row) for row in table}) == 1


def test_hostile_markdown_values_render_as_code_spans() -> None:
    markdown = render_advisory(hostile_facts(), "md")
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
    text = render_advisory(hostile_facts(), "txt")
    assert max(len(line) for line in text.splitlines()) <= 220
    assert "\r" not in text and "\t" not in text
    assert text.startswith("TLP:AMBER\n") and text.rstrip().endswith("TLP:AMBER")


@settings(max_examples=40, deadline=None)
@given(value=st.text(max_size=300), tag=st.text(max_size=40))
def test_any_lab_string_is_inert_in_html_and_markdown(value: str, tag: str) -> None:
    indicator = AdvisoryIndicator("url", value, 2, 60, (tag,), TLP.AMBER)
    sample = facts(indicators=[indicator], by_technique={tag or "x": 1}, activity={}, timeline=None)
    html = render_advisory(sample, "html")
    assert html_errors(html) == []
    root = html_tree(html)
    assert not root.findall(".//script") and not root.findall(".//a")
    markdown = render_advisory(sample, "md")
    rendered = MarkdownIt("commonmark").enable("table").render(markdown)
    assert "<a " not in rendered and "<img" not in rendered and rendered.count("<h1>") == 1
    for table in md_tables(markdown):
        assert len({len(row) for row in table}) == 1
