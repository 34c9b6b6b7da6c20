"""A block of JSON Lines checked and aggregated in columns, with the odd lines set aside.

Lines that fit a learnt shape (sharing.record_shapes) are vetted by the regex engine and
parsed in bulk, their distinct values checked once (sharing.block_values), and folded into
one row per canonical (type, value). Every other line (blank, broken, oddly written, or
failing any check) is read line by line, which gives the exact reason.
"""

import io
from dataclasses import dataclass
from itertools import compress

import polars as pl

from sharing.block_values import TAG_SEP, BlockValues
from sharing.line_blocks import LineBlock
from sharing.record_reader import SightingChecks
from sharing.record_shapes import RecordShape, shape_of
from sharing.record_tally import RecordTally
from sharing.records import (
    DEFAULT_CONFIDENCE,
    DEFAULT_TLP,
    MAX_COUNT,
    MAX_DESCRIPTION,
)
from sharing.sighting_aggregate import NO_CAMPAIGN_LINE, SightingAggregate
from sharing.tlp import TLP

MAX_SHAPES = 8
Key = tuple[str, str]
_BY_RANK = sorted(TLP, key=lambda t: t.rank)
_SCHEMA = {
    "type": pl.String,
    "value": pl.String,
    "seen": pl.String,
    "tlp": pl.String,
    "confidence": pl.Int64,
    "tags": pl.List(pl.String),
    "campaign": pl.String,
    "count": pl.Int64,
    "description": pl.String,
}


@dataclass
class BlockAggregate:
    """One block's accepted lines folded per indicator, and the lines left to read one by one."""

    accepted: int
    groups: pl.DataFrame  # one row per canonical indicator (see `fold_groups`)
    leftover: RecordTally  # the other lines, read one by one


