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

MAX_REMEMBERED = 1 << 20  # indicator verdicts kept across blocks, at most
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
        self._canonical = pl.DataFrame(
            schema={"type": pl.String, "value": pl.String, "ctype": pl.String, "cvalue": pl.String}
        )

    def tag_texts(self) -> list[str]:
        """Each known tag list (by id) as one string, its tags joined by TAG_SEP."""
        return [TAG_SEP.join(tags) for tags in self.tag_sets]

    def indicators(self, rows: pl.DataFrame) -> pl.DataFrame:
        """(type, value) -> canonical (ctype, cvalue), null where the indicator is refused.

        Verdicts are kept as a table across blocks, so each block checks only pairs it is
        the first to hold; a feed repeats the same indicators block after block."""
        pairs = rows.select("type", "value").unique()
        new = pairs.join(self._canonical, on=["type", "value"], how="anti").rows()
        if new:
            canonical = [_or_none(self.checks.indicator, t, v) for t, v in new]
            # Built afresh from Python values: a slice of the block's columns would keep
            # the whole block's string buffers alive for as long as the verdicts.
            fresh = pl.DataFrame(
                {
                    "type": [t for t, _ in new],
                    "value": [v for _, v in new],
                    "ctype": [c and c[0] for c in canonical],
                    "cvalue": [c and c[1] for c in canonical],
                },
                schema=self._canonical.schema,
            )
            if self._canonical.height + fresh.height > MAX_REMEMBERED:
                self._canonical = self._canonical.clear()
            self._canonical = pl.concat([self._canonical, fresh], rechunk=True)
        return self._canonical

    def seen(self, texts: pl.Series) -> pl.DataFrame:
        """seen -> seen_at for the common `...THH:MM:SSZ` form, each distinct text parsed
        once; null for any other form (see `seen_others`)."""
        unique = texts.unique()
        parsed = unique.str.to_datetime(
            "%Y-%m-%dT%H:%M:%SZ", strict=False, time_unit="us", time_zone="UTC"
        )
        usual = unique.str.contains(_RFC3339_UTC) & (parsed.dt.year() >= 1)
        return pl.DataFrame({"seen": unique, "seen_at": parsed}).with_columns(
            seen_at=pl.when(usual).then(pl.col("seen_at"))
        )

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
