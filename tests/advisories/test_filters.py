"""The filters that make lab strings inert in Markdown and text, and format numbers."""

import pytest

from sharing.advisories.filters import clean, counted, md_cell, md_code, md_text


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


def test_counted_formats_pairs_and_cleans_names() -> None:
    assert counted([("asn", 1200), ("cidr\n", 3)]) == "asn 1,200, cidr  3"
    assert counted([]) == ""
