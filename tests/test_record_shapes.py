"""Line shapes: a shape's pattern matches exactly the simple JSON lines written its way."""

import re

import orjson
import pytest

from sharing.record_shapes import shape_of

LINE = orjson.dumps(
    {
        "type": "ipv4",
        "value": "203.0.113.7",
        "seen": "2026-11-20T10:00:00Z",
        "tags": ["proxy-hydra"],
        "confidence": 80,
        "campaign": None,
    }
)


def matches(pattern: str, line: bytes) -> bool:
    return re.fullmatch(pattern, line.decode()) is not None


def test_a_shape_matches_its_line_and_lines_without_optional_fields() -> None:
    shape = shape_of(LINE)
    assert shape is not None and shape.keys[:3] == ("type", "value", "seen")
    assert matches(shape.pattern, LINE)
    assert matches(shape.pattern, b'{"type":"ipv4","value":"a","seen":"b"}')
    assert matches(shape.pattern, b'{ "type" : "ipv4", "value":"a","seen":"b" }\r\n')
    assert matches(shape.pattern, b'{"type":"x","value":"a","seen":"b","tlp":"red","count":3}')


@pytest.mark.parametrize(
    "line",
    [
        b'{"value":"a","type":"ipv4","seen":"b"}',  # another order
        b'{"type":"ipv4","value":"a\\u0041","seen":"b"}',  # an escape
        b'{"type":"ipv4","value":"a","seen":"b","seen":"c"}',  # a repeated key
        b'{"type":"ipv4","value":"a","seen":"b","confidence":"80"}',  # a string count
        b'{"type":"ipv4","value":"a","seen":"b","confidence":8.0}',
        b'{"type":"ipv4","value":"a","seen":"b","tags":[1]}',
        b'{"type":"ipv4","value":"a","seen":"b","foo":1}',
        b'{"type":"ipv4","value":"a","seen":"b"',
        b'{"type":"ipv4","value":"a","seen":"b","confidence":1234567890123456789012}',
    ],
)
def test_a_shape_refuses_lines_written_otherwise(line: bytes) -> None:
    shape = shape_of(LINE)
    assert shape is not None and not matches(shape.pattern, line)


@pytest.mark.parametrize(
    "line",
    [b"[1]", b"{", b'{"type":"ipv4"}', b'{"type":"a","value":"b","seen":"c","tags":[1]}'],
)
def test_odd_lines_define_no_shape(line: bytes) -> None:
    assert shape_of(line) is None


def test_free_text_fields_send_a_line_to_be_read_on_its_own() -> None:
    # A description or an x_ field may hold anything, personal data included: those lines
    # are checked one by one, never in bulk.
    assert shape_of(b'{"type":"a","value":"b","seen":"c","x_note":1.5e3}') is None
    assert shape_of(b'{"type":"a","value":"b","seen":"c","description":"hi"}') is None
    shape = shape_of(LINE)
    assert shape is not None
    assert not matches(shape.pattern, LINE[:-1] + b',"description":"hi"}')
