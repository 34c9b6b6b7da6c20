"""Writing systems in a domain label, to refuse Unicode names built to look like others.

A label may use one script, or Latin with the scripts of one CJK language (the "highly
restrictive" level of Unicode TS #39). A label written wholly in letters of another script
that look like Latin letters (Cyrillic letters spelling "apple") is refused too.
"""

import unicodedata

_ALLOWED_MIXES = (
    frozenset({"latin", "han", "hiragana", "katakana"}),
    frozenset({"latin", "han", "bopomofo"}),
    frozenset({"latin", "han", "hangul"}),
)
_ALIASES = {"cjk": "han", "ideographic": "han", "katakana-hiragana": "katakana"}
_COMMON = frozenset({"modifier"})
# Letters of Cyrillic, Greek and Armenian that Unicode's confusables data maps to Latin ones.
_CYRILLIC = "\u0430\u0435\u04bb\u0456\u0458\u043e\u0440\u0441\u0455\u0443\u0445\u0501\u051b\u051d"
_CYRILLIC += "\u04cf\u04af"
_GREEK = "\u03b1\u03b9\u03ba\u03bd\u03bf\u03c1\u03c5\u03c7\u03f2\u03f3"
_ARMENIAN = "\u0585\u057d\u0581\u0570\u0578\u0566"
_LOOKALIKES = {
    **dict(zip(_CYRILLIC, "aehijopcsyxdqwly", strict=True)),
    **dict(zip(_GREEK, "aiknopuxcj", strict=True)),
    **dict(zip(_ARMENIAN, "oughnq", strict=True)),
}


def script_of(char: str) -> str | None:
    """The script of a letter, from its Unicode name ("CYRILLIC SMALL LETTER A" -> cyrillic);
    None for digits, hyphens, combining marks and modifier letters, which go with any script.
    """
    if not unicodedata.category(char).startswith("L"):
        return None
    word = unicodedata.name(char, "").split(" ", 1)[0].lower()
    if not word or word in _COMMON:
        return None
    return _ALIASES.get(word, word)


def look_alike_reason(label: str) -> str | None:
    """Why a Unicode label (after IDNA mapping) may be a homoglyph, or None when it is not."""
    if label.isascii():
        return None
    scripts = {s for s in map(script_of, label) if s is not None}
    if len(scripts) > 1 and not any(scripts <= mix for mix in _ALLOWED_MIXES):
        return f"label {label!r} mixes the {' and '.join(sorted(scripts))} scripts"
    letters = [c for c in label if script_of(c) is not None]
    if letters and "latin" not in scripts and all(c in _LOOKALIKES for c in letters):
        reads = "".join(_LOOKALIKES.get(c, c) for c in label)
        return f"label {label!r} is written in letters that look like Latin {reads!r}"
    return None