class BlockAggregator:
    def __init__(self, checks: SightingChecks) -> None:
        self.checks = checks
        self.values = BlockValues(checks)
        self._max_line = checks.max_line
        self._shapes: list[RecordShape] = []
        self._pattern = ""

    def aggregate(self, block: LineBlock) -> BlockAggregate:
        lines = block.data.split(b"\n")
        if block.data.endswith(b"\n"):
            lines.pop()
        rows = pl.DataFrame({"raw": pl.Series(lines, dtype=pl.Binary)}).with_row_index(
            "line", offset=block.first_line
        )
        fits = self._fits(rows, _as_text(block.data, lines))
        parsed = _parse(list(compress(lines, fits.to_list())))
        parsed = parsed.with_columns(rows.filter(fits).select("line", "raw"))
        good, bad = self._check(parsed)
        leftover = pl.concat([rows.filter(~fits), bad.select("line", "raw")])
        tags = pl.DataFrame(
            {"tag_id": range(len(self.values.tag_sets)), "tag_text": self.values.tag_texts()},
            schema={"tag_id": pl.Int32, "tag_text": pl.String},
        )
        groups = _fold(good.join(tags, on="tag_id", how="left"))
        tally = RecordTally()
        for line, raw in _rows(leftover):
            if raw and not raw.isspace():
                tally.add(line, raw, self.checks.read_line(raw))
        return BlockAggregate(good.height, groups, tally)

    def _fits(self, rows: pl.DataFrame, text: pl.Series) -> pl.Series:
        """Which rows are valid JSON of a known or newly learnt shape."""
        fits = text.str.contains(self._pattern) if self._shapes else text.is_null()
        fits = fits.fill_null(False)
        for _ in range(3):
            if fits.all() or len(self._shapes) >= MAX_SHAPES:
                break
            unfit = rows["raw"].filter(~fits).head(4)
            shape = next((s for raw in unfit if (s := shape_of(raw))), None)
            if shape is None or shape in self._shapes:
                break
            self._shapes.append(shape)
            self._pattern = "|".join(f"(?:{s.pattern})" for s in self._shapes)
            fits = fits | text.str.contains(shape.pattern).fill_null(False)
        return fits

    def _check(self, rows: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
        """Rows whose every field passes (typed and canonical), and the rows that do not."""
        v = self.values
        tags = pl.col("tags").fill_null([])
        rows = rows.with_columns(
            pl.col("tlp").fill_null(DEFAULT_TLP),
            pl.col("confidence").fill_null(DEFAULT_CONFIDENCE),
            pl.col("count").fill_null(1),
            pl.concat_str(
                tags.list.len().cast(pl.String), tags.list.join(TAG_SEP), separator=TAG_SEP
            ).alias("tags"),
        )
        rows = rows.join(v.seen(rows["seen"]), on="seen", how="left")
        rows = rows.join(v.indicators(rows), on=["type", "value"], how="left")
        others = rows.filter(pl.col("seen_at").is_null())["seen"]
        if not others.is_empty():
            rows = rows.join(v.seen_others(others), on="seen", how="left").with_columns(
                seen_at=pl.coalesce("seen_at", "seen_other")
            )
        rows = rows.join(v.tlp_ranks(rows["tlp"]), on="tlp", how="left")
        rows = rows.join(v.tag_ids(rows["tags"]), on="tags", how="left")
        rows = rows.join(v.campaigns(rows["campaign"]), on="campaign", how="left")
        ok = (
            pl.col("ctype").is_not_null()
            & pl.col("seen_at").is_not_null()
            & pl.col("tlp_rank").is_not_null()
            & pl.col("tag_id").is_not_null()
            & pl.col("campaign_ok").fill_null(True)
            & pl.col("confidence").is_between(0, 100)
            & pl.col("count").is_between(1, MAX_COUNT)
            & (pl.col("description").str.len_chars().fill_null(0) <= MAX_DESCRIPTION)
            & (pl.col("raw").bin.size() <= self._max_line)
        )
        rows = rows.with_columns(ok=ok)
        return rows.filter(pl.col("ok")), rows.filter(~pl.col("ok"))


def _fold(rows: pl.DataFrame) -> pl.DataFrame:
    """One row per canonical indicator; the campaign is the first named, by line."""
    named = pl.col("campaign_value").is_not_null()
    return (
        rows.sort("line")
        .group_by("ctype", "cvalue")
        .agg(
            sightings=pl.col("count").sum(),
            first_seen=pl.col("seen_at").min(),
            last_seen=pl.col("seen_at").max(),
            confidence=pl.col("confidence").max(),
            tlp_rank=pl.col("tlp_rank").max(),
            tags=pl.col("tag_text").unique(),
            campaign=pl.col("campaign_value").filter(named).first(),
            campaign_line=pl.col("line").filter(named).first(),
            records=pl.len(),
        )
    )


def fold_groups(frames: list[pl.DataFrame]) -> dict[Key, SightingAggregate]:
    """The groups of a file's blocks folded into one aggregate per indicator: the earliest
    campaign named wins, tags are united, counts summed."""
    if not frames:
        return {}
    folded = (
        pl.concat(frames)
        .sort("campaign_line", nulls_last=True)
        .group_by("ctype", "cvalue")
        .agg(
            pl.col("sightings").sum(),
            pl.col("first_seen").min(),
            pl.col("last_seen").max(),
            pl.col("confidence").max(),
            pl.col("tlp_rank").max(),
            pl.col("tags").list.explode(keep_nulls=False, empty_as_null=False).unique(),
            pl.col("campaign").drop_nulls().first(),
            pl.col("campaign_line").min(),
            pl.col("records").sum(),
        )
    )
    aggregates = {}
    for (
        ctype,
        cvalue,
        n,
        first,
        last,
        confidence,
        rank,
        tags,
        campaign,
        line,
        lines,
    ) in folded.iter_rows():
        tag_set = {tag for text in tags if text for tag in text.split(TAG_SEP)}
        where = NO_CAMPAIGN_LINE if line is None else line
        aggregates[(ctype, cvalue)] = SightingAggregate(
            n, first, last, confidence, _BY_RANK[rank], tag_set, campaign, where, lines
        )
    return aggregates


def _as_text(data: bytes, lines: list[bytes]) -> pl.Series:
    """The lines as text; a line that is not UTF-8 becomes blank (it fits no shape)."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        lines = [line if _is_utf8(line) else b"" for line in lines]
    return pl.Series(lines, dtype=pl.Binary).cast(pl.String)


def _is_utf8(line: bytes) -> bool:
    try:
        line.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _parse(lines: list[bytes]) -> pl.DataFrame:
    if not lines:
        return pl.DataFrame(schema=_SCHEMA)
    return pl.read_ndjson(io.BytesIO(b"\n".join(lines)), schema=_SCHEMA)


def _rows(frame: pl.DataFrame) -> list[tuple[int, bytes]]:
    """(line, raw) in line order, without the carriage return of a CRLF line ending."""
    return [(n, raw.removesuffix(b"\r")) for n, raw in sorted(frame.iter_rows())]
