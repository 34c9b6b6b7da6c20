"""Filters, versions, pages and content negotiation, on objects made here; the parsers of
what a client sends never fail with anything but a TAXII 400."""

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sharing.taxii.error_message import TaxiiError
from sharing.taxii.media import accepts_taxii, is_taxii
from sharing.taxii.queries import MAX_PAGE, ObjectQuery
from sharing.taxii.stored_objects import StoredObject

T0 = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


def _obj(n: int, version: int, added: int, kind: str = "indicator") -> StoredObject:
    stamp = (T0 + timedelta(hours=version)).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    ident = f"{kind}--00000000-0000-4000-8000-{n:012d}"
    obj = {"type": kind, "spec_version": "2.1", "id": ident, "created": stamp, "modified": stamp}
    return StoredObject(obj, T0 + timedelta(hours=added))


# object 1 in versions 0 and 2, object 2 in version 1, one marking without `modified`
OBJECTS = [_obj(1, 0, 0), _obj(2, 1, 1), _obj(1, 2, 2)]
MARKING = StoredObject(
    {
        "type": "marking-definition",
        "id": "marking-definition--1",
        "created": "2022-10-01T00:00:00Z",
    },
    T0,
)


def _ids(query: ObjectQuery, objects: list[StoredObject]) -> list[tuple[str, str]]:
    return [(o.id[-1], o.version[11:13]) for o in query.select(objects)]


@pytest.mark.parametrize(
    ("versions", "expected"),
    [
        ("last", [("2", "11"), ("1", "12")]),
        ("first", [("1", "10"), ("2", "11")]),
        ("all", [("1", "10"), ("2", "11"), ("1", "12")]),
        ("first,last", [("1", "10"), ("2", "11"), ("1", "12")]),
        ("2026-11-23T12:00:00Z", [("1", "12")]),
    ],
)
def test_match_version(versions: str, expected: list[tuple[str, str]]) -> None:
    assert _ids(ObjectQuery.parse({"match[version]": [versions]}), OBJECTS) == expected


def test_default_is_the_last_version_and_filters_combine() -> None:
    assert _ids(ObjectQuery.parse({}), OBJECTS) == [("2", "11"), ("1", "12")]
    after = {"added_after": ["2026-11-23T11:00:00Z"], "match[version]": ["all"]}
    assert _ids(ObjectQuery.parse(after), OBJECTS) == [("1", "12")]
    one = {"match[id]": [OBJECTS[1].id], "match[type]": ["indicator,campaign"]}
    assert _ids(ObjectQuery.parse(one), OBJECTS) == [("2", "11")]
    assert ObjectQuery.parse({"match[type]": ["campaign"]}).select(OBJECTS) == []
    assert ObjectQuery.parse({}).select([MARKING]) == [MARKING]
    assert MARKING.version == "2022-10-01T00:00:00Z"


def test_pages_resume_after_the_last_item_even_when_objects_are_added() -> None:
    objects = [_obj(n, 0, n) for n in range(1, 8)]
    first = ObjectQuery.parse({"limit": ["3"]})
    page = first.page(first.select(objects))
    assert [o.id[-1] for o in page.items] == ["1", "2", "3"] and page.more and page.next
    assert page.headers() == {
        "X-TAXII-Date-Added-First": "2026-11-23T11:00:00.000000Z",
        "X-TAXII-Date-Added-Last": "2026-11-23T13:00:00.000000Z",
    }
    grown = [_obj(0, 0, 0), *objects]  # added before the cursor: not served again or skipped
    second = ObjectQuery.parse({"limit": ["3"], "next": [page.next]})
    page = second.page(second.select(grown))
    assert [o.id[-1] for o in page.items] == ["4", "5", "6"] and page.more
    last = ObjectQuery.parse({"limit": ["3"], "next": [page.next or ""]})
    page = last.page(last.select(grown))
    assert [o.id[-1] for o in page.items] == ["7"] and not page.more and page.next is None
    assert page.envelope("objects", []) == {"more": False}


def test_limit_is_capped_at_the_page_size() -> None:
    assert ObjectQuery.parse({"limit": [str(MAX_PAGE * 10)]}).limit == MAX_PAGE


@pytest.mark.parametrize(
    "params",
    [
        {"limit": ["-1"]},
        {"limit": ["²"]},
        {"limit": ["9" * 5000]},
        {"limit": ["1", "2"]},
        {"next": ["WzEsMl0"]},  # base64url of [1,2]: not a token of ours
        {"added_after": ["2026-11-23"]},
        {"match[version]": ["latest"]},
    ],
)
def test_malformed_parameters_are_400(params: dict[str, list[str]]) -> None:
    with pytest.raises(TaxiiError) as refused:
        ObjectQuery.parse(params)
    assert refused.value.status == 400 and refused.value.body()["http_status"] == "400"


@given(
    st.dictionaries(
        st.sampled_from(
            ["limit", "next", "added_after", "match[version]", "match[id]", "match[type]", "x"]
        ),
        st.lists(st.text(max_size=40), min_size=1, max_size=3),
    )
)
def test_any_parameters_parse_or_are_refused_with_400(params: dict[str, list[str]]) -> None:
    try:
        query = ObjectQuery.parse(params)
    except TaxiiError as exc:
        assert exc.status == 400
        return
    query.page(query.select(OBJECTS))


@pytest.mark.parametrize(
    ("accept", "ok"),
    [
        ("application/taxii+json;version=2.1", True),
        ("application/taxii+json; version=2.1", True),
        ('application/TAXII+json; version="2.1"', True),
        ("application/taxii+json", True),
        ("text/html, application/taxii+json;version=2.1;q=0.9", True),
        ("application/taxii+json;version=2.0", False),
        ("application/stix+json;version=2.1", False),
        ("*/*", False),
        ("", False),
        (None, False),
    ],
)
def test_accept(accept: str | None, ok: bool) -> None:
    assert accepts_taxii(accept) is ok


def test_content_type_must_say_version_2_1() -> None:
    assert is_taxii("application/taxii+json;version=2.1")
    assert not is_taxii("application/taxii+json")
    assert not is_taxii("application/json")
    assert not is_taxii("application/taxii+json;version=2.1, application/json")


@given(st.text(max_size=200))
def test_any_header_is_read_without_error(header: str) -> None:
    assert accepts_taxii(header) in (True, False)
    assert is_taxii(header) in (True, False)
