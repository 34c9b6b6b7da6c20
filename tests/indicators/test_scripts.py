"""The script check behind the homoglyph rule of domain names."""

import pytest

from sharing.indicators.scripts import look_alike_reason, script_of


@pytest.mark.parametrize(
    ("char", "script"),
    [
        ("a", "latin"),
        ("\u00fc", "latin"),
        ("\u0430", "cyrillic"),
        ("\u03bf", "greek"),
        ("\u4f8b", "han"),
        ("\u3005", "han"),
        ("\u3048", "hiragana"),
        ("\u30fc", "katakana"),
        ("\ud55c", "hangul"),
        ("7", None),
        ("-", None),
        ("\u0301", None),
    ],
)
def test_each_letter_has_a_script_and_digits_hyphens_and_marks_have_none(
    char: str, script: str | None
) -> None:
    assert script_of(char) == script


@pytest.mark.parametrize(
    "label", ["example", "b\u00fccher", "\u4f8b\u3048", "\u65e5\u672c\u30c9\u30e1", "r3---sn"]
)
def test_one_script_or_a_cjk_mix_is_not_a_look_alike(label: str) -> None:
    assert look_alike_reason(label) is None


@pytest.mark.parametrize(
    ("label", "reason"),
    [
        ("p\u0430ypal", "mixes the cyrillic and latin scripts"),
        ("\u0430\u0440\u0440\u04cf\u0435", "look like Latin 'apple'"),
        ("\u03bf\u03c1", "look like Latin 'op'"),
        ("\u4f8b\u0430", "mixes the cyrillic and han scripts"),
    ],
)
def test_a_mixed_or_wholly_look_alike_label_is_flagged(label: str, reason: str) -> None:
    assert reason in (look_alike_reason(label) or "")
