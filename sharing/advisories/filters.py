"""The filters advisory templates use: make lab-supplied strings inert, format numbers and times.

Indicator values and tags come from labs and may hold HTML, Markdown, Jinja syntax or
control characters; each format passes them through these before printing.
"""

import re
import textwrap
import unicodedata
from collections.abc import Iterable
from datetime import UTC, datetime

from markupsafe import Markup

MAX_SHOWN = 200
ELLIPSIS = "…"

# Bidirectional overrides and isolates can reorder what a reader sees ("Trojan Source").
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_BREAKS = frozenset("\t\n\v\f\r\x85\u2028\u2029")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~!&$])")
_MD_LEADING = re.compile(r"^(\d+(?=[.)])|(?=[-+=]))")  # would open a list or heading
_BACKTICKS = re.compile(r"`+")


def clean(text: str) -> str:
    """Line breaks and tabs become a space; other control and bidi characters are dropped."""
    out = []
    for ch in text:
        if ch in _BREAKS:
            out.append(" ")
        elif ch in _BIDI or unicodedata.category(ch) in ("Cc", "Cs") or _noncharacter(ch):
            continue
        else:
            out.append(ch)
    return "".join(out)


def _noncharacter(ch: str) -> bool:
    """Unicode noncharacters (U+FDD0..U+FDEF, U+xFFFE, U+xFFFF): HTML parsers reject them."""
    point = ord(ch)
    return 0xFDD0 <= point <= 0xFDEF or (point & 0xFFFE) == 0xFFFE


def clip(text: object, limit: int = MAX_SHOWN) -> str:
    """`text` cleaned and, past `limit` characters, cut with an ellipsis so layouts hold."""
    shown = clean(str(text))
    return shown if len(shown) <= limit else shown[:limit] + ELLIPSIS


def md_text(text: str) -> Markup:
    """Markdown for literal text: one line, every Markdown-significant character escaped."""
    escaped = _MD_SPECIAL.sub(r"\\\1", clean(text))
    return Markup(_MD_LEADING.sub(r"\1\\", escaped, count=1))


def md_code(text: object, table: bool = False) -> Markup:
    """A Markdown code span: no links, emphasis or HTML inside; `table` escapes pipes too."""
    shown = clean(str(text))
    if not shown:
        return Markup("")
    fence = "`" * (max((len(run) for run in _BACKTICKS.findall(shown)), default=0) + 1)
    if shown[0] in "` " or shown[-1] in "` ":
        shown = f" {shown} "
    if table:
        shown = shown.replace("|", "\\|")
    return Markup(f"{fence}{shown}{fence}")


def md_cell(text: object) -> Markup:
    """A code span that cannot split a GitHub-flavoured table cell."""
    return md_code(text, table=True)


def text_wrap(text: object, width: int = 72, indent: str = "", first: str | None = None) -> Markup:
    """Plain text filled to `width` columns for mail; `first` starts line one (e.g. a bullet).

    Returned as Markup so the text format's output filter keeps the line breaks it adds.
    """
    filled = textwrap.fill(
        clean(str(text)),
        width=width,
        initial_indent=indent if first is None else first,
        subsequent_indent=indent,
        break_on_hyphens=False,
    )
    return Markup(filled)


def _as_utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def utc(moment: datetime) -> str:
    """`2026-11-23 10:00 UTC`; a naive datetime is taken to be UTC already."""
    return _as_utc(moment).strftime("%Y-%m-%d %H:%M UTC")


def iso(moment: datetime) -> str:
    """RFC 3339 in UTC, for machine-readable times such as HTML's `<time datetime>`."""
    return _as_utc(moment).strftime("%Y-%m-%dT%H:%M:%SZ")


def count(number: int) -> str:
    """Thousands separated, as people read campaign sizes: 16,000,000."""
    return f"{number:,}"


def counted(pairs: Iterable[tuple[str, int]]) -> str:
    """`[("asn", 1200), ("cidr", 3)]` as `asn 1,200, cidr 3`, names cleaned and clipped."""
    return ", ".join(f"{clip(name, 64)} {count(n)}" for name, n in pairs)


def finalize_md(value: object) -> object:
    """Escape every plain string a Markdown template prints, so forgetting a filter is safe."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return md_text(value)
    return value


def finalize_clean(value: object) -> object:
    """Drop control characters from every plain string an HTML or text template prints."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return clean(value)
    return value
