"""The checks of a block's fields, made once per distinct value and joined back to the rows.

A block of three hundred thousand lines holds a few thousand distinct indicators, a handful
of tag lists, TLP markings and campaigns: those go through the same checks as a single line
(sharing.records), and the verdicts come back as lookup tables. A value that fails a check
maps to null, which sends its rows to the line-by-line path for the exact reason.
"""

from collections.abc import Callable
from typing import Any

import polars as pl

from sharing.record_reader import SightingChecks
from sharing.records import (
    DEFAULT_TLP,
    MAX_CAMPAIGN,
    RecordRejected,
    check_tlp,
    optional_text,
)

TAG_SEP = "\x1f"  # a tag list's key: its length, then its tags, each after this separator
_RFC3339_UTC = (
    r"^[0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])"
    r"T(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]Z$"
)


class BlockValues:
    """Verdicts on distinct field values, remembered across the blocks of a submission."""

    def __init__(self, checks: SightingChecks) -> None:
        self.checks = checks
        self.tag_sets: list[tuple[str, ...]] = [()]
        self._tag_ids: dict[tuple[str, ...], int] = {(): 0}
        self._tags: dict[str, int | None] = {}
        self._tlps: dict[str, int | None] = {}
        self._campaigns: dict[str, tuple[bool, str | None]] = {}

    def tag_texts(self) -> list[str]:
        """Each known tag list (by id) as one string, its tags joined by TAG_SEP."""
        return [TAG_SEP.join(tags) for tags in self.tag_sets]

    def indicators(self, rows: pl.DataFrame) -> pl.DataFrame:
        """(type, value) -> canonical (ctype, cvalue), null where the indicator is refused."""
        pairs = rows.select("type", "value").unique()
        canonical = [_or_none(self.checks.indicator, t, v) for t, v in pairs.iter_rows()]
        return pairs.with_columns(
            ctype=pl.Series([c and c[0] for c in canonical], dtype=pl.String),
            cvalue=pl.Series([c and c[1] for c in canonical], dtype=pl.String),
        )

    def seen(self, column: pl.Expr) -> pl.Expr:
        """The common `...THH:MM:SSZ` form parsed in bulk; see `seen_others` for the rest."""
        parsed = column.str.to_datetime(
            "%Y-%m-%dT%H:%M:%SZ", strict=False, time_unit="us", time_zone="UTC"
        )
        return pl.when(column.str.contains(_RFC3339_UTC) & (parsed.dt.year() >= 1)).then(parsed)

    def seen_others(self, texts: pl.Series) -> pl.DataFrame:
        """Timestamps in any other form, each parsed once by the line-by-line rules."""
        unique = texts.unique()
        parsed = [_or_none(self.checks.timestamp, t) for t in unique]
        return pl.DataFrame(
            {"seen": unique, "seen_other": pl.Series(parsed, dtype=pl.Datetime("us", "UTC"))}
        )

    def tlp_ranks(self, texts: pl.Series) -> pl.DataFrame:
        return _lookup(texts, "tlp", "tlp_rank", pl.Int8, self._tlps, self._tlp_rank)

    def tag_ids(self, texts: pl.Series) -> pl.DataFrame:
        return _lookup(texts, "tags", "tag_id", pl.Int32, self._tags, self._tag_id)

    def campaigns(self, texts: pl.Series) -> pl.DataFrame:
        unique = texts.drop_nulls().unique()
        verdicts = [self._campaign(t) for t in unique]
        return pl.DataFrame(
            {
                "campaign": unique,
                "campaign_ok": pl.Series([ok for ok, _ in verdicts], dtype=pl.Boolean),
                "campaign_value": pl.Series([v for _, v in verdicts], dtype=pl.String),
            }
        )

    def _tlp_rank(self, text: str | None) -> int | None:
        try:
            return check_tlp({"tlp": DEFAULT_TLP if text is None else text}).rank
        except RecordRejected:
            return None

    def _tag_id(self, key: str) -> int | None:
        count, _, joined = key.partition(TAG_SEP)
        try:
            tags = self.checks.tags(joined.split(TAG_SEP) if count != "0" else [])
        except RecordRejected:
            return None
        if tags not in self._tag_ids:
            self._tag_ids[tags] = len(self.tag_sets)
            self.tag_sets.append(tags)
        return self._tag_ids[tags]

    def _campaign(self, text: str) -> tuple[bool, str | None]:
        verdict = self._campaigns.get(text)
        if verdict is None:
            try:
                verdict = True, optional_text({"campaign": text}, "campaign", MAX_CAMPAIGN)
            except RecordRejected:
                verdict = False, None
            self._campaigns[text] = verdict
        return verdict


def _lookup(
    texts: pl.Series,
    name: str,
    verdict: str,
    dtype: Any,
    memo: dict,
    check: Callable[[Any], Any],
) -> pl.DataFrame:
    unique = texts.unique()
    results = []
    for text in unique:
        if text not in memo:
            memo[text] = check(text)
        results.append(memo[text])
    return pl.DataFrame({name: unique, verdict: pl.Series(results, dtype=dtype)})


def _or_none(check: Callable[..., Any], *args: Any) -> Any:
    try:
        return check(*args)
    except RecordRejected:
        return None
