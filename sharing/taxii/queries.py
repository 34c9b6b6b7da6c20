"""The filters and pages of a TAXII 2.1 request: added_after, limit, next and match[...].

Results are in ascending date_added (then id, then version). `next` is an opaque token
naming the last item served, so a page follows on from where the previous one stopped
even if objects were added in between. Unknown parameters are ignored; malformed ones
are a 400.
"""

import base64
import binascii
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sharing.taxii.error_message import TaxiiError
from sharing.taxii.media import parse_taxii_time, taxii_time
from sharing.taxii.stored_objects import StoredObject

MAX_PAGE = 1000
_DIGITS = re.compile(r"[0-9]{1,9}")
_VERSION_WORDS = ("first", "last", "all")
SortKey = tuple[str, str, str]


@dataclass(frozen=True)
class Page:
    items: list[StoredObject]
    more: bool
    next: str | None

    def envelope(self, key: str, values: list[Any]) -> dict[str, Any]:
        """`{"more", "next"?, key: values?}`: the envelope (or manifest or versions) body."""
        body: dict[str, Any] = {"more": self.more}
        if self.next is not None:
            body["next"] = self.next
        if values:
            body[key] = values
        return body

    def headers(self) -> dict[str, str]:
        """X-TAXII-Date-Added-First/-Last of the items on this page."""
        if not self.items:
            return {}
        return {
            "X-TAXII-Date-Added-First": taxii_time(self.items[0].date_added),
            "X-TAXII-Date-Added-Last": taxii_time(self.items[-1].date_added),
        }


@dataclass(frozen=True)
class ObjectQuery:
    added_after: datetime | None = None
    limit: int = MAX_PAGE
    after: SortKey | None = None
    ids: frozenset[str] | None = None
    types: frozenset[str] | None = None
    versions: tuple[str, ...] = ("last",)
    spec_versions: frozenset[str] | None = None

    @classmethod
    def parse(cls, params: Mapping[str, Sequence[str]]) -> "ObjectQuery":
        """Read the query parameters (each name with every value it was given)."""
        added_after = None
        if text := _one(params, "added_after"):
            added_after = parse_taxii_time(text)
            if added_after is None:
                raise TaxiiError(400, f"added_after {text!r} is not an RFC 3339 timestamp")
        versions = tuple(_many(params, "match[version]") or ("last",))
        for version in versions:
            if version not in _VERSION_WORDS and parse_taxii_time(version) is None:
                raise TaxiiError(400, f"match[version] {version!r}: first, last, all or a time")
        ids, types, specs = (_many(params, f"match[{n}]") for n in ("id", "type", "spec_version"))
        return cls(
            added_after=added_after,
            limit=_limit(_one(params, "limit")),
            after=_decode_next(_one(params, "next")),
            ids=frozenset(ids) if ids else None,
            types=frozenset(types) if types else None,
            versions=versions,
            spec_versions=frozenset(specs) if specs else None,
        )

    def select(
        self, objects: Iterable[StoredObject], *, by_version: bool = True
    ) -> list[StoredObject]:
        """The objects that pass every filter, in result order (before paging)."""
        kept = [
            o
            for o in objects
            if (self.ids is None or o.id in self.ids)
            and (self.types is None or o.type in self.types)
            and (self.spec_versions is None or o.spec_version in self.spec_versions)
        ]
        if by_version:
            kept = _versions(kept, self.versions)
        if self.added_after is not None:
            kept = [o for o in kept if o.date_added > self.added_after]
        return sorted(kept, key=_sort_key)

    def page(self, selected: list[StoredObject]) -> Page:
        """The page after `next` (or the first), at most `limit` items."""
        if self.after is not None:
            selected = [o for o in selected if _sort_key(o) > self.after]
        items = selected[: self.limit]
        more = len(selected) > len(items)
        return Page(items, more, _encode_next(_sort_key(items[-1])) if more else None)


def _sort_key(o: StoredObject) -> SortKey:
    return (taxii_time(o.date_added), o.id, o.version)


def _versions(objects: list[StoredObject], wanted: tuple[str, ...]) -> list[StoredObject]:
    """The versions match[version] asks for, per object id."""
    if "all" in wanted:
        return objects
    by_id: dict[str, list[StoredObject]] = {}
    for o in objects:
        by_id.setdefault(o.id, []).append(o)
    times = {parse_taxii_time(w) for w in wanted if w not in _VERSION_WORDS}
    kept = []
    for versions in by_id.values():
        versions.sort(key=lambda o: o.version_time)
        chosen = {id(v) for v in versions if v.version_time in times}
        if "first" in wanted:
            chosen.add(id(versions[0]))
        if "last" in wanted:
            chosen.add(id(versions[-1]))
        kept.extend(v for v in versions if id(v) in chosen)
    return kept


def _one(params: Mapping[str, Sequence[str]], name: str) -> str | None:
    values = params.get(name) or []
    if len(values) > 1:
        raise TaxiiError(400, f"{name} may be given once")
    return values[0] if values else None


def _many(params: Mapping[str, Sequence[str]], name: str) -> list[str]:
    """Every value of a match filter: repeated or comma-separated."""
    return [v.strip() for text in params.get(name) or [] for v in text.split(",") if v.strip()]


def _limit(text: str | None) -> int:
    if text is None:
        return MAX_PAGE
    if not _DIGITS.fullmatch(text) or int(text) < 1:
        raise TaxiiError(400, f"limit {text!r} must be a positive integer")
    return min(int(text), MAX_PAGE)


def _encode_next(key: SortKey) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(key)).encode()).decode().rstrip("=")


def _decode_next(text: str | None) -> SortKey | None:
    if text is None or text == "":
        return None
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        key = json.loads(raw)
    except (binascii.Error, ValueError):
        raise TaxiiError(400, f"next {text[:40]!r} is not a token this server gave") from None
    if not (isinstance(key, list) and len(key) == 3 and all(isinstance(k, str) for k in key)):
        raise TaxiiError(400, f"next {text[:40]!r} is not a token this server gave")
    return (key[0], key[1], key[2])
