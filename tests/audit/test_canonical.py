"""The fast canonical JSON is byte for byte the reference RFC 8785 serializer's, for any
JSON value, and so is an entry's leaf assembled from its members."""

import pytest
import rfc8785
from hypothesis import given, settings
from hypothesis import strategies as st

from sharing.audit.canonical import canonical, fast_canonical
from sharing.audit.leaf import entry_json

# Text with characters beyond the Basic Multilingual Plane, controls, quotes and escapes.
TEXT = st.text(
    st.characters(blacklist_categories=("Cs",))
    | st.sampled_from(["\U0001f600", "\ue000", '"', "\\", "\x00", "\x1f", "\u2028", "\x7f"]),
    max_size=12,
)
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(-(2**60), 2**60)
    | st.floats(allow_nan=False, allow_infinity=False)
    | TEXT
)
JSON = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=12,
)


def _reference(value: object) -> bytes | type[Exception]:
    try:
        return rfc8785.dumps(value)
    except Exception as exc:  # the reference refuses: ours must refuse the same way
        return type(exc)


@settings(max_examples=400, deadline=None)
@given(JSON)
def test_canonical_is_rfc8785(value: object) -> None:
    expected = _reference(value)
    if isinstance(expected, bytes):
        assert canonical(value) == expected
    else:
        with pytest.raises(expected):
            canonical(value)


def test_the_cases_orjson_alone_gets_wrong_go_to_the_reference() -> None:
    for value in ({"\ue000": 1, "\U0001f600": 2}, 1.0, 1e21, [2**53]):
        assert fast_canonical(value) is None
    assert canonical({"\ue000": 1, "\U0001f600": 2}) == rfc8785.dumps(
        {"\ue000": 1, "\U0001f600": 2}
    )
    assert canonical({"b": [1, "x"], "a": None}) == b'{"a":null,"b":[1,"x"]}'


@settings(max_examples=200, deadline=None)
@given(
    index=st.integers(0, 2**53 - 1),
    time=TEXT,
    actor=TEXT,
    action=TEXT,
    sha=st.none() | TEXT,
    recipients=st.lists(TEXT, max_size=3),
    details=st.dictionaries(TEXT, JSON, max_size=4),
)
def test_an_assembled_leaf_is_the_canonical_entry(
    index: int,
    time: str,
    actor: str,
    action: str,
    sha: str | None,
    recipients: list[str],
    details: dict[str, object],
) -> None:
    entry = {
        "index": index,
        "time": time,
        "actor": actor,
        "action": action,
        "object_sha256": sha,
        "recipients": recipients,
        "details": details,
    }
    expected = _reference(entry)
    fields = {k: v for k, v in entry.items() if k != "object_sha256"}
    if not isinstance(expected, bytes):
        with pytest.raises(expected):
            entry_json(object_sha256=sha, **fields)  # type: ignore[arg-type]
        return
    leaf, recipients_json, details_json = entry_json(object_sha256=sha, **fields)  # type: ignore[arg-type]
    assert leaf == expected
    assert recipients_json == rfc8785.dumps(recipients)
    assert details_json == rfc8785.dumps(details)
